"""`ivr flows try`: a business's own past conversations replayed through its flow (issue 26).

Why: a business learns how its flow treats its customers only by going live, and after each
monthly edit it cannot see what the edit changed. Here the whole understanding runs on the
business's own machine, so its past texts can be replayed before anything is switched on.

"Exactly as live" means each message goes through the pure flow core (`ivr.flow.engine.step`)
with the Context the live product builds. That Context is built by
`ivr.conversation.service.build_context`, which this layer may not import (analytics sits below
the conversation layer), so the caller hands it in (`ContextFor`): the CLI and the dashboard
pass the live one, the evaluation (`ivr.analytics.understanding`) its fixed-clock twin. Around
the core, what the SMS channel does is repeated here: the first text opens the conversation
(`Input.start`), a later one is a text, or a keypad choice when it is a number the last question
offered (`ivr.conversation.sms.converse`); STOP ends it, HELP is the carrier's and skipped.
Nothing is stored, texted or called: there is no runtime here at all.

"Reaches a person" (`reached_person`): a step emitted a `Transfer`, a `NotifyStaff` or a
`QueueFollowUp`; an offer of a person that the customer must still take up is not one. Over a
conversation, any of its steps counts. Bucket and route are the conversation's last, as its
record would keep them.

Personal data: every text this module shows (examples, misses, changes) is masked with
`ivr.flow.redact` as the records are; ids are masked too (a spreadsheet id column can hold
anything). A row that cannot be read is a `Problem` with its line number and is skipped.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ivr.analytics.decisions import NO_BUCKET, reached_person
from ivr.analytics.metrics import HANDOVER_OUTCOMES
from ivr.config.business import Business
from ivr.flow.context import Context, Similar
from ivr.flow.engine import step
from ivr.flow.events import Input
from ivr.flow.model import Flow
from ivr.flow.redact import redact
from ivr.flow.state import State
from ivr.store.records import parse_iso
from ivr.twilio.messaging import keyword, menu_of

#: The live product's Context for one turn: (business, channel, phone, now, flow, similar).
ContextFor = Callable[[Business, str, str, datetime, Flow, Similar | None], Context]
#: The semantic layer for a flow (`ivr.semantic.Semantic.for_flow`): None means rules only.
SimilarFor = Callable[[Flow], Similar | None]

NEW_CUSTOMER = "+15125550999"
#: Where later messages are split in the CSV's `more` column.
MORE_SEPARATOR = " || "
#: Example texts shown per bucket, route and list.
EXAMPLES = 3
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


# -- the input ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Conversation:
    """One past conversation as the owner gave it: what the customer wrote, when, from where,
    and, when labelled, the bucket it belongs in and whether it needs a person."""

    id: str
    text: str
    more: tuple[str, ...] = ()
    at: datetime | None = None
    phone: str = ""
    label: str | None = None  # None: not labelled; "": labelled as no bucket
    needs_person: bool | None = None
    line: int = 0

    @property
    def messages(self) -> tuple[str, ...]:
        return (self.text, *self.more)


@dataclass(frozen=True)
class Problem:
    """A row that was skipped, and why (never its text: it may hold personal data)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class BadRow(ValueError):
    """A row that cannot be replayed; the message says what the owner should fix."""


def _when(text: str) -> datetime | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        moment = parse_iso(text)
    except (ValueError, OverflowError):
        moment = None
    if moment is None:
        raise BadRow(f"'at' is not an ISO 8601 date-time (e.g. 2025-03-12T11:00-06:00): "
                     f"{redact(text)[:40]!r}")
    return moment


def _yes_no(text: str) -> bool | None:
    answer = (text or "").strip().lower()
    if not answer:
        return None
    if answer in YES:
        return True
    if answer in NO:
        return False
    raise BadRow(f"needs_person must be yes or no, not {redact(answer)[:20]!r}")


