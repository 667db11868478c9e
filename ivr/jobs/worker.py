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
from datetime import timedelta
from typing import Any

import redis
from rq import Queue, SimpleWorker, Worker
from rq.job import Job
from rq.suspension import WORKERS_SUSPENDED
from rq.utils import now

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


class _LeanBookkeeping:
    """Mixin for a worker that runs its jobs itself: fewer Redis commands per job.

    rq writes a heartbeat (the registration's expiry and `last_heartbeat`) when it takes a job,
    when it starts it, when it has finished, when it checks for suspension and when it goes
    back to waiting: five a job, each three commands. For a short job (a text, a notice) that
    was a third of its Redis traffic. Here a heartbeat, in one of rq's pipelines or on its own,
    is skipped while the registration is known to last as long as it asks, less
    `HEARTBEAT_SLACK_S` (rq reads no reply of a heartbeat: the suspension check reads the last
    one, its own EXISTS); one sent on its own goes in one round trip. The heartbeat at a job's
    start asks for the job's timeout and a minute (4 minutes), less than the registration
    already has (8), so it is skipped too: the registration still outlives the job as rq
    meant. What is known is a lower bound: a pipelined heartbeat that is written, which might
    not run, can only lower it. Likewise the worker's state is written only when it changes
    (rq marks it idle after each job and again before waiting), the job's own heartbeat as it
    returns is left to the save of its outcome that follows, and rq's per-worker counts (jobs
    done, seconds worked: `rq info`) are added up here and written with the next heartbeat
    that is written (at most a dequeue timeout, ~7 minutes, after the job) or at the worker's
    end, not in every job's transaction. Only sound when no other process heartbeats, sets the
    state or counts for this worker (no work-horse).
    """

    worker_ttl: int
    connection: redis.Redis
    key: str
    _expires_at: float = 0.0
    _written_state: str | None = None
    _done: int = 0  # jobs finished, and seconds they worked, not yet added to rq's counts
    _worked_s: float = 0.0

    def increment_successful_job_count(self, pipeline: Any = None) -> None:
        self._done += 1

    def increment_total_working_time(self, job_execution_time: timedelta,
                                     pipeline: Any = None) -> None:
        self._worked_s += job_execution_time.total_seconds()

    def _add_counts(self, pipeline: Any) -> None:
        """rq's per-worker counts (`rq info`), added with a heartbeat or the worker's end."""
        if self._done:
            pipeline.hincrby(self.key, "successful_job_count", self._done)
        if self._worked_s:
            pipeline.hincrbyfloat(self.key, "total_working_time", self._worked_s)
        self._done, self._worked_s = 0, 0.0

    def register_death(self) -> None:
        with self.connection.pipeline(transaction=False) as batch:
            self._add_counts(batch)
            batch.execute()
        super().register_death()  # type: ignore[misc]

    def heartbeat(self, timeout: int | None = None, pipeline: Any = None) -> None:
        ttl = timeout or self.worker_ttl + 60  # rq's own default
        now = time.monotonic()
        if self._expires_at - now >= ttl - HEARTBEAT_SLACK_S:
            return
        if pipeline is not None:  # it may not run: what is known can only go down
            super().heartbeat(timeout, pipeline)  # type: ignore[misc]
            self._expires_at = min(self._expires_at, now + ttl)
            return
        with self.connection.pipeline(transaction=False) as batch:
            super().heartbeat(timeout, batch)  # type: ignore[misc]
            self._add_counts(batch)
            batch.execute()
        self._expires_at = now + ttl

    def handle_execution_ended(self, job: Job, queue: Queue, heartbeat_ttl: int) -> None:
        """rq writes the job's heartbeat when it returns, for a success or failure callback
        that may run long before the outcome is saved; with none (no ivr job has one) the
        outcome is saved at once, and it carries `last_heartbeat` (the job is saved whole)."""
        if job.success_callback or job.failure_callback:
            super().handle_execution_ended(job, queue, heartbeat_ttl)  # type: ignore[misc]
            return
        job.ended_at = job.last_heartbeat = now()

    def check_for_suspension(self, burst: bool) -> None:
        """rq's check between jobs, in one command while not suspended: the heartbeat it
        carries (when due, sent on its own) and EXISTS, without a transaction around the one
        command; suspended (`rq suspend`), rq's own check takes over (it waits, or ends a
        burst)."""
        self.heartbeat()
        if self.connection.exists(WORKERS_SUSPENDED):
            super().check_for_suspension(burst)  # type: ignore[misc]

    def set_state(self, state: str, pipeline: Any = None) -> None:
        if pipeline is None and state == self._written_state:
            self._state = state  # what rq would have set, without writing it again
            return
        super().set_state(state, pipeline)  # type: ignore[misc]
        self._written_state = state


class JobWorker(_Recovering, Worker):
    """rq's forking worker (`ivr worker --fork`): each job runs in a fresh work-horse.

    The isolation costs every job a fork and a cold process: a spoken summary starts a new
    render process (pyttsx3 cannot live in a fork) and a voicemail loads the Vosk model again.
    """


class InlineWorker(_Recovering, _LeanBookkeeping, SimpleWorker):
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
