"""The monthly review's flow check: the last 30 days of real texts against the flow on disk.

Why: after editing a flow file the owner wants to know, before the next customer finds out,
which of last month's conversations it would now treat differently. Each SMS conversation of
the period is replayed (`ivr.analytics.replay`) through the business's flow file as it is on
disk now, at the moment it happened, from the same number, with the live Context and semantic
layer, and compared with what the product actually did then (the record's bucket, route and
whether a person was reached). Calls are left out: their words came through speech
recognition turn by turn and a text replay would not be the same conversation. Nothing is
texted or stored; the page shows masked texts only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, render_template, request

from ivr.analytics.period import Period, business_keys, records_for
from ivr.analytics.replay import BadRow, Change, decide, from_record, recorded
from ivr.config.business import Business
from ivr.conversation.service import build_context, flow_for
from ivr.flow.redact import redact
from ivr.runtime import Runtime
from ivr.web.context import current_runtime
from ivr.web.dashboard.auth import login_required, page_headers

bp = Blueprint("flowcheck", __name__, url_prefix="/dashboard")
bp.after_request(page_headers)

DAYS = 30


@dataclass
class Checked:
    """One business's month against its flow file."""

    business: Business
    replayed: int = 0
    calls: int = 0
    changed: list[Change] = field(default_factory=list)
    error: str = ""


def check_business(runtime: Runtime, business: Business, period: Period) -> Checked:
    """Every SMS conversation of `period`: what happened then against the flow on disk now."""
    found = Checked(business)
    try:
        flow = flow_for(business)
    except Exception as exc:  # a broken file on disk is the owner's to see, not a 500
        found.error = redact(str(exc))[:300]
        return found
    similar = runtime.semantic.for_flow(flow)
    for record in records_for(runtime, [business.key], period):
        if record.get("channel") != "sms":
            found.calls += 1
            continue
        try:
            conversation = from_record(record)
        except BadRow:
            continue
        after = decide(conversation, business, flow, build_context, similar, runtime.clock())
        before = recorded(record)
        found.replayed += 1
        if before.view() != after.view():
            found.changed.append(Change(conversation, before, after))
    return found


@bp.get("/flow-check")
@login_required
def flow_check():
    runtime = current_runtime()
    business = request.args.get("business", "")
    try:
        keys = business_keys(runtime, business or None)
    except LookupError:
        business, keys = "", business_keys(runtime)
    period = Period.last_days(runtime.clock(), DAYS)
    results = [check_business(runtime, b, period) for b in runtime.directory if b.key in keys]
    return render_template("flow_check.html", results=results, days=DAYS, period=period,
                           business=business)
