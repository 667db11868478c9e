"""Helpers for the JOBS tests: point a runtime at the carrier simulator, run the rq worker in the
test (with the scheduler, optionally releasing what the business clock says is due), write a
business config with extra keys, and two job functions that hold a job open so a test can
SIGKILL the worker running it.

The held jobs are importable by an `ivr worker` subprocess when this directory is on PYTHONPATH.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from ivr.config import PROJECT_ROOT
from ivr.idempotency import run_once
from ivr.jobs import QUEUE_NAMES, job_runtime, queue, release_due
from ivr.outbound import already_sent, send_sms
from ivr.worker import make_worker

TESTS = Path(__file__).resolve().parent


def point_at(runtime: Any, carrier: Any) -> Any:
    """Make `runtime` send its REST calls to the carrier simulator."""
    runtime.settings = runtime.settings.with_(api_base=carrier.api_base)
    runtime.close()
    return runtime


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
    with `until`, jobs scheduled up to then (digests, retry backoffs) are released too."""
    for _ in range(rounds):
        if until is not None:
            release_due(runtime.redis, until)
        make_worker(runtime, inline=True).work(burst=True, with_scheduler=True)
        if not pending_jobs(runtime, until):
            return


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
