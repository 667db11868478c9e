"""Background jobs on rq: the queues, enqueue helpers with backoff, failures and recovery.

Everything slow or external (staff texts, confirmations, digests, exports, voicemail
transcription) runs here, never inside a webhook. The Redis connection is always passed in
(rq's lesson). Jobs find their `Runtime` through `job_runtime()`: the worker it runs in binds
the one it was given around each job (`running_with`), so an in-process test worker shares the
test's clock and carrier, and no runtime is built here.

A job may run twice (a retry after an error, or after its worker was killed): every effect that
reaches a person goes through `ivr.store.idempotency.run_once` (via `ivr.handoff.outbound.send_sms`), so a
second run never texts or calls twice.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import redis
from rq import Queue, Retry, get_current_job
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry, StartedJobRegistry

from ivr.logs import event
from ivr.runtime import Runtime

log = logging.getLogger("ivr.jobs.queues")

#: The connection rq's queues take (the runtime's `redis`): callers above name it by this, so
#: only the store, the runtime and rq's side here import redis itself.
Connection = redis.Redis

#: Queue for what a person is waiting on now (staff alerts, confirmation texts).
URGENT = "ivr-urgent"
#: Queue for the rest of the product's work (digests, voicemail transcription).
DEFAULT = "ivr"
#: Queue for bulk work that may wait (CRM exports).
BULK = "ivr-bulk"
#: Every queue, in the order a worker serves them.
QUEUE_NAMES = (URGENT, DEFAULT, BULK)

#: Backoff for texts and calls: quick first retries, then minutes (the carrier may be down).
NOTIFY_BACKOFF_S = (5, 15, 60, 300, 900)
#: Backoff for CRM webhooks (5xx, timeouts): a receiver's outage may last an hour.
EXPORT_BACKOFF_S = (10, 60, 300, 900, 3600)
#: Backoff while a voicemail recording is not yet available (404) or the carrier is slow.
FETCH_BACKOFF_S = (2, 5, 15, 30, 60, 120)
#: Seconds a job may run before rq kills it (the work-horse) and it counts as failed.
JOB_TIMEOUT_S = 180
#: Seconds a failed job stays visible in `failed_jobs` (a month, for the monthly review).
FAILURE_TTL_S = 31 * 24 * 3600

#: The runtime of the job being run, bound by the worker around each job (`running_with`).
_runtime: ContextVar[Runtime | None] = ContextVar("ivr_job_runtime", default=None)


def backoff(intervals: tuple[int, ...]) -> Retry:
    """An rq Retry with one attempt per interval."""
    return Retry(max=len(intervals), interval=list(intervals))


def queue(connection: redis.Redis, name: str = DEFAULT) -> Queue:
    """The named queue on an explicit connection."""
    return Queue(name, connection=connection)


def job_id(*parts: str) -> str:
    """A deterministic rq job id from parts (rq allows letters, digits, '_' and '-')."""
    text = "-".join(parts)
    return "".join(c if c.isalnum() or c in "_-" else "_" for c in text)[:200]


def enqueue(connection: redis.Redis, func: Callable[..., Any] | str, *args: Any,
            queue_name: str = DEFAULT, retry: tuple[int, ...] = NOTIFY_BACKOFF_S,
            at: datetime | None = None, unique_id: str | None = None,
            timeout: int = JOB_TIMEOUT_S, meta: dict[str, Any] | None = None,
            **kwargs: Any) -> Job:
    """Enqueue `func(*args, **kwargs)` now (or at `at`) with retries and backoff.

    Args:
        unique_id: a deterministic job id; enqueueing the same id again while the job exists
            returns the existing job instead of running the work twice.
        meta: facts shown with a failure (business, conversation, what); never secrets.
    """
    q = queue(connection, queue_name)
    options: dict[str, Any] = {
        "retry": backoff(retry) if retry else None, "job_timeout": timeout,
        "failure_ttl": FAILURE_TTL_S, "meta": meta or {},
    }
    if unique_id:
        options.update(job_id=unique_id, unique=True)
    try:
        if at is not None:
            return q.enqueue_at(at, func, *args, **options, **kwargs)
        return q.enqueue(func, *args, **options, **kwargs)
    except DuplicateJobError:
        try:
            return Job.fetch(unique_id or "", connection=connection)
        except NoSuchJobError:  # it expired between the two calls: enqueue it after all
            return enqueue(connection, func, *args, queue_name=queue_name, retry=retry, at=at,
                           unique_id=unique_id, timeout=timeout, meta=meta, **kwargs)


def enqueue_urgent(connection: redis.Redis, func: Callable[..., Any] | str, *args: Any,
                   name: str, business: str, key: str, conversation: str, what: str,
                   retry: tuple[int, ...] = NOTIFY_BACKOFF_S) -> Job:
    """Enqueue `func(*args)` on URGENT once per (`name`, `business`, `key`).

    The work a person is waiting on now (a staff text, the call that bridges a texter, an
    agent's summary audio or text, the customer's missed-transfer text) is queued from a
    webhook that may be retried, and later looked up by its id (`job_id(name, business, key)`,
    e.g. whether the whisper render is still on its way), so the id is one deterministic shape
    for all of it; `conversation` and `what` go into the meta so a failure in `failed_jobs`
    says what it was about. Raises what `enqueue` raises: whether Redis trouble is logged
    and swallowed, or ends the caller's effect, is the caller's call.

    Args:
        retry: the backoff; `()` where a late retry is worthless (the agent has heard <Say>).
    """
    return enqueue(connection, func, *args, queue_name=URGENT, retry=retry,
                   unique_id=job_id(name, business, key),
                   meta={"business": business, "conversation": conversation, "what": what})


def release_due(connection: redis.Redis, until: datetime) -> int:
    """Move scheduled jobs due by `until` (and retries waiting on backoff) into their queues.

    rq's scheduler does this on the wall clock; tests and `ivr worker --burst` after an outage
    use it to run what the business clock says is due. Returns how many jobs were released.
    """
    released = 0
    for name in QUEUE_NAMES:
        q = queue(connection, name)
        registry = q.scheduled_job_registry
        for jid in registry.get_jobs_to_schedule(int(until.timestamp())):
            try:
                job = Job.fetch(jid, connection=connection)
            except NoSuchJobError:
                registry.remove(jid)
                continue
            with connection.pipeline() as pipe:
                q._enqueue_job(job, pipeline=pipe)  # what rq's own scheduler calls
                registry.remove(job.id, pipeline=pipe)
                pipe.execute()
            released += 1
    return released


def failed_jobs(connection: redis.Redis) -> list[dict[str, Any]]:
    """Jobs that ran out of retries, newest first, for `ivr report` and `GET /api/jobs/failed`.

    Each: id, queue, function, error (last line only: no transcripts), failed_at, meta.
    """
    out: list[dict[str, Any]] = []
    for name in QUEUE_NAMES:
        registry = FailedJobRegistry(name, connection=connection)
        for jid in registry.get_job_ids():
            try:
                job = Job.fetch(jid, connection=connection)
            except NoSuchJobError:
                continue
            error = (job.exc_info or "").strip().splitlines()
            out.append({
                "id": job.id, "queue": name, "function": job.func_name,
                "error": error[-1] if error else None,
                "failed_at": job.ended_at.replace(tzinfo=UTC).isoformat() if job.ended_at else None,
                "enqueued_at": (job.enqueued_at.replace(tzinfo=UTC).isoformat()
                                if job.enqueued_at else None),
                "meta": {k: v for k, v in job.meta.items() if isinstance(v, str | int | float)},
            })
    out.sort(key=lambda j: j["failed_at"] or "", reverse=True)
    return out


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _worker_dead(connection: redis.Redis, worker_name: str | None, hostname: str) -> bool:
    """A worker is dead when its registration expired, or it ran here and its pid is gone."""
    if not worker_name:
        return False
    info = connection.hgetall(f"rq:worker:{worker_name}")
    if not info:
        return True
    host = (info.get(b"hostname") or b"").decode()
    pid = int(info.get(b"pid") or 0)
    return host == hostname and pid > 0 and not _alive(pid)


def recover_abandoned(connection: redis.Redis, hostname: str | None = None) -> list[str]:
    """Hand the jobs of dead workers back to rq's abandoned-job handling right away.

    rq notices a dead worker's job only after its heartbeat lapses (a minute or more); a worker
    restarted after a crash on the same machine can tell at once that the old pid is gone. The
    job is then retried (it has retries left) or marked failed, by rq's own StartedJobRegistry
    cleanup. Returns the ids of recovered jobs.
    """
    hostname = hostname or socket.gethostname()
    recovered: list[str] = []
    for name in QUEUE_NAMES:
        registry = StartedJobRegistry(name, connection=connection)
        dead_entries = []
        for entry in connection.zrange(registry.key, 0, -1):
            jid = registry.parse_job_id(entry).split(":", 1)[0]
            try:
                job = Job.fetch(jid, connection=connection)
            except NoSuchJobError:
                continue
            if _worker_dead(connection, job.worker_name, hostname):
                dead_entries.append(entry)
                recovered.append(jid)
        if dead_entries:
            connection.zadd(registry.key, {e: 0 for e in dead_entries})
            registry.cleanup(timestamp=1)
    for jid in recovered:
        event("job.recovered", log, logging.WARNING, job=jid)
    return recovered


@contextmanager
def running_with(runtime: Runtime) -> Iterator[None]:
    """Jobs run meanwhile (in this thread or context) use `runtime`; the worker wraps each job
    in this, so nothing in this module builds or keeps a runtime of its own."""
    token = _runtime.set(runtime)
    try:
        yield
    finally:
        _runtime.reset(token)


def job_runtime() -> Runtime:
    """The Runtime of the job being run: the one its worker (`ivr.jobs.worker`) was given."""
    runtime = _runtime.get()
    if runtime is None:
        raise RuntimeError("no Runtime is bound: jobs run under ivr.jobs.worker (`ivr worker`)")
    return runtime


def give_up() -> None:
    """Tell rq the running job must not be retried: its failure is final (a refusal, a bad
    URL), so it goes straight to `failed_jobs` instead of waiting through the backoff."""
    job = get_current_job()
    if job is not None:
        job.retries_left = 0


def last_attempt() -> bool:
    """Whether the running job has no retry left, so a failure now is final (a job then falls
    back to what a person can still do, e.g. the customer's callback text, before it fails)."""
    job = get_current_job()
    return job is None or not job.retries_left


def carrier_said_no(exc: BaseException) -> bool:
    """Whether the carrier's error is final for this request: a 4xx other than 429 (a refused
    or invalid number, our own bad request). Retrying changes nothing; a 5xx, a 429 or a
    network error may pass, so those are retried with backoff."""
    status = getattr(exc, "status", None)
    return isinstance(status, int) and 400 <= status < 500 and status != 429


def now() -> datetime:
    """The business clock of the bound runtime (a test's FakeClock in tests)."""
    return job_runtime().clock()
