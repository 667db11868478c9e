"""`make eval`: how well the flows understand fresh customer messages (issue 16, Deliver 5).

Replays every message of the labelled corpus in `tests/understanding/` (`heldout.csv`, never
tuned on, and `dev.csv`) as the first text of a new SMS conversation with its flow's example
business from `examples/`, and prints for each flow and split:

- bucket accuracy: the bucket the flow chose equals the labelled one (an empty label means the
  message names no topic, so the right answer is no bucket), with precision/recall per bucket;
- must-reach-a-person recall: of the messages labelled `needs_person=yes`, the share that
  reached a person; the misses are listed with their text;
- needless pages: of the messages labelled `needs_person=no`, the share that disturbed staff.

How a replay is set up, so figures do not depend on the day they are run:

- the clock is fixed to `CLOCK` (a Wednesday, 11:00 business-local), inside every example
  business's opening hours, so after-hours queueing never stands in for understanding;
- the customer texts from `NEW_CUSTOMER`, a number with no orders, except for rows whose trigger
  is `repeat_customer`: those come from the business's customer with the most orders (the
  flow's trigger reads the customer's purchases);
- one step of the pure flow core (`ivr.analytics.decisions.first_step`, the same first step
  `ivr flows try` replays a business's own conversations with), the way the first SMS of a
  conversation arrives; the Context carries the same fields as
  `ivr.conversation.service.build_context` (built here: analytics does not import the
  conversation layer, and this module needs neither Flask nor Redis).

"Reached a person" — decided from the actions of that step, precisely: the step emits a
`Transfer` (warm transfer / call bridge now), a `NotifyStaff` (staff texted a summary) or a
`QueueFollowUp` (the lead captured for a person to call back). An offer of a person
("talk to someone now, or get a call back?", an `Ask` with slot `offer`) is not reaching one:
the customer still has to ask. A `human` route with none of these actions is not either.
"Disturbed staff" is the same set of actions, counted over the messages that did not need a
person.

The semantic layer (issue 16, Deliver 1): `evaluate(similar=...)` takes a function
`similar(flow) -> Context.similar` (None for a flow: rules only) and passes it to the engine in
the step's Context, exactly as `ivr.conversation.service.build_context` does, so what is
measured is the engine's own path (rules first, then the semantic scores, then the safety net).
`make eval` prints every flow and split twice: with the semantic layer (`ivr.semantic`, the
bundled model) and without it (rules only), so its worth is visible.

Spanish (issue 25, Deliver 6): `es_heldout.csv` and `es_dev.csv` hold Spanish and Spanglish
messages with the same columns and labels plus `language`; they are the splits `es_heldout`
and `es_dev` (printed "es heldout", "es dev"), replayed the same way, with the same measures and
targets, and printed after the English ones (which are unchanged). The Spanish held-out misses
are counted, not listed: nobody must read their texts to tune. The same holds for the English
held-out misses (`UNLISTED`): `make eval` lists only the dev misses.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from phonenumbers import NumberParseException, geocoder, parse

from ivr.analytics.decisions import NO_BUCKET, first_step, reached_person
from ivr.config.business import Business, load_business
from ivr.config.settings import PROJECT_ROOT, default_config_path
from ivr.flow.context import Context, CustomerFacts, Similar
from ivr.flow.loader import load_flow
from ivr.flow.model import Flow
from ivr.semantic import shared
from ivr.semantic.language import detector

#: The semantic layer for a flow (`ivr.semantic.Semantic.for_flow`): None means rules only.
SimilarFor = Callable[[Flow], Similar | None]

CORPUS = PROJECT_ROOT / "tests" / "understanding"
SPLITS = ("heldout", "dev")
#: The Spanish part of the corpus (`es_<split>.csv`), measured beside the English splits.
ES_SPLITS = ("es_heldout", "es_dev")
ALL_SPLITS = (*SPLITS, *ES_SPLITS)
#: Splits whose misses are counted but never listed (never read to tune).
UNLISTED = ("heldout", "es_heldout")
FLOWS = ("law_firm", "hvac", "ecommerce")
#: A Wednesday at 11:00, read in each business's own timezone: open everywhere we ship.
CLOCK = (2025, 3, 12, 11, 0)
#: A number no example business has orders for.
NEW_CUSTOMER = "+15125550999"


@dataclass(frozen=True)
class Row:
    """One labelled message of the corpus."""

    split: str
    flow: str
    text: str
    bucket: str  # "" when the message names no topic
    needs_person: bool
    trigger: str = ""
    note: str = ""
    language: str = "en"


@dataclass(frozen=True)
class Replay:
    """What the flow did with one message."""

    row: Row
    bucket: str  # "" when the flow chose none
    route: str
    reached: bool
    how: str  # "transfer", "notify", "follow-up", or "" (no person)
    reasons: tuple[str, ...] = ()

    @property
    def right_bucket(self) -> bool:
        return self.bucket == self.row.bucket


@dataclass
class Figures:
    """One flow and split's measures."""

    flow: str
    split: str
    replays: list[Replay] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.replays)

    @property
    def correct(self) -> int:
        return sum(r.right_bucket for r in self.replays)

    @property
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else 0.0

    @property
    def needed(self) -> list[Replay]:
        return [r for r in self.replays if r.row.needs_person]

    @property
    def misses(self) -> list[Replay]:
        """Must-reach-a-person messages that reached nobody."""
        return [r for r in self.needed if not r.reached]

    @property
    def recall(self) -> float:
        needed = self.needed
        return (len(needed) - len(self.misses)) / len(needed) if needed else 1.0

    @property
    def not_needed(self) -> list[Replay]:
        return [r for r in self.replays if not r.row.needs_person]

    @property
    def needless(self) -> list[Replay]:
        """Messages that did not need a person but disturbed staff."""
        return [r for r in self.not_needed if r.reached]

    @property
    def needless_rate(self) -> float:
        quiet = self.not_needed
        return len(self.needless) / len(quiet) if quiet else 0.0

    def per_bucket(self) -> dict[str, tuple[float | None, float | None, int]]:
        """bucket -> (precision, recall, labelled count); None where nothing to divide by."""
        labelled = Counter(r.row.bucket or NO_BUCKET for r in self.replays)
        chosen = Counter(r.bucket or NO_BUCKET for r in self.replays)
        hits = Counter(r.bucket or NO_BUCKET for r in self.replays if r.right_bucket)
        names = sorted(set(labelled) | set(chosen), key=lambda b: (b == NO_BUCKET, b))
        return {b: (hits[b] / chosen[b] if chosen[b] else None,
                    hits[b] / labelled[b] if labelled[b] else None, labelled[b])
                for b in names}


