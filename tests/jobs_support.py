"""Helpers for the JOBS tests: point a runtime at the carrier simulator, run the rq worker in the
test (with the scheduler, optionally releasing what the business clock says is due), write a
business config with extra keys, and two job functions that hold a job open so a test can
SIGKILL the worker running it.

`Background` is the worker `live_app` runs next to the app, as `ivr worker` runs next to
`ivr serve`: a real rq worker on a thread, so staff texts queued by a webhook go out while the
test talks to the app. `settle(runtime)` waits until it has run everything queued, and
`run_jobs` pauses it while it runs the worker in the test, so a job is never half done when a
test looks at its effects.

The held jobs are importable by an `ivr worker` subprocess when this directory is on PYTHONPATH.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from rq.timeouts import TimerDeathPenalty
from ruamel.yaml import YAML

from ivr.config.settings import PROJECT_ROOT
from ivr.handoff.outbound import already_sent, send_sms
from ivr.jobs.queues import QUEUE_NAMES, job_runtime, queue, release_due
from ivr.jobs.worker import MAINTENANCE_INTERVAL_S, InlineWorker, make_worker
from ivr.store.idempotency import run_once, state_of

TESTS = Path(__file__).resolve().parent


def point_at(runtime: Any, carrier: Any) -> Any:
    """Make `runtime` send its REST calls to the carrier simulator."""
    runtime.settings = runtime.settings.with_(api_base=carrier.api_base)
    runtime.close()
    return runtime


@contextmanager
def carrier_unreachable(runtime: Any) -> Iterator[None]:
    """The carrier cannot be reached meanwhile (its address refuses connections, as in a
    network outage); then `runtime` talks to it again. For `no_worker` tests: jobs run inside
    (`run_jobs`) fail the way they fail when the carrier is down."""
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with rest_calls_to(runtime, f"http://127.0.0.1:{port}"):
        yield


@contextmanager
def rest_calls_to(runtime: Any, api_base: str) -> Iterator[None]:
    """`runtime` sends its REST calls to `api_base` meanwhile, then where it sent them before."""
    before = runtime.settings.api_base
    runtime.settings = runtime.settings.with_(api_base=api_base)
    runtime.close()  # rebuild the REST client for the new api_base
    try:
        yield
    finally:
        runtime.settings = runtime.settings.with_(api_base=before)
        runtime.close()


def pending_jobs(runtime: Any, until: datetime | None = None) -> int:
    """Jobs queued now, plus scheduled ones due by `until`."""
    count = sum(queue(runtime.redis, name).count for name in QUEUE_NAMES)
    if until is not None:
        for name in QUEUE_NAMES:
            registry = queue(runtime.redis, name).scheduled_job_registry
            count += len(registry.get_jobs_to_schedule(int(until.timestamp())))
    return count


def run_jobs(runtime: Any, until: datetime | None = None, rounds: int = 10) -> None:
    """Run a real rq worker (in this process, with its scheduler) until nothing is left to do;
    with `until`, jobs scheduled up to then (digests, retry backoffs) are released too.
    A `Background` worker is paused meanwhile (after finishing the job it is running)."""
    with paused_background():
        for _ in range(rounds):
            if until is not None:
                release_due(runtime.redis, until)
            make_worker(runtime, inline=True).work(burst=True, with_scheduler=True)
            if not pending_jobs(runtime, until):
                return


#: Seconds the background worker blocks waiting for a job before it looks at its stop flag.
POLL_S = 0.05


class ThreadWorker(InlineWorker):
    """The in-process worker, able to run on a thread other than the main one.

    rq installs SIGINT/SIGTERM handlers when it starts working and subscribes to its command
    channel with a pub/sub thread; signal handlers can only be installed from the main thread
    and the pub/sub thread is slow to stop, and neither is needed here: the owner stops this
    worker with `stop()`. It waits for jobs in short BLPOPs so a stop is noticed at once, and
    enforces job timeouts with a timer thread (SIGALRM, rq's default, is main-thread only).
    """

    death_penalty_class = TimerDeathPenalty

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._turn = threading.Lock()  # held from taking a job until it has run
        self._may_take = threading.Event()
        self._may_take.set()

    @property
    def dequeue_timeout(self) -> float:  # type: ignore[override]
        return POLL_S

    def _install_signal_handlers(self) -> None:
        """Signals belong to the main thread (the test runner's); see the class docstring."""

    def subscribe(self) -> None:
        """No command channel: see the class docstring."""

    def dequeue_job_and_maintain_ttl(self, timeout: Any, max_idle_time: Any = None) -> Any:
        """Take the next job; None only once stopped (which ends rq's work loop)."""
        while not self._stop_requested:
            if not self._may_take.wait(POLL_S):
                continue
            self._turn.acquire()
            try:
                found = super().dequeue_job_and_maintain_ttl(POLL_S, POLL_S)
            except BaseException:
                self._turn.release()
                raise
            if found is not None:
                return found  # `_turn` is released once the job has run
            self._turn.release()
        return None

    def execute_job(self, job: Any, queue: Any) -> Any:
        try:
            return super().execute_job(job, queue)
        finally:
            self._turn.release()

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Take no job meanwhile; waits for the job being run, if any, to finish first."""
        self._may_take.clear()
        try:
            with self._turn:
                yield
        finally:
            self._may_take.set()

    def stop(self) -> None:
        """Stop after the job being run (rq's own warm-shutdown flag)."""
        self._stop_requested = True


class Background:
    """A `ThreadWorker` serving every ivr queue (no scheduler: scheduled jobs and retry
    backoffs wait for `run_jobs(until=...)`, on the test's clock) on a thread of its own."""

    running: list[Background] = []

    def __init__(self, runtime: Any) -> None:
        # as make_worker does: jobs use the test's clock and carrier
        self.worker = ThreadWorker([queue(runtime.redis, n) for n in QUEUE_NAMES],
                                   connection=runtime.redis,
                                   maintenance_interval=MAINTENANCE_INTERVAL_S, runtime=runtime)
        self.thread = threading.Thread(target=self._work, name="rq-background", daemon=True)

    def _work(self) -> None:
        self.worker.work(burst=False, with_scheduler=False)

    def start(self) -> Background:
        Background.running.append(self)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.worker.stop()
        self.thread.join(timeout=30)
        Background.running.remove(self)
        if self.thread.is_alive():
            raise RuntimeError("the background rq worker did not stop")


@contextmanager
def paused_background() -> Iterator[None]:
    """Pause every running `Background` worker (each after its current job)."""
    with ExitStack() as stack:
        for background in list(Background.running):
            stack.enter_context(background.worker.paused())
        yield


def settle(runtime: Any, timeout: float = 20.0) -> None:
    """Wait until the background worker has run every job queued so far (a webhook queues its
    jobs before it answers, so after `phone.text(...)` this covers the staff text)."""
    deadline = time.monotonic() + timeout
    while True:
        with paused_background():
            if not pending_jobs(runtime):
                return
        if not any(b.thread.is_alive() for b in Background.running):
            raise AssertionError("jobs are queued but no background worker runs them "
                                 "(use run_jobs)")
        if time.monotonic() > deadline:
            raise AssertionError(f"{pending_jobs(runtime)} jobs still queued after {timeout}s")
        time.sleep(POLL_S)


def age_pending_claims(runtime: Any, seconds: float) -> int:
    """Make every pending send claim (`ivr.store.idempotency`: `pending:<unix time>:<token>`) that much
    older, as if the wall clock had moved on since an attempt whose outcome is unknown (a 5xx, a
    timeout): a retry then asks the carrier instead of waiting. Returns how many were aged."""
    aged = 0
    for key in runtime.redis.scan_iter(match=runtime.store.key("*", "sent", "*")):
        value = state_of(runtime.redis, key)
        if not value or not value.startswith("pending:"):
            continue
        stamp, token = value[len("pending:"):].split(":", 1)
        runtime.redis.set(key, f"pending:{float(stamp) - seconds:.3f}:{token}", keepttl=True)
        aged += 1
    return aged


def later(hours: float = 2) -> datetime:
    """A moment past every retry backoff a test may wait on."""
    return datetime.now().astimezone() + timedelta(hours=hours)


def business_dir(tmp_path: Path, example: str = "hartley_family_law.yaml",
                 **extra: Any) -> Path:
    """A config directory holding one shipped example business with `extra` keys set."""
    yaml = YAML()
    data = yaml.load((PROJECT_ROOT / "examples" / example).read_text())
    data.update(extra)
    target = tmp_path / "businesses"
    target.mkdir(exist_ok=True)
    with (target / example).open("w") as handle:
        yaml.dump(data, handle)
    for csv in (PROJECT_ROOT / "examples").glob("*.csv"):
        (target / csv.name).write_text(csv.read_text())
    return target


def worker_env(runtime: Any, tmp_path: Path) -> dict[str, str]:
    """The environment of an `ivr worker` subprocess sharing the test's Redis and carrier."""
    settings = runtime.settings
    return {**os.environ, "REDIS_URL": settings.redis_url, "TWILIO_API_BASE": settings.api_base,
            "TWILIO_ACCOUNT_SID": settings.account_sid, "TWILIO_AUTH_TOKEN": settings.auth_token,
            "IVR_CONFIG": str(settings.config_path), "IVR_VAR_DIR": str(tmp_path / "var"),
            "PYTHONPATH": os.pathsep.join([str(TESTS), str(PROJECT_ROOT)])}


def _hold(gate: str) -> None:
    """Block until the test opens `gate` (the first attempt is killed long before)."""
    redis = job_runtime().redis
    while not redis.exists(gate):
        time.sleep(0.02)


def text_then_hold(business_key: str, to: str, body: str, key: str, gate: str) -> str:
    """Job: send a text (idempotently), then hold until `gate` opens."""
    send_sms(job_runtime(), business_key, to, body, idempotency_key=key)
    _hold(gate)
    return "done"


def text_and_die_before_marking(business_key: str, to: str, body: str, key: str,
                                gate: str) -> str:
    """Job: the carrier accepts the text, then the job holds *before* recording it as sent —
    the worst moment for a crash. A retry must ask the carrier instead of texting again."""
    runtime = job_runtime()
    business = runtime.directory.by_key(business_key)
    sender = business.numbers[0]

    def perform() -> str:
        sid = runtime.twilio.messages.create(to=to, from_=sender, body=body).sid
        _hold(gate)
        return sid

    effect_key = runtime.store.key(business_key, "sent", key)
    run_once(runtime.redis, effect_key, perform, grace_s=0.2,
             reconcile=lambda since: already_sent(runtime, sender, to, body, since))
    return "done"