def _row(raw: Mapping[str, Any], line: int) -> Conversation:
    def cell(name: str) -> str:
        value = raw.get(name)
        if value is None:
            return ""
        if not isinstance(value, str | int | float):
            raise BadRow(f"{name!r} must be text")
        return str(value)

    text = cell("text").strip()
    if not text:
        raise BadRow("no text (the customer's first message)")
    more = tuple(m.strip() for m in cell("more").split(MORE_SEPARATOR.strip()) if m.strip())
    needs_person = _yes_no(cell("needs_person"))
    label: str | None = cell("label").strip()
    if not label and raw.get("label") is None or not label and needs_person is None:
        label = None  # an empty label is "no bucket" only on a row the owner judged
    return Conversation(id=cell("id").strip() or f"line-{line}", text=text, more=more,
                        at=_when(cell("at")), phone=cell("phone").strip(), label=label,
                        needs_person=needs_person, line=line)


def _from_record(record: Mapping[str, Any], line: int) -> Conversation:
    """A conversation record (`ivr export --format jsonl`, or the store's): the caller's
    turns, the start time and the number; `label`/`needs_person` when the owner added them."""
    said = [t.get("text", "") for t in record.get("transcript") or []
            if isinstance(t, Mapping) and t.get("role") == "caller" and t.get("text")]
    if not said:
        raise BadRow("the record has no customer message")
    return _row({"id": record.get("id") or "", "text": said[0],
                 "more": MORE_SEPARATOR.join(said[1:]), "at": record.get("started_at") or "",
                 "phone": record.get("caller") or "", "label": record.get("label"),
                 "needs_person": record.get("needs_person")}, line)


def read_conversations(path: Path) -> tuple[list[Conversation], list[Problem]]:
    """The conversations of a CSV or JSON-lines file, and the rows skipped with their line."""
    text = Path(path).read_text(encoding="utf-8-sig", errors="replace")
    jsonl = Path(path).suffix.lower() in (".jsonl", ".json", ".ndjson") or \
        text.lstrip().startswith("{")
    return parse_jsonl(text) if jsonl else parse_csv(text)


def parse_jsonl(text: str) -> tuple[list[Conversation], list[Problem]]:
    """One record per line; a line that is not a JSON object is reported and skipped."""
    found: list[Conversation] = []
    problems: list[Problem] = []
    for line, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
            if not isinstance(record, dict):
                raise BadRow("not a JSON object")
            found.append(_from_record(record, line) if "transcript" in record
                         else _row(record, line))
        except json.JSONDecodeError as exc:
            problems.append(Problem(line, f"not valid JSON ({exc.msg})"))
        except BadRow as exc:
            problems.append(Problem(line, str(exc)))
    return found, problems


