"""The running ivr as a view sees it: the one place that knows where the app keeps its Runtime.

`create_app` stores the wired `Runtime` under `EXTENSION`; every view, guard and hook reads it
through `current_runtime()` rather than reaching into `app.extensions` itself.
"""

from __future__ import annotations

from flask import Flask, current_app

from ivr.runtime import Runtime

#: Key of the Runtime in `app.extensions`.
EXTENSION = "ivr"


def runtime_of(app: Flask) -> Runtime:
    """The Runtime `app` was built on."""
    return app.extensions[EXTENSION]


def current_runtime() -> Runtime:
    """The Runtime of the app handling the current request."""
    return runtime_of(current_app)  # type: ignore[arg-type]
