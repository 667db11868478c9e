"""`ivr worker`: the rq worker, with its scheduler, that runs every background job.

It serves the queues in priority order (urgent texts first, exports last), runs rq's scheduler
so follow-up digests fire at opening and retries fire after their backoff, and on start hands
the jobs of workers that died on this machine back to rq's abandoned-job handling at once.
The worker is given the runtime its jobs use (`ivr worker` builds it, with the embedded Redis
under var/ when REDIS_URL is unset, as `ivr serve` does) and binds it around each job it
performs (`ivr.jobs.queues.running_with`): outside a job no runtime is bound.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import redis
from rq import Queue, SimpleWorker, Worker
from rq.job import Job

from ivr.jobs.queues import QUEUE_NAMES, queue, recover_abandoned, running_with
from ivr.jobs.retention import purge_if_due
from ivr.logs import event
from ivr.runtime import Runtime

log = logging.getLogger("ivr.jobs.worker")

#: Seconds between rq's registry maintenance (abandoned jobs of other hosts, expired entries).
MAINTENANCE_INTERVAL_S = 60
#: A heartbeat is skipped when the worker's registration already outlives what it asks for by
#: all but this many seconds (rq sends three in a row around every job).
HEARTBEAT_SLACK_S = 5.0


class _Bound:
    """Mixin: the worker's jobs use `runtime` (its clock, carrier and store), bound around each
    job it performs (in a forking worker, inside the work-horse)."""

    def __init__(self, *args: Any, runtime: Runtime, **kwargs: Any) -> None:
        self.runtime = runtime
        super().__init__(*args, **kwargs)

    def perform_job(self, job: Job, queue: Queue, *args: Any, **kwargs: Any) -> bool:
        with running_with(self.runtime):
            return super().perform_job(job, queue, *args, **kwargs)  # type: ignore[misc]


class _Recovering(_Bound):
    """Mixin: recover the jobs of dead workers on this host before working, and again at each
    registry maintenance (a sibling worker may crash while this one keeps running)."""

    connection: redis.Redis

    def work(self, *args: Any, **kwargs: Any) -> bool:
        recover_abandoned(self.connection)
        return super().work(*args, **kwargs)  # type: ignore[misc]

    def run_maintenance_tasks(self) -> None:
        recover_abandoned(self.connection)
        super().run_maintenance_tasks()  # type: ignore[misc]
        try:
            purge_if_due(self.runtime)  # transcripts past each business's retention_days
        except Exception as exc:  # maintenance must never stop the worker
            event("retention.failed", log, logging.ERROR, error=type(exc).__name__)


class _SparseHeartbeats:
    """Mixin for a worker that runs its jobs itself: fewer Redis round trips per heartbeat.

    rq writes a heartbeat (the registration's expiry and `last_heartbeat`) when it takes a job,
    when it has finished and when it goes back to waiting, each renewing the registration to
    the same 8 minutes, and each as three round trips. For a short job (a text, a notice) that
    was a third of its Redis traffic. Here a heartbeat sent on its own goes in one round trip,
    and is skipped while the registration is known to last as long as it asks, less
    `HEARTBEAT_SLACK_S`. A heartbeat inside rq's pipelines is always written (rq reads its
    reply). What is known is a lower bound: a pipelined heartbeat, which might not run, can
    only lower it. Only sound when no other process heartbeats for this worker (no work-horse).
    """

    worker_ttl: int
    connection: redis.Redis
    _expires_at: float = 0.0

    def heartbeat(self, timeout: int | None = None, pipeline: Any = None) -> None:
        ttl = timeout or self.worker_ttl + 60  # rq's own default
        now = time.monotonic()
        if pipeline is not None:
            super().heartbeat(timeout, pipeline)  # type: ignore[misc]
            self._expires_at = min(self._expires_at, now + ttl)
            return
        if self._expires_at - now >= ttl - HEARTBEAT_SLACK_S:
            return
        with self.connection.pipeline(transaction=False) as batch:
            super().heartbeat(timeout, batch)  # type: ignore[misc]
            batch.execute()
        self._expires_at = now + ttl


class JobWorker(_Recovering, Worker):
    """rq's forking worker (`ivr worker --fork`): each job runs in a fresh work-horse.

    The isolation costs every job a fork and a cold process: a spoken summary starts a new
    render process (pyttsx3 cannot live in a fork) and a voicemail loads the Vosk model again.
    """


class InlineWorker(_Recovering, _SparseHeartbeats, SimpleWorker):
    """Runs jobs in this process: `ivr worker`'s default, tests, and `ivr demo`.

    The render process, the Vosk model and the Redis connections stay warm from one job to the
    next (`bench.jobs`: a text ~4 ms of CPU here against ~90 ms in a forked work-horse, a
    spoken summary ~20 ms against ~290 ms, which starts a render process each time). A job past its timeout is still
    stopped: rq's death penalty raises inside it (SIGALRM), the job fails and is retried.
    """


def make_worker(runtime: Runtime, *, inline: bool = False,
                connection: redis.Redis | None = None, name: str | None = None) -> Worker:
    """A worker on every ivr queue whose jobs use `runtime` (its clock, carrier and store)."""
    conn = connection if connection is not None else runtime.redis
    cls = InlineWorker if inline else JobWorker
    # rq would log each job's call with its arguments: phone numbers and the texts' bodies.
    return cls([queue(conn, n) for n in QUEUE_NAMES], connection=conn, name=name,
               maintenance_interval=MAINTENANCE_INTERVAL_S, log_job_description=False,
               runtime=runtime)


def run_worker(runtime: Runtime, burst: bool = False, fork: bool = False) -> bool:
    """Run the worker on `runtime` until stopped (or, with `burst`, until the queues are empty);
    with `fork`, each job in a work-horse of its own."""
    connection = redis.Redis.from_url(runtime.settings.redis_url)  # rq sets its own timeout
    worker = make_worker(runtime, inline=not fork, connection=connection)
    event("worker.start", log, queues=",".join(QUEUE_NAMES), burst=burst, fork=fork)
    return worker.work(burst=burst, with_scheduler=True)