def parse_csv(text: str) -> tuple[list[Conversation], list[Problem]]:
    """Rows of a CSV with a `text` column; line numbers are the file's (a quoted cell may span
    lines: the row's first line is given)."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "text" not in [f.strip() for f in reader.fieldnames]:
        return [], [Problem(1, "the header must name a 'text' column")]
    found: list[Conversation] = []
    problems: list[Problem] = []
    start = reader.line_num + 1
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(start, f"not valid CSV ({exc})"))
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        raw = {(k or "").strip(): v for k, v in raw.items()}
        try:
            if None in raw.values() or "" in raw and raw[""]:
                raise BadRow("more cells than the header names")
            found.append(_row(raw, line))
        except BadRow as exc:
            problems.append(Problem(line, str(exc)))
    return found, problems


# -- one replay --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Decision:
    """What the flow did with one conversation."""

    bucket: str  # "" when the flow chose none
    route: str
    reach_person: bool
    how: str = ""  # "transfer", "notify", "follow-up", or ""
    reasons: tuple[str, ...] = ()
    after_hours: bool = False
    outcome: str = ""

    @property
    def understood(self) -> bool:
        return bool(self.bucket) or self.reach_person

    def view(self) -> dict[str, Any]:
        """The three things `--compare` compares, as JSON shows them."""
        return {"bucket": self.bucket or None, "route": self.route or None,
                "reach_person": self.reach_person}


def decide(conversation: Conversation, business: Business, flow: Flow,
           context_for: ContextFor, similar: Similar | None, now: datetime) -> Decision:
    """Replay every message of `conversation` as the SMS channel would, at its own time (or
    `now`), from its own number (or a new customer's)."""
    when = conversation.at or now
    if when.tzinfo is None:
        when = when.replace(tzinfo=business.tz)
    phone = conversation.phone or NEW_CUSTOMER
    state, how, menu = State(flow=flow.name), "", {}
    after_hours = False
    for i, body in enumerate(conversation.messages):
        word = keyword(body)
        if i and word == "stop":
            break
        if i and word == "help":
            continue
        context = context_for(business, "sms", phone, when, flow, similar)
        if i == 0:
            after_hours = context.after_hours
            inp = Input.start(body)
        elif 0 < len(body) <= 3 and body in menu and all(c in "0123456789*#" for c in body):
            inp = Input.digits(body)
        else:
            inp = Input.sms(body)
        state, actions = step(flow, state, inp, context)
        how = how or reached_person(actions)
        menu = menu_of(actions)
        if state.done:
            break
    return Decision(state.bucket or "", state.route or "", bool(how), how,
                    tuple(state.reasons), after_hours, state.outcome or "")


def recorded(record: Mapping[str, Any]) -> Decision:
    """What the live product did in a stored conversation, read as `decide` reports it: a
    person was reached when staff were texted, a follow-up queued, a transfer attempted, or
    the outcome is a handover (`ivr.analytics.metrics.HANDOVER_OUTCOMES`)."""
    reached = bool(record.get("notified") or record.get("followup") or record.get("transfer")
                   or record.get("outcome") in HANDOVER_OUTCOMES)
    return Decision(record.get("bucket") or "", record.get("route") or "", reached,
                    outcome=record.get("outcome") or "")


def from_record(record: Mapping[str, Any]) -> Conversation:
    """A stored or exported conversation record as a conversation to replay (BadRow when it
    holds no customer message)."""
    return _from_record(record, 0)


# -- a run ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Replayed:
    conversation: Conversation
    decision: Decision

    @property
    def right_bucket(self) -> bool:
        return self.decision.bucket == (self.conversation.label or "")


@dataclass
class Trial:
    """A file of conversations replayed through one business's flow."""

    business: str
    flow: str
    replayed: list[Replayed] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    semantic: bool = False

    @property
    def labelled(self) -> list[Replayed]:
        return [r for r in self.replayed if r.conversation.label is not None]

    @property
    def judged(self) -> list[Replayed]:
        return [r for r in self.replayed if r.conversation.needs_person is not None]

    @property
    def misses(self) -> list[Replayed]:
        """Must-reach-a-person conversations that would reach nobody."""
        return [r for r in self.judged
                if r.conversation.needs_person and not r.decision.reach_person]

    @property
    def needless(self) -> list[Replayed]:
        """Conversations that needed nobody but would page staff."""
        return [r for r in self.judged
                if not r.conversation.needs_person and r.decision.reach_person]

    def counts(self, of: Callable[[Decision], str]) -> dict[str, int]:
        found = Counter(of(r.decision) or NO_BUCKET for r in self.replayed)
        return dict(sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))

    def examples(self, keep: Callable[[Replayed], bool]) -> list[str]:
        return [redact(r.conversation.text) for r in self.replayed if keep(r)][:EXAMPLES]

    def to_json(self) -> dict[str, Any]:
        """The summary as one object, with exactly the keys the issue names (plus `problems`
        and `examples`, which `--json` readers may ignore)."""
        out: dict[str, Any] = {
            "conversations": len(self.replayed),
            "by_bucket": self.counts(lambda d: d.bucket),
            "by_route": self.counts(lambda d: d.route),
            "reach_person": sum(r.decision.reach_person for r in self.replayed),
            "not_understood": sum(not r.decision.understood for r in self.replayed),
            "rows": [{"id": redact(r.conversation.id), **r.decision.view()}
                     for r in self.replayed],
        }
        if self.labelled:
            right = sum(r.right_bucket for r in self.labelled)
            out["accuracy"] = round(right / len(self.labelled), 4)
        if self.judged:
            needed = [r for r in self.judged if r.conversation.needs_person]
            out["person_recall"] = (round((len(needed) - len(self.misses)) / len(needed), 4)
                                    if needed else None)
            out["needless_pages"] = len(self.needless)
            out["misses"] = [{"id": redact(r.conversation.id),
                              "text": redact(r.conversation.text), **r.decision.view()}
                             for r in self.misses]
        out["problems"] = [str(p) for p in self.problems]
        return out


