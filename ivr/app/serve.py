"""`ivr serve`: the web app under gunicorn with threads.

Why gunicorn's threaded worker: Media Streams hold a WebSocket open for a whole call, and
flask-sock (simple-websocket) runs a socket in the request's own thread, so each live call needs
a thread, not a process; the vosk binding releases the GIL while decoding, so threads still use
every core. Scale out with more web nodes behind a load balancer (the state is in Redis).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from gunicorn.app.base import BaseApplication

from ivr.app.wiring import build_runtime
from ivr.config.checks import text_param_problems
from ivr.config.directory import load_directory
from ivr.config.settings import Settings
from ivr.flow.errors import ConfigError
from ivr.logs import configure
from ivr.store.embedded import ensure_redis
from ivr.web import create_app
from ivr.web.context import runtime_of
from ivr.web.health import start_warming


class _Gunicorn(BaseApplication):
    def __init__(self, app, options: dict[str, object]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # newer gunicorns have more (control_socket_disable)
                self.cfg.set(key, value)

    def load(self):
        return self.application


def build_app(settings: Settings):
    """The app for `settings`, or exit 1 with `file:line: problem` for a bad config."""
    try:
        return create_app(build_runtime(settings), warm=False)  # warmed in each worker
    except ConfigError as exc:
        refuse(exc)


def refuse(exc: ConfigError) -> None:
    """Exit 1 naming every `file:line: problem` of a broken business config."""
    click.echo(f"ivr serve: the business config has problems:\n{exc}", err=True)
    sys.exit(1)


def start_problems(settings: Settings) -> list[str]:
    """Every reason `ivr serve` cannot start: missing environment and the business config's
    `file:line: problem`s together, so one run shows the whole list to fix (a broken config
    used to hide behind missing credentials until they were set)."""
    problems = []
    missing = settings.missing_for_serve()
    if missing:
        problems.append(f"ivr serve: set {', '.join(missing)} in the environment")
    try:
        load_directory(settings.config_path)
    except ConfigError as exc:
        problems.append(f"ivr serve: the business config has problems:\n{exc}")
    return problems


def start_warnings(config_path: Path) -> list[str]:
    """What `ivr serve` reports but starts anyway: each flow text naming a param a business
    does not set (`file:line: problem`). Such an answer is logged as unanswered rather than
    said by halves, so it is no reason to refuse calls, but the owner should know at once."""
    try:
        directory = load_directory(config_path)
    except ConfigError:
        return []  # start_problems reports these
    return [f"ivr serve: warning: {problem}" for business in directory
            for problem in text_param_problems(business.flow_path, business.params,
                                               business.name, business.source or config_path)]


def serve(settings: Settings, host: str, port: int, threads: int = 32, workers: int = 1) -> None:
    configure()
    problems = start_problems(settings)
    if problems:  # everything that stops the start, at once, before anything starts
        click.echo("\n".join(problems), err=True)
        sys.exit(1)
    for warning in start_warnings(settings.config_path):
        click.echo(warning, err=True)
    settings = ensure_redis(settings)
    if not settings.public_url:
        settings = settings.with_(public_url=f"http://{host}:{port}")
    app = build_app(settings)
    _Gunicorn(app, {"bind": f"{host}:{port}", "worker_class": "gthread", "threads": threads,
                    "workers": workers, "timeout": 0, "accesslog": "-",
                    "graceful_timeout": 10, "post_fork": warm_each_worker(app),
                    # no gunicornc socket: two nodes on one host would fight over its path
                    "control_socket_disable": True}).run()


def warm_each_worker(app: Any) -> Callable[[object, object], None]:
    """A gunicorn `post_fork` hook: each worker loads the speech model and the semantic layer's
    model (when a flow uses it) on threads of its own, so no worker's first caller waits seconds
    for them, and `/readyz` says "warming" until they are in. The master loads neither (the app
    is built with `warm=False`): a model loaded there was loaded again by each worker forked
    while it loaded, and kept hundreds of MB resident in a process that never serves a call.
    Once warm, each worker settles its heap (`ivr.web.warm.settle_heap`): it only serves."""
    runtime = runtime_of(app)

    def post_fork(_server: object, _worker: object) -> None:
        start_warming(runtime, app=app, settle=True)

    return post_fork
