"""`make eval`, second half: how well the flows read slot answers (issue 20, Deliver 2).

Replays every answer of the slot corpus in `tests/understanding/` (`slots_heldout.csv`, never
tuned on, and `slots_dev.csv`) and prints slot accuracy per flow, slot and split; then replays
the whole law-firm customers (`customers_<split>.csv`) and counts qualified customers declined.

How one answer is replayed (the engine's own path, nothing bypassed):

- a new SMS conversation with the flow's example business (`examples/*.yaml`), on the bucket
  harness's fixed clock and Context (`ivr.analytics.understanding.context`: open, customer
  `NEW_CUSTOMER`, a 512 number, so the law firm first offers Texas to confirm);
- the first text is the row's `asked` column, or `OPENING[flow, slot]` (a message that reaches
  the bucket asking that slot without naming it); then every question the flow asks before the
  slot under test is answered with `CANONICAL[flow][slot]` (the option's plain word) until
  `state.asking` is the slot; a replay that cannot get there raises, so the harness can never
  silently measure the wrong question;
- one more step with the answer; the value read is `state.slots[slot]`, or, when the flow asked
  "Just to check: ...?" instead (`state.confirming` on that slot), the value it proposed. A right
  value proposed for confirmation counts as right (the issue asks for exactly that when unsure)
  and is counted apart as `confirmed`.

What "right" means per slot type (tests/understanding/README.md says the same for labellers):

- choice / state / yesno / money: the stored value equals `expected` (option value, two-letter
  state code, `yes`/`no`, whole US dollars);
- order_number: the stored number names the expected order (same digits: "10231" = FG-10231);
- timeline: the flow stores a phrase ("within 2 weeks", "next month", "june 3"); the harness
  places it on the flow's own option horizons (`HORIZONS`), measured in days from the clock:
  law firm "within two weeks" (<= 14), "within a few months" (<= 183), "no rush" (later or no
  deadline); HVAC "as soon as possible" (<= 7), "within a month" (<= 31), "no rush". "unknown"
  is the flow's own value for "not sure". A stored value the harness cannot place ("soon") is
  wrong. ISO dates, dates and day counts are placed too, so a parser that stores another form
  is still measured.

With the semantic layer on and off (issue 20): `evaluate_slots(similar=...)` takes the layer
per flow (`ivr.semantic.Semantic.for_flow`, None: rules only) as the bucket harness does; the
layer is what reads a choice answer that describes its option ("my sons father owes us years
of payments") from the options' `examples:`. `make eval` prints both runs and a side-by-side.

A whole customer: the row's `opening` (or `OPENING[law_firm, matter_type]`), then each question
answered with that customer's text for the slot asked (the same text once more if asked again,
a confirmation of the slot answered with the slot's text too), until the conversation ends.
Declined = outcome `not_qualified`. Qualified (labelled) = a Texas case, no lawyer yet and a
budget of at least the firm's minimum.

Spanish (issue 25, Deliver 3): `es_slots_<split>.csv` and `es_customers_<split>.csv` (the same
columns plus `language`) are the splits `es_heldout` and `es_dev`, replayed the same way (the
opening and the earlier answers stay the harness's English ones, so only the Spanish answer is
measured) and printed after the English figures, which are unchanged; only `es_dev` misses are
listed.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from ivr.analytics.understanding import (
    ALL_SPLITS,
    CORPUS,
    ES_SPLITS,
    SPLITS,
    Row,
    SimilarFor,
    context,
    example_businesses,
    language_of,
    split_label,
)
from ivr.config.business import Business
from ivr.flow.context import Context
from ivr.flow.engine import step
from ivr.flow.events import Input
from ivr.flow.model import Flow
from ivr.flow.state import State
from ivr.semantic import shared

#: The slots measured, in print order (`need`, the shop's free-text slot, keeps the words as
#: typed: there is nothing to normalise, so nothing to measure).
SLOTS: tuple[tuple[str, str], ...] = (
    ("law_firm", "matter_type"), ("law_firm", "jurisdiction"), ("law_firm", "timeline"),
    ("law_firm", "representation"), ("law_firm", "budget"),
    ("hvac", "system"), ("hvac", "timeline"), ("ecommerce", "order_number"),
)
#: The first text that reaches the bucket asking the slot, naming none of its slots.
OPENING: dict[tuple[str, str], str] = {
    **{("law_firm", s): "I need help from a family lawyer" for f, s in SLOTS if f == "law_firm"},
    ("hvac", "system"): "I want to get a new system installed",
    ("hvac", "timeline"): "I want to get a new system installed",
    ("ecommerce", "order_number"): "where is my order",
}
#: Plain answers to the questions asked before the slot under test.
CANONICAL: dict[str, dict[str, str]] = {
    "law_firm": {"matter_type": "divorce", "jurisdiction": "Texas", "timeline": "no rush",
                 "representation": "no", "budget": "5000"},
    "hvac": {"system": "furnace", "timeline": "no rush"},
    "ecommerce": {"order_number": "FG-10231"},
}
#: flow -> ((option value, at most this many days), ...), then the value past the last.
HORIZONS: dict[str, tuple[tuple[tuple[str, float], ...], str]] = {
    "law_firm": ((("within two weeks", 14), ("within a few months", 183)), "no rush"),
    "hvac": ((("as soon as possible", 7), ("within a month", 31)), "no rush"),
}
MAX_STEPS = 12


@dataclass(frozen=True)
class SlotRow:
    split: str
    flow: str
    slot: str
    text: str
    expected: str
    asked: str = ""
    note: str = ""
    language: str = "en"


@dataclass(frozen=True)
class SlotReplay:
    row: SlotRow
    value: Any  # what the slot holds (or the value proposed for confirmation); None: nothing
    confirmed: bool  # the flow asked "just to check" instead of filling the slot
    right: bool


@dataclass
class SlotFigures:
    flow: str
    slot: str
    split: str
    replays: list[SlotReplay] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.replays)

    @property
    def correct(self) -> int:
        return sum(r.right for r in self.replays)

    @property
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else 0.0

    @property
    def confirmed(self) -> int:
        return sum(r.confirmed and r.right for r in self.replays)

    @property
    def misses(self) -> list[SlotReplay]:
        return [r for r in self.replays if not r.right]


@dataclass(frozen=True)
class Customer:
    split: str
    name: str
    qualified: bool
    answers: Mapping[str, str]
    opening: str = ""
    note: str = ""
    language: str = "en"


@dataclass(frozen=True)
class CustomerReplay:
    customer: Customer
    outcome: str
    slots: Mapping[str, Any]

    @property
    def declined(self) -> bool:
        return self.outcome == "not_qualified"


# -- the corpus --------------------------------------------------------------------------------
def corpus_file(directory: Path, kind: str, split: str) -> Path:
    """`slots_dev.csv` for English, `es_slots_dev.csv` for the Spanish split `es_dev`."""
    if split in ES_SPLITS:
        language, _, rest = split.partition("_")
        return directory / f"{language}_{kind}_{rest}.csv"
    return directory / f"{kind}_{split}.csv"


def load_slots(directory: Path = CORPUS, splits: Sequence[str] = ALL_SPLITS) -> list[SlotRow]:
    rows: list[SlotRow] = []
    for split in splits:
        with corpus_file(directory, "slots", split).open(newline="", encoding="utf-8") as handle:
            for raw in csv.DictReader(handle):
                rows.append(SlotRow(split, raw["flow"].strip(), raw["slot"].strip(), raw["text"],
                                    raw["expected"].strip(), (raw.get("asked") or "").strip(),
                                    (raw.get("note") or "").strip(),
                                    (raw.get("language") or "").strip() or language_of(split)))
    return rows


def load_customers(directory: Path = CORPUS, splits: Sequence[str] = ALL_SPLITS
                   ) -> list[Customer]:
    found: list[Customer] = []
    for split in splits:
        path = corpus_file(directory, "customers", split)
        with path.open(newline="", encoding="utf-8") as handle:
            for raw in csv.DictReader(handle):
                answer = raw["qualified"].strip().lower()
                if answer not in ("yes", "no"):
                    raise ValueError(f"{path.name}: qualified must be yes or no: {raw}")
                found.append(Customer(split, raw["customer"].strip(), answer == "yes",
                                      {s: raw[s] for f, s in SLOTS if f == "law_firm"},
                                      (raw.get("opening") or "").strip(),
                                      (raw.get("note") or "").strip(),
                                      (raw.get("language") or "").strip() or language_of(split)))
    return found


# -- what counts as right ------------------------------------------------------------------------
_COUNT = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
          "a couple of": 2, "couple of": 2, "a couple": 2, "couple": 2, "a few": 3, "few": 3}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SEASON = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
_NOW_DAYS = {"as soon as possible": 0, "today": 0, "already past": 0, "tomorrow": 1}
#: Holidays and school dates the flow keeps as said ("before christmas"), as (month, day): the
#: movable ones at their usual date (close enough for horizons of weeks and months).
_HOLIDAYS = {"christmas": (12, 25), "xmas": (12, 25), "the holidays": (12, 20),
             "new year": (1, 1), "new years": (1, 1), "the new year": (1, 1),
             "thanksgiving": (11, 27), "easter": (4, 20), "halloween": (10, 31),
             "memorial day": (5, 26), "labor day": (9, 1), "july 4th": (7, 4),
             "the 4th of july": (7, 4), "the fourth of july": (7, 4), "spring break": (3, 15),
             "summer break": (6, 1), "the end of school": (6, 1), "the school year": (6, 1),
             "school starts": (8, 15), "valentines day": (2, 14), "valentines": (2, 14)}


def _next_date(now: date, month: int, day: int) -> date:
    target = date(now.year, month, day)
    return target if target >= now else date(now.year + 1, month, day)


def _end_of_month(now: date) -> date:
    first_next = date(now.year + (now.month == 12), now.month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def horizon_days(value: Any, now: date) -> float | None:
    """How many days away a stored timeline is (inf: no deadline), or None: cannot place it."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return float((value - now).days)
    if isinstance(value, int | float):
        return float(value)
    text = re.sub(r"\s+", " ", str(value or "").strip().lower())
    if text in _NOW_DAYS:
        return float(_NOW_DAYS[text])
    if text == "no rush":
        return float("inf")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return float((date.fromisoformat(text) - now).days)
    count = "|".join(sorted((re.escape(k) for k in _COUNT), key=len, reverse=True))
    match = re.fullmatch(rf"(?:(?:within|in|under|less than|by) )?(?:the next )?"
                         rf"(?:(?:about|around|roughly|like|approximately|maybe) )?(\d+|{count}) "
                         rf"(day|week|month|year)s?(?: from now)?", text)
    if match:
        number = match.group(1)
        amount = int(number) if number.isdigit() else _COUNT[number]
        return float(amount * _UNIT_DAYS[match.group(2)])
    match = re.fullmatch(r"(next|this|end of the|end of|later this|early next) "
                         r"(week|weekend|month|year|spring|summer|fall|autumn|winter)", text)
    if match:
        when, what = match.groups()
        if what in ("week", "weekend"):
            return 10.0 if when == "next" else 4.0
        if what == "month":
            return 45.0 if when == "next" else float((_end_of_month(now) - now).days)
        if what == "year":
            return 365.0 if "next" in when else float((date(now.year, 12, 31) - now).days)
        start = _next_date(now, _SEASON[what], 1)
        if when == "next" and (start - now).days < 180:
            start = date(start.year + 1, start.month, 1)
        return float((start - now).days + 30)
    match = re.fullmatch(r"(?:before|by|after|around|right after|until|for) (.+)", text)
    if match and match.group(1).replace("'", "") in _HOLIDAYS:
        return float((_next_date(now, *_HOLIDAYS[match.group(1).replace("'", "")]) - now).days)
    match = re.fullmatch(rf"(?:on |this |next )?({'|'.join(_DAYS)})", text)
    if match:
        ahead = (_DAYS.index(match.group(1)) - now.weekday()) % 7 or 7
        return float(ahead + (7 if text.startswith("next ") else 0))
    match = re.fullmatch(rf"(?:in |by |on |early |late |mid )?({'|'.join(_MONTHS)})"
                         rf"(?: (\d{{1,2}})(?:st|nd|rd|th)?)?", text)
    if match:
        month = _MONTHS.index(match.group(1)) + 1
        day = int(match.group(2)) if match.group(2) else 15 if text.startswith("mid") else (
            25 if text.startswith("late") else 1)
        try:
            return float((_next_date(now, month, day) - now).days)
        except ValueError:
            return None
    return None


