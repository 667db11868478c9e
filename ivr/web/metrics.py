"""GET /api/metrics?since=&until=&business= — the contract's metrics as JSON (bearer token).

Also the unanswered-questions log on its own (`GET /api/unanswered`) and a way to mark a
question handled from a script (`POST /api/unanswered/handled`). Periods default to the last
30 days up to now; `business` is a key or a name (default: all). Bad dates or an unknown
business are a 400/404 with a message, never a crash.
"""

from __future__ import annotations

from flask import Blueprint, request

from ivr.analytics.metrics import in_period
from ivr.analytics.period import BadPeriod, Period, business_keys, period_metrics, records_for
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.store.records import iso
from ivr.store.unanswered import HandledMarks, normalize, unanswered_in
from ivr.web.context import current_runtime
from ivr.web.security import api_auth

bp = Blueprint("metrics", __name__)


class BadScope(Exception):
    """A period or business the request named that cannot be used: (body, status)."""


def _scope(runtime: Runtime) -> tuple[Period, list[str]]:
    try:
        period = Period.parse(request.args.get("since"), request.args.get("until"),
                              runtime.clock())
    except BadPeriod as exc:
        raise BadScope({"error": str(exc)}, 400) from None
    try:
        return period, business_keys(runtime, request.args.get("business"))
    except LookupError as exc:
        raise BadScope({"error": str(exc)}, 404) from None


@bp.errorhandler(BadScope)
def bad_scope(exc: BadScope):
    return exc.args[0], exc.args[1]


@bp.get("/api/metrics")
@api_auth
def api_metrics():
    runtime = current_runtime()
    period, businesses = _scope(runtime)
    return period_metrics(runtime, period, businesses)


@bp.get("/api/unanswered")
@api_auth
def api_unanswered():
    """The grouped log for a period: question, count, examples, handled."""
    runtime = current_runtime()
    period, businesses = _scope(runtime)
    records = in_period(records_for(runtime, businesses, period), period.since, period.until)
    groups = unanswered_in(runtime.store, records)
    return {"since": iso(period.since), "until": iso(period.until),
            "unanswered": [g.as_dict() for g in groups]}


@bp.post("/api/unanswered/handled")
@api_auth
def api_mark_handled():
    """`{"question": "...", "business": "key or name"}`: the answer has been added."""
    runtime = current_runtime()
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not normalize(str(body.get("question") or "")):
        return {"error": 'send JSON {"question": "...", "business": "..."}'}, 400
    try:
        keys = business_keys(runtime, str(body.get("business") or "") or None)
    except LookupError as exc:
        return {"error": str(exc)}, 404
    marks = HandledMarks.of(runtime.store)
    text = ""
    for key in keys:
        text = marks.mark(key, str(body["question"]), runtime.clock())
    event("unanswered.handled", businesses=",".join(keys))
    return {"handled": text, "businesses": keys}