# -- the corpus --------------------------------------------------------------------------------
def language_of(split: str) -> str:
    """`es` for the Spanish splits (`es_heldout`), `en` for the others."""
    return split.split("_", 1)[0] if split in ES_SPLITS else "en"


def split_label(split: str) -> str:
    """How a split is printed: "heldout", "es heldout"."""
    return split.replace("_", " ")


def load_corpus(directory: Path = CORPUS, splits: Sequence[str] = ALL_SPLITS) -> list[Row]:
    """Every labelled row of the given splits (`<split>.csv` in `directory`: `heldout.csv`,
    `es_heldout.csv`...)."""
    rows: list[Row] = []
    for split in splits:
        with (directory / f"{split}.csv").open(newline="", encoding="utf-8") as handle:
            for raw in csv.DictReader(handle):
                answer = (raw.get("needs_person") or "").strip().lower()
                if answer not in ("yes", "no"):
                    raise ValueError(f"{split}.csv: needs_person must be yes or no: {raw!r}")
                rows.append(Row(split=split, flow=raw["flow"].strip(), text=raw["text"],
                                bucket=(raw.get("bucket") or "").strip(),
                                needs_person=answer == "yes",
                                trigger=(raw.get("trigger") or "").strip(),
                                note=(raw.get("note") or "").strip(),
                                language=(raw.get("language") or "").strip()
                                or language_of(split)))
    return rows


def example_businesses(config_dir: Path | None = None) -> dict[str, tuple[Business, Flow]]:
    """The shipped example business of each flow, by flow name, with its loaded flow."""
    found: dict[str, tuple[Business, Flow]] = {}
    for path in sorted((config_dir or default_config_path()).glob("*.yaml")):
        business = load_business(path)
        flow = load_flow(business.flow_path)
        found.setdefault(flow.name, (business, flow))
    return found


# -- one replay --------------------------------------------------------------------------------
def clock(business: Business) -> datetime:
    """`CLOCK` in the business's timezone; refuses a business that is closed then."""
    now = datetime(*CLOCK, tzinfo=ZoneInfo(business.timezone))
    if not business.opening_hours.is_open(now):
        raise ValueError(f"{business.name} is closed at {now:%a %H:%M}: pick another CLOCK")
    return now