def timeline_class(flow: str, value: Any, now: date) -> str | None:
    """The flow's own option a stored timeline falls in (see HORIZONS), or None."""
    limits, beyond = HORIZONS[flow]
    if value in (*(name for name, _ in limits), beyond, "unknown"):
        return str(value)
    days = horizon_days(value, now)
    if days is None:
        return None
    return next((name for name, most in limits if days <= most), beyond)


def is_right(row: SlotRow, value: Any, slot_type: str, now: date) -> bool:
    if value is None:
        return False
    if slot_type == "timeline":
        return timeline_class(row.flow, value, now) == row.expected
    if slot_type == "order_number":
        return re.sub(r"\D", "", str(value)) == re.sub(r"\D", "", row.expected)
    if slot_type == "money":
        try:
            return float(value) == float(row.expected)
        except (TypeError, ValueError):
            return False
    return str(value) == row.expected


# -- replays -----------------------------------------------------------------------------------
def _ctx(business: Business, flow: Flow, similar: SimilarFor | None = None) -> Context:
    return context(business, flow, Row("dev", flow.name, "", "", False),
                   similar(flow) if similar else None)


def asked_state(business: Business, flow: Flow, slot: str, opening: str = "",
                similar: SimilarFor | None = None) -> State:
    """A conversation stepped to the point where `slot` is the question asked."""
    ctx = _ctx(business, flow, similar)
    state, _ = step(flow, State(), Input.start(opening or OPENING[flow.name, slot]), ctx)
    for _ in range(MAX_STEPS):
        if state.asking == slot or state.done:
            break
        answer = CANONICAL[flow.name].get(state.asking or "")
        if answer is None:
            break
        state, _ = step(flow, state, Input.sms(answer), ctx)
    if state.asking != slot:
        raise RuntimeError(f"{flow.name}: could not reach the {slot!r} question (asking "
                           f"{state.asking!r}, outcome {state.outcome!r}, slots {state.slots})")
    return state


