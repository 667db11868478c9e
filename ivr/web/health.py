"""GET /healthz: 200 when the app can serve (Redis answers), 503 when it cannot."""

from __future__ import annotations

from flask import Blueprint, current_app

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    from ivr.web.degraded import spool_of

    runtime = current_app.extensions["ivr"]
    redis_ok = runtime.store.ping()
    body = {"status": "ok" if redis_ok else "degraded", "redis": "ok" if redis_ok else "down",
            "businesses": len(runtime.directory), "spooled_texts": spool_of(runtime).pending()}
    return body, 200 if redis_ok else 503
