"""`ivr serve`: the web app under gunicorn with threads.

Why gunicorn's threaded worker: Media Streams hold a WebSocket open for a whole call, and
flask-sock (simple-websocket) runs a socket in the request's own thread, so each live call needs
a thread, not a process; the vosk binding releases the GIL while decoding, so threads still use
every core. Scale out with more web nodes behind a load balancer (the state is in Redis).
"""

from __future__ import annotations

import sys

import click
from gunicorn.app.base import BaseApplication

from ivr.config import Settings
from ivr.embedded import ensure_redis
from ivr.flow.errors import ConfigError
from ivr.logs import configure


class _Gunicorn(BaseApplication):
    def __init__(self, app, options: dict[str, object]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def build_app(settings: Settings):
    """The app for `settings`, or exit 1 with `file:line: problem` for a bad config."""
    from ivr.web import create_app

    try:
        return create_app(settings)
    except ConfigError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)


def serve(settings: Settings, host: str, port: int, threads: int = 32, workers: int = 1) -> None:
    configure()
    missing = settings.missing_for_serve()
    if missing:
        click.echo(f"ivr serve: set {', '.join(missing)} in the environment", err=True)
        sys.exit(1)
    settings = ensure_redis(settings)
    if not settings.public_url:
        settings = settings.with_(public_url=f"http://{host}:{port}")
    app = build_app(settings)
    _Gunicorn(app, {"bind": f"{host}:{port}", "worker_class": "gthread", "threads": threads,
                    "workers": workers, "timeout": 0, "accesslog": "-",
                    "graceful_timeout": 10}).run()