def replay_slot(row: SlotRow, business: Business, flow: Flow,
                similar: SimilarFor | None = None) -> SlotReplay:
    ctx = _ctx(business, flow, similar)
    before = asked_state(business, flow, row.slot, row.asked, similar)
    state, _ = step(flow, before, Input.sms(row.text), ctx)
    confirmed = state.confirming is not None and state.asking == row.slot
    value = state.confirming if confirmed else state.slots.get(row.slot)
    right = is_right(row, value, flow.slots[row.slot].type, ctx.now.date())
    return SlotReplay(row, value, confirmed, right)


def replay_customer(customer: Customer, business: Business, flow: Flow,
                    similar: SimilarFor | None = None) -> CustomerReplay:
    ctx = _ctx(business, flow, similar)
    opening = customer.opening or OPENING["law_firm", "matter_type"]
    state, _ = step(flow, State(), Input.start(opening), ctx)
    times: dict[str, int] = {}
    while not state.done and state.asking in customer.answers:
        asking = state.asking or ""
        times[asking] = times.get(asking, 0) + 1
        if times[asking] > 2:
            break
        state, _ = step(flow, state, Input.sms(customer.answers[asking]), ctx)
    return CustomerReplay(customer, state.outcome or f"(asking {state.asking})", dict(state.slots))