def run(conversations: Sequence[Conversation], business: Business, flow: Flow,
        context_for: ContextFor, similar: Similar | None, now: datetime,
        problems: Sequence[Problem] = ()) -> Trial:
    """Replay every conversation; one that breaks the engine is a problem, not a crash."""
    trial = Trial(business.name, flow.name, problems=list(problems),
                  semantic=similar is not None)
    for conversation in conversations:
        try:
            decision = decide(conversation, business, flow, context_for, similar, now)
        except Exception as exc:  # noqa: BLE001 - one bad row must not stop the other 999
            trial.problems.append(Problem(conversation.line, f"could not be replayed "
                                                             f"({type(exc).__name__})"))
            continue
        trial.replayed.append(Replayed(conversation, decision))
    trial.problems.sort(key=lambda p: p.line)
    return trial


# -- comparing two versions --------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    conversation: Conversation
    before: Decision
    after: Decision

    def to_json(self) -> dict[str, Any]:
        return {"id": redact(self.conversation.id), "text": redact(self.conversation.text),
                "before": self.before.view(), "after": self.after.view()}


def changes(before: Trial, after: Trial) -> list[Change]:
    """Every conversation whose bucket, route or reaching a person differs between runs."""
    old = {id(r.conversation): r.decision for r in before.replayed}
    found = []
    for r in after.replayed:
        was = old.get(id(r.conversation))
        if was is not None and was.view() != r.decision.view():
            found.append(Change(r.conversation, was, r.decision))
    return found


# -- the printout ------------------------------------------------------------------------------
def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else "-"


def _show(d: Decision) -> str:
    return (f"{d.bucket or NO_BUCKET} / {d.route or '-'} / "
            f"{'reaches a person' if d.reach_person else 'no person'}")


def summary_lines(trial: Trial, changed: Sequence[Change] | None = None) -> list[str]:
    """What `ivr flows try` prints: counts with a few example texts each, then the labels'
    measures and the misses, then (with --compare) every change."""
    n = len(trial.replayed)
    lines = [f"{trial.business} ({trial.flow} flow): {n} conversation(s) replayed; semantic "
             f"layer {'on' if trial.semantic else 'off (rules only)'}; nobody was texted or "
             "called"]
    for title, of in (("by bucket", lambda d: d.bucket), ("by route", lambda d: d.route)):
        lines += ["", title + ":"]
        for name, count in trial.counts(of).items():
            key = "" if name == NO_BUCKET else name
            lines.append(f"  {name:<24} {count:>5}")
            for text in trial.examples(lambda r, of=of, key=key: of(r.decision) == key):
                lines.append(f"      e.g. {text!r}")
    reached = sum(r.decision.reach_person for r in trial.replayed)
    lost = sum(not r.decision.understood for r in trial.replayed)
    lines += ["", f"reach a person: {_pct(reached, n)}"]
    lines += [f"      e.g. {t!r}" for t in trial.examples(lambda r: r.decision.reach_person)]
    lines += [f"nobody would understand: {_pct(lost, n)}"]
    lines += [f"      e.g. {t!r}" for t in trial.examples(lambda r: not r.decision.understood)]
    if trial.labelled:
        right = sum(r.right_bucket for r in trial.labelled)
        lines += ["", f"bucket accuracy (labelled): {_pct(right, len(trial.labelled))}"]
    if trial.judged:
        needed = [r for r in trial.judged if r.conversation.needs_person]
        quiet = len(trial.judged) - len(needed)
        lines.append("must reach a person and would: "
                     f"{_pct(len(needed) - len(trial.misses), len(needed))}")
        for r in trial.misses:
            lines.append(f"  MISS {redact(r.conversation.id)}: {redact(r.conversation.text)!r}"
                         f" -> {_show(r.decision)}")
        lines.append(f"needless pages: {_pct(len(trial.needless), quiet)}")
        for r in trial.needless[:EXAMPLES]:
            lines.append(f"      e.g. {redact(r.conversation.text)!r} -> {r.decision.how}")
    if changed is not None:
        lines += ["", f"changed since the old version: {len(changed)}"]
        for c in changed:
            lines.append(f"  {redact(c.conversation.id)}: {redact(c.conversation.text)!r}")
            lines.append(f"      before: {_show(c.before)}")
            lines.append(f"      after:  {_show(c.after)}")
    if trial.problems:
        lines += ["", f"skipped {len(trial.problems)} row(s):"]
        lines += [f"  {p}" for p in trial.problems]
    return lines

