"""Flask app factory: one blueprint per area, the Runtime kept in `app.extensions['ivr']`.

The app is given its runtime already wired with the conversation service (`ivr.app.wiring`):
the web layer sits below the wiring and builds neither.
"""

from __future__ import annotations

import importlib
import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from ivr.runtime import Runtime
from ivr.web import hardening, sessions

log = logging.getLogger("ivr.web")

#: Blueprint modules, each exposing `bp` (and optionally `init_app(app)`); missing ones skipped
#: so each capability lands on its own.
BLUEPRINTS = (
    "ivr.web.health", "ivr.web.degraded", "ivr.web.door", "ivr.web.voice", "ivr.web.sms",
    "ivr.web.stream", "ivr.web.transfer",
    "ivr.web.api", "ivr.web.metrics", "ivr.web.followups", "ivr.web.dashboard.overview",
)


def create_app(runtime: Runtime) -> Flask:
    """Build the web app on `runtime` (settings, connections and the conversation service)."""
    settings = runtime.settings
    app = Flask(__name__)
    # No SECRET_KEY: sessions live in Redis (`sessions`), their ids signed with their own key.
    app.config["MAX_CONTENT_LENGTH"] = 256 * 1024
    app.extensions["ivr"] = runtime
    hardening.init_app(app)
    sessions.init_app(app, runtime)
    if settings.trust_proxy:  # only then is X-Forwarded-For believed (remote_addr, https)
        n = settings.trust_proxy
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)  # type: ignore[method-assign]
    for name in BLUEPRINTS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        if hasattr(module, "init_app"):
            module.init_app(app)
        else:
            app.register_blueprint(module.bp)
    return app


def runtime_of(app: Flask) -> Runtime:
    return app.extensions["ivr"]