def evaluate_slots(rows: Sequence[SlotRow] | None = None, config_dir: Path | None = None,
                   similar: SimilarFor | None = None) -> dict[tuple[str, str, str], SlotFigures]:
    """Figures by (flow, slot, split): English first, in SLOTS then split order, then Spanish
    (`similar`: the semantic layer per flow, None for rules only)."""
    rows = load_slots() if rows is None else rows
    shops = example_businesses(config_dir)
    figures: dict[tuple[str, str, str], SlotFigures] = {}
    for group in (SPLITS, ES_SPLITS):
        for flow_name, slot in SLOTS:
            for split in group:
                mine = [r for r in rows if (r.flow, r.slot, r.split) == (flow_name, slot, split)]
                if mine:
                    business, flow = shops[flow_name]
                    figures[flow_name, slot, split] = SlotFigures(
                        flow_name, slot, split,
                        [replay_slot(r, business, flow, similar) for r in mine])
    unknown = {(r.flow, r.slot) for r in rows} - set(SLOTS)
    if unknown:
        raise ValueError(f"slots not measured: {sorted(unknown)}")
    return figures


def evaluate_customers(customers: Sequence[Customer] | None = None,
                       config_dir: Path | None = None, similar: SimilarFor | None = None
                       ) -> dict[str, list[CustomerReplay]]:
    """Whole law-firm customers by split (`similar`: as in `evaluate_slots`)."""
    customers = load_customers() if customers is None else customers
    business, flow = example_businesses(config_dir)["law_firm"]
    found: dict[str, list[CustomerReplay]] = {}
    for split in ALL_SPLITS:
        mine = [c for c in customers if c.split == split]
        if mine:
            found[split] = [replay_customer(c, business, flow, similar) for c in mine]
    return found


