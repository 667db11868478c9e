"""Conversation records: the JSON shape of the conversation API (docs/contracts.md), built and
updated here.

A record is a plain dict (typed below as `Record`) so that the store, the API, the dashboard,
exports and metrics all read one shape as JSON. These helpers keep its fields consistent (ISO
timestamps, roles, transfer timing).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Literal, NotRequired, TypedDict

from ivr.flow.redact import redact


class Said(TypedDict):
    """One transcript line: who said it, the words (card numbers and SSNs masked), when, and
    the recogniser's confidence for a spoken answer."""

    role: Literal["caller", "bot", "agent"]
    text: str
    at: str | None
    confidence: NotRequired[float]


class Escalation(TypedDict):
    """Why the conversation went to a person, and how sure the bot was of the bucket."""

    reasons: list[str]
    confidence: float | None


class TransferFields(TypedDict):
    """The warm transfer or call bridge: who took it and how long the customer waited."""

    agent: str | None
    phone: str | None
    dialed_at: str | None
    answered_at: str | None
    accepted: bool | None
    time_to_human_s: float | None
    decided_at: NotRequired[str | None]
    attempts: NotRequired[list[dict[str, Any]]]


class Qualification(TypedDict):
    """The flow's screening verdict (a bucket's `qualify:` rules), kept apart from the outcome:
    `result` "qualified" or "not_qualified"; `reasons` the rules that held (qualified) or the
    one that failed (not qualified)."""

    result: str
    reasons: list[str]


class Record(TypedDict):
    """A conversation as the API serves it, plus internal bookkeeping.

    Public (the conversation API): id, business, channel, caller, started_at, ended_at, flow,
    language (the customer's: "en" until another is sure), bucket, route, outcome, qualification, slots, escalation, transcript, transfer, feedback, voicemail,
    unanswered, and once they happen followup (the callback task), notified (staff texts
    sent) and call (a call's final status and duration). Internal (`public_view` drops them):
    business_key and sids (the carrier ids of the messages and calls that made it).
    """

    id: str
    business: str
    business_key: str
    channel: str
    caller: str
    started_at: str | None
    ended_at: str | None
    flow: str
    language: str
    bucket: str | None
    route: str | None
    outcome: str | None
    qualification: NotRequired[Qualification | None]
    slots: dict[str, Any]
    escalation: Escalation
    transcript: list[Said]
    transfer: TransferFields | None
    sids: list[str]
    feedback: dict[str, Any] | None
    voicemail: dict[str, Any] | None
    unanswered: list[dict[str, Any]]
    followup: NotRequired[dict[str, Any]]
    notified: NotRequired[list[dict[str, Any]]]
    call: NotRequired[dict[str, Any]]
    #: The customer's language ("en", "es"), from the flow state; older records lack it (English).
    language: NotRequired[str]


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, or None."""
    if moment is None:
        return None
    if moment.tzinfo is None:  # the machine's zone, read as it is now: not remembered
        return _iso.__wrapped__(moment, moment.fold)
    return _iso(moment, moment.fold)


@lru_cache(maxsize=64)
def _iso(moment: datetime, _fold: int) -> str:
    """`iso`, remembered: a turn writes its one moment on each of its lines (and the record's
    times). `fold` is in the key because equal times in one zone may be an hour apart (the
    repeated hour when clocks go back) and compare equal without it."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(text: str | None) -> datetime | None:
    """The inverse of `iso`; accepts any ISO 8601 with an offset or Z (naive = UTC)."""
    if not text:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def new_id() -> str:
    """A conversation id: 'CV' and 32 hex digits, like Twilio's SIDs."""
    return "CV" + uuid.uuid4().hex


def new_conversation(*, business: str, business_key: str, channel: str, caller: str, flow: str,
                     now: datetime, sid: str | None = None) -> Record:
    """A fresh record for a conversation that just began."""
    return {
        "id": new_id(),
        "business": business,
        "business_key": business_key,
        "channel": channel,
        "caller": caller,
        "started_at": iso(now),
        "ended_at": None,
        "flow": flow,
        "language": "en",
        "bucket": None,
        "route": None,
        "outcome": None,
        "qualification": None,
        "slots": {},
        "escalation": {"reasons": [], "confidence": None},
        "transcript": [],
        "transfer": None,
        "sids": [sid] if sid else [],
        "feedback": None,
        "voicemail": None,
        "unanswered": [],
    }


def add_turn(record: Record, role: str, text: str, now: datetime,
             confidence: float | None = None) -> None:
    """Append one line to the transcript (caller, bot or agent), card numbers and SSNs masked."""
    turn: Said = {"role": role, "text": redact(text), "at": iso(now)}  # type: ignore[typeddict-item]
    if confidence is not None:
        turn["confidence"] = round(float(confidence), 3)
    record["transcript"].append(turn)


def qualification_of(record: Record | dict[str, Any]) -> Qualification | None:
    """The record's qualification; for a record written before it was kept apart, read from
    the outcome it had then ("qualified"/"not_qualified"), else None (never screened)."""
    found = record.get("qualification")
    if found:
        return found  # type: ignore[no-any-return]
    outcome = record.get("outcome")
    if outcome in ("qualified", "not_qualified"):
        return {"result": str(outcome), "reasons": []}
    return None


def public_view(record: Record) -> dict[str, Any]:
    """The record as the API shows it (internal bookkeeping keys dropped; `qualification`
    always present, null when the conversation was never screened)."""
    view = {k: v for k, v in record.items() if k not in {"business_key", "sids"}}
    view["qualification"] = qualification_of(record)
    return view
