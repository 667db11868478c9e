"""The Conversation API: GET /api/conversations and GET /api/conversations/<id>.

Bearer IVR_API_TOKEN. Records are shown through `records.public_view`, newest first. Filters
narrow by time, caller, business, channel, bucket, outcome and qualification ("qualified"
counts a lead that staff then took, whose outcome is "transferred"); a filter the API cannot read is a
400 that says which one and why, never an empty list that hides the mistake.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, request

from ivr.analytics.period import BadPeriod, shown, within_range
from ivr.config.business import e164
from ivr.runtime import Runtime
from ivr.store.records import Record, parse_iso, public_view, qualification_of
from ivr.web.context import current_runtime
from ivr.web.security import api_auth

bp = Blueprint("api", __name__)

#: Conversations returned when `limit` is not given, and the most one request may ask for.
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
CHANNELS = ("voice", "sms")
#: Longer than any phone number written with spaces and dashes: not worth parsing.
MAX_PHONE_CHARS = 40


class BadFilter(ValueError):
    """A query parameter the API cannot use; its message is shown to the client."""


def _moment(name: str) -> datetime | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        moment = parse_iso(text)
    except ValueError:
        raise BadFilter(f"{name}: not an ISO 8601 date or date-time: {shown(text)} "
                        f"(e.g. 2026-11-01 or 2026-11-01T09:00:00Z)") from None
    try:
        return within_range(moment, text, name)  # type: ignore[arg-type]
    except BadPeriod as exc:
        raise BadFilter(str(exc)) from None


def _phone() -> str | None:
    text = request.args.get("phone", "").strip()
    if not text:
        return None
    number = e164(text) if len(text) <= MAX_PHONE_CHARS else None
    if number is None:
        raise BadFilter(f"phone: not a phone number: {shown(text)} (use E.164, e.g. +15125550199)")
    return number


def _limit() -> int:
    text = request.args.get("limit", "").strip()
    if not text:
        return DEFAULT_LIMIT
    # ASCII digits only: "²" and "١" pass str.isdigit() but int() refuses the first of them
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_LIMIT:
        raise BadFilter(f"limit: a whole number from 1 to {MAX_LIMIT}, not {shown(text)}")
    return int(text)


def _business_keys(runtime: Runtime) -> list[str] | None:
    text = request.args.get("business", "").strip()
    if not text:
        return None
    found = runtime.directory.by_key(text) or next(
        (b for b in runtime.directory if b.name.lower() == text.lower()), None)
    if found is None:
        names = ", ".join(sorted(b.name for b in runtime.directory))
        raise BadFilter(f"business: no business named {shown(text)} (known: {names})")
    return [found.key]


def _channel() -> str | None:
    text = request.args.get("channel", "").strip().lower()
    if text and text not in CHANNELS:
        raise BadFilter(f"channel: 'voice' or 'sms', not {shown(text)}")
    return text or None


def _matches(record: Record, field: str, wanted: str | None) -> bool:
    return wanted is None or record.get(field) == wanted


QUALIFICATIONS = ("qualified", "not_qualified")


def _qualification() -> str | None:
    text = request.args.get("qualification", "").strip()
    if text and text not in QUALIFICATIONS:
        raise BadFilter(f"qualification: 'qualified' or 'not_qualified', not {shown(text)}")
    return text or None


def _qualified_as(record: Record, wanted: str | None) -> bool:
    found = qualification_of(record)
    return wanted is None or (found is not None and found["result"] == wanted)


def find(runtime: Runtime) -> list[Record]:
    """The records the query string asks for, newest first."""
    since, until = _moment("since"), _moment("until")
    if since and until and until <= since:
        raise BadFilter("until: must be later than since")
    phone, limit, channel = _phone(), _limit(), _channel()
    bucket = request.args.get("bucket", "").strip() or None
    outcome = request.args.get("outcome", "").strip() or None
    qualification = _qualification()
    records = runtime.store.conversations(_business_keys(runtime), since=since, until=until,
                                          phone=phone)
    chosen = [r for r in reversed(records) if _matches(r, "channel", channel)
              and _matches(r, "bucket", bucket) and _matches(r, "outcome", outcome)
              and _qualified_as(r, qualification)]
    return chosen[:limit]


@bp.get("/api/conversations")
@api_auth
def conversations() -> tuple[dict[str, Any], int]:
    runtime: Runtime = current_runtime()
    try:
        records = find(runtime)
    except BadFilter as exc:
        return {"error": str(exc)}, 400
    return {"conversations": [public_view(r) for r in records]}, 200


@bp.get("/api/conversations/<conversation_id>")
@api_auth
def conversation(conversation_id: str) -> tuple[dict[str, Any], int]:
    runtime: Runtime = current_runtime()
    record = runtime.store.get(conversation_id)
    if record is None:
        return {"error": f"no conversation {conversation_id!r}"}, 404
    return public_view(record), 200