def _customer(business: Business, row: Row) -> tuple[CustomerFacts, dict]:
    orders = business.load_orders()
    by_id = {o.order_id: o for o in orders}
    phone = NEW_CUSTOMER
    if row.trigger == "repeat_customer" and orders:
        phone = Counter(o.phone for o in orders).most_common(1)[0][0]
    mine = tuple(o for o in orders if o.phone == phone)
    name = next((o.name for o in mine if o.name), None)
    return CustomerFacts(phone=phone, name=name, orders=mine), by_id


def _place_of(phone: str) -> str | None:
    """The state a number is from, as `ivr.conversation.service.place_of` finds it."""
    try:
        return geocoder.description_for_number(parse(phone, None), "en") or None
    except NumberParseException:
        return None


def context(business: Business, flow: Flow, row: Row,
            similar: Similar | None = None) -> Context:
    """The step's inputs, with the fields `ivr.conversation.service.build_context` fills."""
    now = clock(business)
    facts, by_id = _customer(business, row)
    if any(slot.type == "state" for slot in flow.slots.values()):
        facts = CustomerFacts(facts.phone, facts.name, facts.orders, _place_of(facts.phone))
    return Context(now=now, channel="sms", business_name=business.name, params=business.params,
                   after_hours=False, next_opening=business.opening_hours.next_opening(now),
                   customer=facts, orders_by_id=by_id, hours_text=business.hours_text,
                   similar=similar, languages=business.languages,
                   detect=detector(business.languages))


def replay(row: Row, business: Business, flow: Flow, similar: Similar | None = None) -> Replay:
    """The first text of a new SMS conversation: what the flow chose and whether a person
    was reached (`similar`: the semantic layer the engine consults, None for rules only)."""
    state, actions = first_step(flow, row.text, context(business, flow, row, similar))
    return Replay(row, state.bucket or "", state.route or "", bool(how := reached_person(actions)),
                  how, tuple(state.reasons))


def evaluate(rows: Sequence[Row] | None = None, similar: SimilarFor | None = None,
             config_dir: Path | None = None) -> dict[tuple[str, str], Figures]:
    """Replay every row; figures by (flow, split), English first, then in FLOWS and ALL_SPLITS
    order (`similar`: the semantic layer per flow, None for rules only)."""
    rows = load_corpus() if rows is None else rows
    shops = example_businesses(config_dir)
    figures: dict[tuple[str, str], Figures] = {}
    order = {f: i for i, f in enumerate(FLOWS)}
    for row in sorted(rows, key=lambda r: (r.split in ES_SPLITS, order.get(r.flow, 99), r.flow,
                                           ALL_SPLITS.index(r.split)
                                           if r.split in ALL_SPLITS else 9)):
        if row.flow not in shops:
            raise ValueError(f"no example business runs the {row.flow!r} flow")
        business, flow = shops[row.flow]
        key = (row.flow, row.split)
        figures.setdefault(key, Figures(row.flow, row.split)).replays.append(
            replay(row, business, flow, similar(flow) if similar else None))
    return figures


# -- the printout ------------------------------------------------------------------------------
def _pct(value: float | None) -> str:
    return "    -" if value is None else f"{100 * value:5.1f}%"


def summary(figures: Mapping[tuple[str, str], Figures]) -> list[str]:
    wide = max([8, *(len(split_label(f.split)) for f in figures.values())])
    lines = [f"{'flow':<10} {'split':<{wide}} {'msgs':>4}  {'bucket accuracy':>17}  "
             f"{'must-reach-a-person':>19}  {'needless pages':>15}"]
    for fig in figures.values():
        needed, quiet = len(fig.needed), len(fig.not_needed)
        lines.append(
            f"{fig.flow:<10} {split_label(fig.split):<{wide}} {fig.n:>4}  "
            f"{f'{fig.correct}/{fig.n}':>9} {_pct(fig.accuracy)}  "
            f"{f'{needed - len(fig.misses)}/{needed}':>11} {_pct(fig.recall)}  "
            f"{f'{len(fig.needless)}/{quiet}':>7} {_pct(fig.needless_rate)}")
    return lines