def qualified_declined(replays: Sequence[CustomerReplay]) -> list[CustomerReplay]:
    return [r for r in replays if r.customer.qualified and r.declined]


# -- the printout ------------------------------------------------------------------------------
def render(figures: Mapping[tuple[str, str, str], SlotFigures],
           customers: Mapping[str, Sequence[CustomerReplay]], *, misses_of: str = "dev") -> str:
    """The English figures (unchanged), then the Spanish ones (splits in ES_SPLITS), each
    listing only its dev misses."""
    english = _block({k: f for k, f in figures.items() if f.split not in ES_SPLITS},
                     {k: c for k, c in customers.items() if k not in ES_SPLITS}, misses_of)
    spanish_figures = {k: f for k, f in figures.items() if f.split in ES_SPLITS}
    spanish_customers = {k: c for k, c in customers.items() if k in ES_SPLITS}
    if not spanish_figures and not spanish_customers:
        return english
    spanish = _block(spanish_figures, spanish_customers, f"es_{misses_of}",
                     title="Spanish slot answers (es_slots_*.csv, es_customers_*.csv): the same "
                     "replay; the question, the opening and the earlier answers stay English",
                     targets="targets (es heldout): the same as English: slot accuracy >= 95% per "
                     "slot; qualified customers declined = 0")
    return english + "\n\n" + spanish


