"""Dashboard conversations: a filtered list and one conversation's page (and its voicemail).

Filters (channel, bucket, outcome, date, number, business) are query parameters, so a
filtered list is a link that can be bookmarked or shared with a colleague.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import requests
from flask import Blueprint, Response, abort, render_template, request, send_file

from ivr.analytics.metrics import REPEAT_WINDOW, UNCLASSIFIED, started
from ivr.analytics.period import BadPeriod, business_keys, within_range
from ivr.runtime import Runtime
from ivr.store.records import Record
from ivr.twilio import urls
from ivr.web.context import current_runtime
from ivr.web.dashboard.auth import login_required, page_headers

bp = Blueprint("conversations", __name__, url_prefix=urls.DASHBOARD_CONVERSATIONS)
bp.after_request(page_headers)

#: Rows shown on one list page (newest first).
LIMIT = 200

CHANNELS = ("voice", "sms")
OUTCOMES = ("resolved", "qualified", "not_qualified", "transferred", "escalated",
            "after_hours_queued", "abandoned", "opted_out", "open")


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def matches(record: Record, filters: dict[str, str]) -> bool:
    """Whether a record passes the list's filters (empty filter = any)."""
    if filters["channel"] and record.get("channel") != filters["channel"]:
        return False
    if filters["bucket"] and (record.get("bucket") or UNCLASSIFIED) != filters["bucket"]:
        return False
    if filters["outcome"] and (record.get("outcome") or "open") != filters["outcome"]:
        return False
    number = _digits(filters["number"])
    return not number or number in _digits(record.get("caller", ""))


def read_filters() -> dict[str, str]:
    return {name: request.args.get(name, "").strip()
            for name in ("channel", "bucket", "outcome", "date", "number", "business")}


def day_bounds(runtime: Runtime, keys: list[str], text: str) -> tuple[datetime, datetime]:
    """A calendar day in the businesses' own timezone (UTC when they differ), as [start, end).

    "Tuesday" means the owner's Tuesday: a call at 9 pm in Austin is on Tuesday's list even
    though it is Wednesday in UTC.
    """
    zones = {b.timezone for b in runtime.directory if b.key in keys}
    zone = ZoneInfo(zones.pop()) if len(zones) == 1 else UTC
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise BadPeriod(f"'{text}' is not an ISO 8601 date (e.g. 2026-11-01)") from None
    within_range(datetime.combine(day, time(), tzinfo=UTC), text, "date")  # 9999-12-31: no 500
    return (datetime.combine(day, time(), tzinfo=zone),
            datetime.combine(day + timedelta(days=1), time(), tzinfo=zone))


@bp.get("/")
@login_required
def listing():
    runtime = current_runtime()
    filters = read_filters()
    error = None
    since = until = None
    try:
        keys = business_keys(runtime, filters["business"] or None)
    except LookupError as exc:
        error, filters["business"], keys = str(exc), "", business_keys(runtime)
    if filters["date"]:
        try:
            since, until = day_bounds(runtime, keys, filters["date"])
        except BadPeriod as exc:
            error, filters["date"] = str(exc), ""
    records = runtime.store.conversations(keys, since=since, until=until)
    buckets = sorted({r.get("bucket") or UNCLASSIFIED for r in records})
    shown = [r for r in reversed(records) if matches(r, filters)]
    return render_template(
        "conversations.html", rows=shown[:LIMIT], total=len(shown), limit=LIMIT,
        filters=filters, error=error, channels=CHANNELS, outcomes=OUTCOMES, buckets=buckets,
        businesses=list(runtime.directory)), 400 if error else 200


def related(runtime: Runtime, record: Record) -> list[dict[str, Any]]:
    """Other conversations of the same number with this business, marking 48 h returns."""
    begin = started(record)
    others = runtime.store.conversations([record["business_key"]], phone=record["caller"])
    rows = []
    for other in others:
        if other["id"] == record["id"]:
            continue
        moment = started(other)
        repeat = bool(begin and moment and begin < moment <= begin + REPEAT_WINDOW)
        rows.append({"record": other, "repeat": repeat,
                     "before": bool(begin and moment and moment < begin)})
    return rows


def timeline(record: Record) -> list[tuple[str, str | None]]:
    """The transfer's steps in order, as (what happened, ISO time)."""
    transfer = record.get("transfer") or {}
    steps = [("Conversation started", record.get("started_at"))]
    for key, label in (("decided_at", "Escalation decided"), ("dialed_at", "Staff dialled"),
                       ("answered_at", "Staff answered"), ("connected_at", "Caller connected")):
        if transfer.get(key):
            steps.append((label, transfer[key]))
    if record.get("ended_at"):
        steps.append(("Conversation ended", record["ended_at"]))
    return steps


def record_or_404(conversation_id: str) -> tuple[Any, Record]:
    """The runtime and the conversation, or a 404 page."""
    runtime = current_runtime()
    record = runtime.store.get(conversation_id)
    if record is None:
        abort(404, description="No conversation with that id.")
    return runtime, record


@bp.get("/<conversation_id>")
@login_required
def detail(conversation_id: str):
    runtime, record = record_or_404(conversation_id)
    return render_template("conversation.html", r=record, related=related(runtime, record),
                           timeline=timeline(record),
                           has_voicemail=voicemail_source(runtime, record) is not None)


def voicemail_source(runtime: Runtime, record: Record) -> tuple[str, str] | None:
    """Where a conversation's voicemail can be fetched: ("file", path) or ("url", url).

    Only files under the app's own audio/var directories and URLs on the configured Twilio
    API base qualify, so a record can never make the app read or fetch anything else.
    """
    mail = record.get("voicemail")
    if not isinstance(mail, dict):
        return None
    settings = runtime.settings
    path = mail.get("path")
    if path:
        candidate = Path(path).resolve()
        roots = (Path(settings.audio_dir).resolve(), Path(settings.var_dir).resolve())
        if candidate.is_file() and any(candidate.is_relative_to(root) for root in roots):
            return ("file", str(candidate))
    url = mail.get("recording_url") or mail.get("url")
    if not url and mail.get("recording_sid"):
        url = (f"{settings.api_base.rstrip('/')}/2010-04-01/Accounts/{settings.account_sid}"
               f"/Recordings/{mail['recording_sid']}.wav")
    if isinstance(url, str) and url.startswith(settings.api_base.rstrip("/") + "/"):
        return ("url", url)
    return None


@bp.get("/<conversation_id>/voicemail")
@login_required
def voicemail(conversation_id: str):
    """The voicemail audio, streamed through the app (Twilio recordings need our credentials)."""
    runtime, record = record_or_404(conversation_id)
    source = voicemail_source(runtime, record)
    if source is None:
        abort(404, description="This conversation has no voicemail recording.")
    kind, where = source
    if kind == "file":
        return send_file(where)
    settings = runtime.settings
    try:
        upstream = requests.get(where, auth=(settings.account_sid, settings.auth_token),
                                timeout=(3, 15))
    except requests.RequestException:
        abort(502, description="The recording could not be fetched right now.")
    if upstream.status_code != 200:
        abort(502, description="The recording could not be fetched right now.")
    kind = upstream.headers.get("Content-Type", "audio/wav")
    return Response(upstream.content, mimetype=kind.split(";")[0],
                    headers={"Cache-Control": "private, max-age=300"})