def detail(fig: Figures, *, show_needless: bool = True) -> list[str]:
    """Per bucket precision/recall, then the misses and needless pages (counted only, not
    listed, for the splits in UNLISTED)."""
    lines = [f"== {fig.flow} / {split_label(fig.split)}: {fig.n} messages, {len(fig.needed)} "
             "must reach a person", f"  {'bucket':<24} {'precision':>9} {'recall':>7} {'n':>4}"]
    for bucket, (precision, recall, count) in fig.per_bucket().items():
        lines.append(f"  {bucket:<24} {_pct(precision):>9} {_pct(recall):>7} {count:>4}")
    lines.append(f"  misses (must reach a person, reached none): {len(fig.misses)}")
    if fig.split in UNLISTED:
        lines.append(f"  needless pages: {len(fig.needless)}")
        lines.append("  (held-out: counted, not listed; never read to tune)")
        return lines
    for r in fig.misses:
        kind = r.row.trigger or r.row.bucket or "person"
        lines.append(f"    [{kind}] {r.row.text!r} -> {r.bucket or NO_BUCKET}"
                     f"{' (' + r.route + ')' if r.route else ''}")
    if show_needless:
        lines.append(f"  needless pages: {len(fig.needless)}")
        for r in fig.needless:
            lines.append(f"    [{r.row.bucket or NO_BUCKET}] {r.row.text!r} -> "
                         f"{r.how} ({', '.join(r.reasons) or r.bucket})")
    return lines


def render(figures: Mapping[tuple[str, str], Figures], similar: SimilarFor | None) -> str:
    name = getattr(similar, "__name__", type(similar).__name__)
    lines = ["semantic layer: " + ("off (rules only)" if similar is None else f"on ({name})"),
             f"clock: {datetime(*CLOCK):%a %Y-%m-%d %H:%M} business-local, open; SMS, first "
             f"message of a new conversation; customer {NEW_CUSTOMER} (no orders)", ""]
    english = {k: f for k, f in figures.items() if f.split not in ES_SPLITS}
    spanish = {k: f for k, f in figures.items() if f.split in ES_SPLITS}
    if english or not spanish:
        lines += summary(english)
        for fig in english.values():
            lines += ["", *detail(fig)]
        lines += ["", "targets (held-out): must-reach-a-person 100%, bucket accuracy >= 90%, "
                  "needless pages <= 5%"]
    if spanish:
        lines += ["", "Spanish (es_heldout.csv, es_dev.csv): the same replay and measures", ""]
        lines += summary(spanish)
        for fig in spanish.values():
            lines += ["", *detail(fig)]
        lines += ["", "targets (es heldout): the same as English: must-reach-a-person 100%, "
                  "bucket accuracy >= 90%, needless pages <= 5%"]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ivr.analytics.understanding",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all",
                        help="heldout or dev: in both languages")
    parser.add_argument("--language", choices=("en", "es", "all"), default="all")
    parser.add_argument("--flow", choices=FLOWS)
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="corpus directory")
    parser.add_argument("--semantic", choices=("both", "on", "off"), default="both",
                        help="with the semantic layer, without it, or both (the default)")
    args = parser.parse_args(argv)
    splits = [s for s in ALL_SPLITS if args.split in ("all", s.removeprefix("es_"))
              and args.language in ("all", language_of(s))]
    rows = [r for r in load_corpus(args.corpus, splits) if args.flow in (None, r.flow)]
    layer = shared()
    modes: list[SimilarFor | None] = []
    if args.semantic in ("both", "on"):
        if not layer.available:
            print("semantic layer: unavailable (no model); measuring the rules only")
        else:
            modes.append(layer.for_flow)
    if args.semantic in ("both", "off") or not modes:
        modes.append(None)
    results = [(mode, evaluate(rows, mode)) for mode in modes]
    for mode, figures in results:
        print(render(figures, mode))
        print()
    if len(results) == 2:
        print("side by side (on | off):")
        print("\n".join(compare(results[0][1], results[1][1])))
    return 0


def compare(on: Mapping[tuple[str, str], Figures],
            off: Mapping[tuple[str, str], Figures]) -> list[str]:
    """One line per flow and split: each measure with the semantic layer on, then off."""
    lines = [f"{'flow':<10} {'split':<8} {'bucket accuracy':>17}  {'must-reach-a-person':>19}  "
             f"{'needless pages':>15}"]
    for key, fig in on.items():
        other = off[key]
        lines.append(f"{fig.flow:<10} {split_label(fig.split):<8} "
                     f"{_pct(fig.accuracy)} | {_pct(other.accuracy)}  "
                     f"{_pct(fig.recall)} | {_pct(other.recall)}    "
                     f"{_pct(fig.needless_rate)} | {_pct(other.needless_rate)}")
    return lines


if __name__ == "__main__":
    sys.exit(main())
