"""GET /healthz: 200 when the app can serve (Redis answers), 503 when it cannot; and nothing
else, because anyone on the internet can ask: `{"status": "ok"}` or `{"status": "degraded"}`.

GET /readyz: whether this process should be sent traffic yet. 503 `{"status": "warming"}` until
its speech recogniser has loaded and decoded a moment of audio (and the semantic layer's model
has loaded, when a business's flow has `examples:`, and a throwaway first turn of every flow
has been taken: its parse, the examples' vectors, the language detector), so the first caller
after a start does not wait seconds for a model; 503 `{"status": "degraded"}` without Redis, as /healthz; 200 after.
The container's HEALTHCHECK and the compose file ask /readyz; /healthz keeps its contract.

The figures behind it are for the owner: `GET /api/health` (the API token or a dashboard login,
like every /api route) answers with the same status code and also says whether Redis answers,
how many businesses are served, how many texts wait in the outage spool, and how many jobs wait
on the URGENT queue (staff texts, confirmations): a number that only grows means no
`ivr worker` is running. That is information, not a failure — the web node still serves — so it
never turns the answer into a 503.
"""

from __future__ import annotations

import logging
import os
import threading

import redis
from flask import Blueprint, Flask, current_app

from ivr.conversation.service import flow_for, warm_flows
from ivr.jobs.queues import URGENT, queue
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.semantic import labelled_examples, shared
from ivr.speech.vosk import warm_up, warmed_up
from ivr.web.context import current_runtime
from ivr.web.degraded import spool_of
from ivr.web.security import api_auth
from ivr.web.warm import settle_heap, warm_web

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


#: The warm-ups this process has started (forgotten in a forked child: threads are not copied
#: by a fork, so a gunicorn worker starts its own).
_started: set[str] = set()
_started_lock = threading.Lock()
#: Set once this process's throwaway turns of every flow are taken (`warm_flows`).
_flows_warm = threading.Event()


def _forget_warming_after_fork() -> None:
    global _started_lock, _flows_warm
    _started.clear()
    _started_lock = threading.Lock()
    _flows_warm = threading.Event()


os.register_at_fork(after_in_child=_forget_warming_after_fork)


def uses_semantic(runtime: Runtime) -> bool:
    """Whether any business's flow has `examples:` (only then is the semantic model worth
    waiting for: without them its scores are never asked)."""
    return any(labelled_examples(flow_for(business)) for business in runtime.directory)


def _start_once(name: str) -> bool:
    with _started_lock:
        if name in _started:
            return False
        _started.add(name)
        return True


def start_warming(runtime: Runtime, semantic: bool = True, app: Flask | None = None,
                  settle: bool = False) -> None:
    """Load and warm this process's models on threads of their own, each once per process:
    the speech model (when one is installed) and, with `semantic`, the semantic layer's model
    (when a flow uses it); then a first turn of every flow and, given the `app`, a few
    throwaway requests through it (`ivr.web.warm`); with `settle`, once the models are in,
    the heap is settled (`ivr.web.warm.settle_heap`: for a process that only serves). `ivr
    serve` calls this in each gunicorn worker after the fork, never in the master, so each
    serving process loads the model once and the master not at all."""
    model = runtime.settings.vosk_model
    if model.is_dir() and _start_once("speech"):
        threading.Thread(target=warm_up, args=(model,), name="ivr-vosk-warm-up",
                         daemon=True).start()
    if semantic and uses_semantic(runtime) and _start_once("semantic"):
        threading.Thread(target=lambda: shared().available, name="ivr-semantic-warm-up",
                         daemon=True).start()
    if _start_once("flows"):
        threading.Thread(target=_warming_flows, args=(runtime, _flows_warm, app, settle),
                         name="ivr-flows-warm-up", daemon=True).start()


def _warming_flows(runtime: Runtime, done: threading.Event, app: Flask | None,
                   settle: bool = False) -> None:
    """A first turn of every flow, taken once so no customer's is the first (`warm_flows`),
    then the app's first requests (`warm_web`: the web stack's first run, about as much
    again), then (with `settle`), the models in, the heap settled (`settle_heap`), so
    `/readyz` says ok only once a webhook costs what it will."""
    try:
        warm_flows(runtime)
        if app is not None:
            warm_web(app, runtime)
        if settle:
            settle_heap(lambda: not models_loading(runtime))
    finally:
        done.set()


def still_warming(runtime: Runtime) -> list[str]:
    """The models this process is still loading: "speech", "semantic", "flows" (a first
    turn of every flow, `warm_flows`, and what follows it), or none."""
    waiting = ["flows"] if "flows" in _started and not _flows_warm.is_set() else []
    return waiting + models_loading(runtime)


def models_loading(runtime: Runtime) -> list[str]:
    """The models still loading: "speech" (the recogniser's load and first decode) and
    "semantic" (when a flow uses it), or none."""
    model = runtime.settings.vosk_model
    waiting = []
    if model.is_dir() and not warmed_up(model):
        waiting.append("speech")
    if uses_semantic(runtime) and not shared().settled:
        waiting.append("semantic")
    return waiting


@bp.get("/readyz")
def readyz():
    """Ready for traffic or not, for container checks and rolling deploys: no names, no counts.

    A process built without warming (an embedding) starts it on the first ask, so it still
    becomes ready rather than answering "warming" for ever."""
    runtime = current_runtime()
    if not runtime.store.ping():
        return {"status": "degraded"}, 503
    start_warming(runtime, app=current_app._get_current_object())  # type: ignore[attr-defined]
    if still_warming(runtime):
        return {"status": "warming"}, 503
    return {"status": "ok"}, 200


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
