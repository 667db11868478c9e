"""The owner's dashboard: metric cards, charts, unanswered questions, on-call, failed jobs.

Server-rendered with Jinja; charts are inline SVG from `ivr.analytics.charts`, styles come from one
static CSS file, so nothing is fetched from a CDN at run time. `/` redirects here. Sign-in
and CSRF live in `dashboard_auth`, the conversations pages in `dashboard_conversations`.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import (
    Blueprint,
    Flask,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup

from ivr.analytics import charts
from ivr.analytics.period import Period, business_keys, period_metrics
from ivr.config.oncall import on_call
from ivr.jobs import queues as jobs
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.store.unanswered import HandledMarks
from ivr.web.context import current_runtime
from ivr.web.dashboard import auth as dashboard_auth
from ivr.web.dashboard import conversations as dashboard_conversations
from ivr.web.dashboard import flowcheck as dashboard_flowcheck
from ivr.web.dashboard import format as dashboard_format
from ivr.web.dashboard.auth import check_csrf, login_required, page_headers

log = logging.getLogger("ivr.dashboard")

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
bp.after_request(page_headers)
root = Blueprint("root", __name__)

#: The period selector's choices (days), and the one shown first.
PERIODS = (7, 30, 90)
DEFAULT_DAYS = 30


def init_app(app: Flask) -> None:
    """Register the dashboard's blueprints and template helpers (sessions and their cookie:
    `ivr.web.sessions`)."""
    for blueprint in (bp, root, dashboard_auth.bp, dashboard_conversations.bp,
                      dashboard_flowcheck.bp):
        app.register_blueprint(blueprint)
    app.jinja_env.globals["csrf_token"] = dashboard_auth.csrf_token
    app.jinja_env.globals["signed_in"] = dashboard_auth.may_view
    dashboard_format.register(app)


@root.get("/")
def index():
    return redirect(url_for("dashboard.overview"))


def chosen_days() -> int:
    try:
        days = int(request.args.get("days", DEFAULT_DAYS))
    except ValueError:
        return DEFAULT_DAYS
    return days if days in PERIODS else DEFAULT_DAYS


def chosen_businesses(runtime: Runtime) -> tuple[str, list[str]]:
    """The `business` filter (a key, '' for all) and the keys it covers."""
    wanted = request.args.get("business", "")
    try:
        return wanted, business_keys(runtime, wanted or None)
    except LookupError:
        return "", business_keys(runtime)


def on_call_now(runtime: Runtime, keys: list[str]) -> list[dict[str, Any]]:
    """Who each business would ring right now."""
    now = runtime.clock()
    rows = []
    for business in runtime.directory:
        if business.key in keys:
            people = on_call(business, now)
            rows.append({"business": business.name,
                         "people": [{"name": p.staff.name, "phone": p.staff.phone,
                                     "skills": list(p.staff.skills)} for p in people]})
    return rows


def failed_jobs(runtime: Runtime) -> list[dict[str, Any]] | None:
    """Background jobs that failed (`ivr.jobs.queues.failed_jobs`), or None when the queue cannot be
    read: a broken queue must not take the dashboard down (the page says it is unavailable)."""
    try:
        return jobs.failed_jobs(runtime.redis)
    except Exception as exc:
        event("dashboard.failed_jobs_error", log, logging.WARNING, error=type(exc).__name__)
        return None


def chart_set(body: dict[str, Any]) -> dict[str, Markup]:
    """The overview's three charts as inline SVG."""
    buckets = body["by_bucket"]
    human = [name for name, row in buckets.items() if row["route"] == "human"]
    order = ("bot_only", "bot_first", "human")
    routes = [(name.replace("_", " "), row["conversations"]) for name, row in sorted(
        body["by_route"].items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 9)]
    return {
        "time_to_human": Markup(charts.histogram(
            body["time_to_human_s"], "Time to a human, seconds")),
        "by_bucket": Markup(charts.bar_chart(
            [(name, row["conversations"]) for name, row in buckets.items()],
            "Conversations by bucket", alt=human)),
        "by_route": Markup(charts.bar_chart(routes, "Conversations by route")),
    }


@bp.get("/")
@login_required
def overview():
    runtime = current_runtime()
    days = chosen_days()
    business, keys = chosen_businesses(runtime)
    period = Period.last_days(runtime.clock(), days)
    body = period_metrics(runtime, period, keys)
    return render_template(
        "overview.html", m=body, days=days, periods=PERIODS, business=business,
        businesses=list(runtime.directory), charts=chart_set(body),
        on_call=on_call_now(runtime, keys), failed=failed_jobs(runtime))


@bp.post("/unanswered/handled")
@login_required
def mark_handled():
    """Mark an unanswered-questions group handled for the businesses it was asked of."""
    check_csrf()
    runtime = current_runtime()
    question = request.form.get("question", "").strip()
    known = set(business_keys(runtime))
    targets = [b for b in request.form.getlist("business") if b in known]
    if not question or not targets:
        flash("Choose a question to mark handled.", "error")
    else:
        marks = HandledMarks.of(runtime.store)
        for key in targets:
            marks.mark(key, question, runtime.clock())
        event("unanswered.handled", log, businesses=",".join(targets))
        flash(f"Marked handled: “{question}”", "ok")
    back = request.form.get("back", "")
    if not back.startswith("/dashboard"):
        back = url_for("dashboard.overview")
    return redirect(back + "#unanswered")