def _block(figures: Mapping[tuple[str, str, str], SlotFigures],
           customers: Mapping[str, Sequence[CustomerReplay]], misses_of: str, *,
           title: str = "slot answers: each replayed as the answer to its own question (SMS, "
           "same clock and customer as above)",
           targets: str = "targets (held-out): slot accuracy >= 95% per slot; qualified "
           "customers declined = 0") -> str:
    wide = max([8, *(len(split_label(f.split)) for f in figures.values()),
                *(len(split_label(k)) for k in customers)])
    lines = [title,
             f"{'flow':<10} {'slot':<15} {'split':<{wide}} {'answers':>7}  "
             f"{'slot accuracy':>15}  {'confirmed':>9}"]
    for fig in figures.values():
        lines.append(f"{fig.flow:<10} {fig.slot:<15} {split_label(fig.split):<{wide}} "
                     f"{fig.n:>7}  {f'{fig.correct}/{fig.n}':>7} {100 * fig.accuracy:6.1f}%  "
                     f"{fig.confirmed:>9}")
    lines += ["", "whole law-firm customers (five answers each):",
              f"{'split':<{wide}} {'customers':>9} {'qualified':>9} {'qualified declined':>18} "
              f"{'unqualified passed':>18}"]
    for split, replays in customers.items():
        qualified = sum(r.customer.qualified for r in replays)
        passed = sum(not r.customer.qualified and not r.declined for r in replays)
        lines.append(f"{split_label(split):<{wide}} {len(replays):>9} {qualified:>9} "
                     f"{len(qualified_declined(replays)):>18} {passed:>18}")
    shown = [f for f in figures.values() if f.split == misses_of and f.misses]
    if shown:
        lines += ["", f"slot misses ({split_label(misses_of)} only: the held-out misses are "
                      "never read to tune)"]
        for fig in shown:
            for r in fig.misses:
                lines.append(f"  {fig.flow}.{fig.slot}: {r.row.text!r} -> {r.value!r} "
                              f"(expected {r.row.expected})")
    for r in customers.get(misses_of, ()):
        if r.customer.qualified == r.declined:
            lines.append(f"  customer {r.customer.name} (qualified={r.customer.qualified}): "
                         f"{r.outcome} {dict(r.slots)}")
    lines += ["", targets]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ivr.analytics.slots",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="corpus directory")
    parser.add_argument("--semantic", choices=("both", "on", "off"), default="both",
                        help="with the semantic layer, without it, or both (the default)")
    args = parser.parse_args(argv)
    rows, customers = load_slots(args.corpus), load_customers(args.corpus)
    layer = shared()
    modes: list[SimilarFor | None] = []
    if args.semantic in ("both", "on"):
        if layer.available:
            modes.append(layer.for_flow)
        else:
            print("semantic layer: unavailable (no model); measuring the rules only")
    if args.semantic in ("both", "off") or not modes:
        modes.append(None)
    results = [(mode, evaluate_slots(rows, similar=mode), evaluate_customers(customers,
                                                                               similar=mode))
               for mode in modes]
    for mode, figures, replays in results:
        print("slot reading with the semantic layer "
              + ("off (rules only)" if mode is None else "on (option examples)"))
        print(render(figures, replays))
        print()
    if len(results) == 2:
        print("side by side (on | off):")
        print("\n".join(compare(results[0][1], results[1][1], results[0][2], results[1][2])))
    return 0


def compare(on: Mapping[tuple[str, str, str], SlotFigures],
            off: Mapping[tuple[str, str, str], SlotFigures],
            customers_on: Mapping[str, Sequence[CustomerReplay]],
            customers_off: Mapping[str, Sequence[CustomerReplay]]) -> list[str]:
    """One line per flow, slot and split: slot accuracy with the semantic layer on, then off;
    then qualified customers declined per split."""
    lines = [f"{'flow':<10} {'slot':<15} {'split':<10} {'slot accuracy':>17}"]
    for key, fig in on.items():
        other = off[key]
        lines.append(f"{fig.flow:<10} {fig.slot:<15} {split_label(fig.split):<10} "
                     f"{100 * fig.accuracy:5.1f}% | {100 * other.accuracy:5.1f}%")
    for split, replays in customers_on.items():
        lines.append(f"qualified declined, {split_label(split)}: "
                     f"{len(qualified_declined(replays))} | "
                     f"{len(qualified_declined(customers_off.get(split, ())))}")
    return lines


if __name__ == "__main__":
    sys.exit(main())
