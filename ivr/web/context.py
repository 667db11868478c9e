"""The running ivr as a view sees it: where the app keeps its Runtime, and where the request
being answered arrived.

`create_app` stores the wired `Runtime` under `EXTENSION`; every view, guard and hook reads it
through `current_runtime()` rather than reaching into `app.extensions` itself. Without
IVR_PUBLIC_URL, `init_app` records each request's base URL with `ivr.twilio.urls.arrived_on`
(and forgets it after), so the callback URLs built below the web layer name the host Twilio
reached without importing Flask.
"""

from __future__ import annotations

from flask import Flask, current_app, g, request

from ivr.runtime import Runtime
from ivr.twilio.urls import arrived_on, left

#: Key of the Runtime in `app.extensions`.
EXTENSION = "ivr"


def runtime_of(app: Flask) -> Runtime:
    """The Runtime `app` was built on."""
    return app.extensions[EXTENSION]


def current_runtime() -> Runtime:
    """The Runtime of the app handling the current request."""
    return runtime_of(current_app)  # type: ignore[arg-type]


def init_app(app: Flask) -> None:
    """Record where each request arrived before any other hook or view runs, and forget it
    once the request is torn down (a pooled thread must not carry it to the next request)."""
    app.before_request_funcs.setdefault(None, []).insert(0, _arrive)
    app.teardown_request(_leave)


def _arrive() -> None:
    # Read only without IVR_PUBLIC_URL (`ivr.twilio.urls.public_base`), and werkzeug builds
    # host_url afresh on each request at some cost: not built when nothing will read it.
    if not current_runtime().settings.public_url:
        g.ivr_arrived = arrived_on(request.host_url)


def _leave(_exc: BaseException | None) -> None:
    token = g.pop("ivr_arrived", None)
    if token is not None:
        left(token)
