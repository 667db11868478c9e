"""GET /healthz: 200 when the app can serve (Redis answers), 503 when it cannot; and nothing
else, because anyone on the internet can ask: `{"status": "ok"}` or `{"status": "degraded"}`.

The figures behind it are for the owner: `GET /api/health` (the API token or a dashboard login,
like every /api route) answers with the same status code and also says whether Redis answers,
how many businesses are served, how many texts wait in the outage spool, and how many jobs wait
on the URGENT queue (staff texts, confirmations): a number that only grows means no
`ivr worker` is running. That is information, not a failure — the web node still serves — so it
never turns the answer into a 503.
"""

from __future__ import annotations

import logging

import redis
from flask import Blueprint

from ivr.jobs.queues import URGENT, queue
from ivr.logs import event
from ivr.web.context import current_runtime
from ivr.web.degraded import spool_of
from ivr.web.security import api_auth

bp = Blueprint("health", __name__)
log = logging.getLogger("ivr.web.health")


def urgent_jobs(runtime) -> int | None:
    """Jobs waiting on the URGENT queue (one LLEN), or None when it cannot be read."""
    try:
        return queue(runtime.redis, URGENT).count
    except redis.RedisError as exc:
        event("health.queue_unreadable", log, logging.WARNING, error=type(exc).__name__)
        return None


@bp.get("/healthz")
def healthz():
    """Healthy or not, for load balancers and container checks: no counts, no names."""
    redis_ok = current_runtime().store.ping()
    return {"status": "ok" if redis_ok else "degraded"}, 200 if redis_ok else 503


@bp.get("/api/health")
@api_auth
def api_health():
    """The health check with its figures, for the owner."""
    runtime = current_runtime()
    redis_ok = runtime.store.ping()
    body = {"status": "ok" if redis_ok else "degraded", "redis": "ok" if redis_ok else "down",
            "businesses": len(runtime.directory), "spooled_texts": spool_of(runtime).pending(),
            "urgent_jobs": urgent_jobs(runtime) if redis_ok else None}
    return body, 200 if redis_ok else 503
