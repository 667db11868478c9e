"""Flask app factory: one blueprint per area, registered explicitly; the Runtime kept in the app
(`ivr.web.context`).

The app is given its runtime already wired with the conversation service (`ivr.app.wiring`):
the web layer sits below the wiring and builds neither.
"""

from __future__ import annotations

import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from ivr.runtime import Runtime
from ivr.web import (
    api,
    context,
    degraded,
    door,
    followups,
    hardening,
    health,
    metrics,
    sessions,
    sms,
    stream,
    transfer,
    voice,
)
from ivr.web.context import EXTENSION
from ivr.web.dashboard import overview

log = logging.getLogger("ivr.web")

#: The areas, in registration order (the door's hooks before the views'). Each module exposes
#: `bp`, or `init_app(app)` when it brings hooks of its own; imported by name, so a misspelt
#: or missing area fails at start-up instead of silently dropping its routes.
AREAS = (health, degraded, door, voice, sms, stream, transfer, api, metrics, followups,
         overview)


def create_app(runtime: Runtime, warm: bool = True) -> Flask:
    """Build the web app on `runtime` (settings, connections and the conversation service).

    With `warm`, the speech model starts loading now on a thread, so a first caller's words are
    not waiting on it; `ivr serve` passes False and warms in each gunicorn worker instead (a
    model loaded here, in the master, would be loaded again by every worker forked mid-load and
    kept resident in a master that never serves a call)."""
    settings = runtime.settings
    app = Flask(__name__)
    # No SECRET_KEY: sessions live in Redis (`sessions`), their ids signed with their own key.
    app.config["MAX_CONTENT_LENGTH"] = 256 * 1024
    app.extensions[EXTENSION] = runtime
    context.init_app(app)
    hardening.init_app(app)
    sessions.init_app(app, runtime)
    if settings.trust_proxy:  # only then is X-Forwarded-For believed (remote_addr, https)
        n = settings.trust_proxy
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)  # type: ignore[method-assign]
    for module in AREAS:
        if hasattr(module, "init_app"):
            module.init_app(app)
        else:
            app.register_blueprint(module.bp)
    if warm:
        health.start_warming(runtime, semantic=False)  # the semantic model stays lazy here
    return app

