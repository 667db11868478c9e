"""Conversation records: the JSON shape of the Conversation API (docs/contracts.md), built and updated here.

A record is a plain dict so that the store, the API, the dashboard, exports and metrics all read
one shape. These helpers keep its fields consistent (ISO timestamps, roles, transfer timing).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from ivr.flow.redact import redact

Record = dict[str, Any]


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, or None."""
    if moment is None:
        return None
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
        "bucket": None,
        "route": None,
        "outcome": None,
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
    turn: dict[str, Any] = {"role": role, "text": redact(text), "at": iso(now)}
    if confidence is not None:
        turn["confidence"] = round(float(confidence), 3)
    record["transcript"].append(turn)


def public_view(record: Record) -> Record:
    """The record as the API shows it (internal bookkeeping keys dropped)."""
    return {k: v for k, v in record.items() if k not in {"business_key", "sids"}}
