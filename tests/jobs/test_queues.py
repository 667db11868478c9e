"""Background jobs survive what production throws at them: a worker SIGKILLed mid-job, a crash
between sending a text and recording it, retries — and a customer or staff member still gets
each text exactly once (counted at the carrier simulator)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from jobs_support import later, point_at, run_jobs, worker_env
from rq.job import Job, JobStatus

from ivr.handoff.outbound import enqueue_text, send_sms
from ivr.jobs.queues import URGENT, enqueue, failed_jobs, recover_abandoned
from ivr.store.idempotency import EffectPending

VENV_BIN = Path(__file__).resolve().parents[2] / ".venv" / "bin"
LAW = "hartley-family-law"
CUSTOMER = "+15125550199"


@pytest.fixture
def sim(runtime, carrier):
    """The test's runtime talking to the carrier simulator."""
    return point_at(runtime, carrier)


def texts_to(carrier, number: str) -> list[str]:
    return [m.body for m in list(carrier.messages) if m.to == number]


def start_worker(runtime, tmp_path: Path) -> subprocess.Popen:
    return subprocess.Popen([str(VENV_BIN / "ivr"), "worker"], env=worker_env(runtime, tmp_path),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def kill_hard(process: subprocess.Popen) -> None:
    """SIGKILL the worker and its work-horse, as a crash or the OOM killer would."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)


def kill_worker_once_texted(sim, carrier, tmp_path: Path) -> None:
    """Start an `ivr worker`, and SIGKILL it as soon as the customer's text reached the carrier
    (its job is then still running: it holds until the test opens its gate)."""
    worker = start_worker(sim, tmp_path)
    try:
        wait_until(lambda: texts_to(carrier, CUSTOMER))
        assert recover_abandoned(sim.redis) == []  # a live worker's job is never taken away
    finally:
        kill_hard(worker)


def wait_until(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_worker_killed_after_texting_finishes_the_job_elsewhere_without_a_second_text(
        sim, carrier, tmp_path: Path) -> None:
    body = "Your callback is booked for Monday after 8:30 AM."
    job = enqueue(sim.redis, "jobs_support.text_then_hold", LAW, CUSTOMER, body, "kill-1", "gate-1",
                  queue_name=URGENT)
    kill_worker_once_texted(sim, carrier, tmp_path)
    assert job.get_status(refresh=True) == JobStatus.STARTED  # the dead worker's job

    sim.redis.set("gate-1", "1")
    run_jobs(sim, until=later())

    assert job.get_status(refresh=True) == JobStatus.FINISHED
    assert texts_to(carrier, CUSTOMER) == [body]


def test_crash_between_carrier_accepting_and_marking_sent_does_not_text_twice(
        sim, carrier, tmp_path: Path) -> None:
    body = "Dana will call you back tomorrow after 8:30 AM."
    job = enqueue(sim.redis, "jobs_support.text_and_die_before_marking", LAW, CUSTOMER, body,
                  "kill-2", "gate-2", queue_name=URGENT)
    kill_worker_once_texted(sim, carrier, tmp_path)
    claim = sim.redis.get(sim.store.key(LAW, "sent", "kill-2")).decode()
    assert claim.startswith("pending:")  # sent, but never marked

    sim.redis.set("gate-2", "1")
    time.sleep(0.25)  # the claim outlives its grace period
    run_jobs(sim, until=later())

    assert job.get_status(refresh=True) == JobStatus.FINISHED
    assert texts_to(carrier, CUSTOMER) == [body]
    assert sim.redis.get(sim.store.key(LAW, "sent", "kill-2")).decode().startswith("SM")


def test_retried_text_job_sends_once(sim, carrier) -> None:
    enqueue_text(sim.redis, LAW, CUSTOMER, "We got your message.", "confirm:CV1")
    enqueue_text(sim.redis, LAW, CUSTOMER, "We got your message.", "confirm:CV1")  # a retry
    run_jobs(sim)
    enqueue_text(sim.redis, LAW, CUSTOMER, "We got your message.", "confirm:CV1")  # again later
    run_jobs(sim)
    assert texts_to(carrier, CUSTOMER) == ["We got your message."]


def test_stale_claim_whose_text_never_left_is_sent_once(sim, carrier) -> None:
    key = sim.store.key(LAW, "sent", "stale-1")
    sim.redis.set(key, f"pending:{time.time() - 600:.3f}:deadbeef")  # a worker died before sending
    assert send_sms(sim, LAW, CUSTOMER, "Hello again", idempotency_key="stale-1")
    assert send_sms(sim, LAW, CUSTOMER, "Hello again", idempotency_key="stale-1") is None
    assert texts_to(carrier, CUSTOMER) == ["Hello again"]


def test_text_another_attempt_is_sending_right_now_is_deferred_not_doubled(sim, carrier) -> None:
    sim.redis.set(sim.store.key(LAW, "sent", "busy-1"), f"pending:{time.time():.3f}:cafe")
    with pytest.raises(EffectPending):
        send_sms(sim, LAW, CUSTOMER, "Hi", idempotency_key="busy-1")
    assert texts_to(carrier, CUSTOMER) == []


def test_job_that_keeps_failing_is_listed_with_its_error_and_no_transcript(sim) -> None:
    job = enqueue(sim.redis, "ivr.handoff.export.export_job", "no-such-business", "CVmissing",
                  retry=(), meta={"business": "x", "what": "export"})
    enqueue(sim.redis, "json.loads", "{not json", retry=(1, 1), meta={"what": "parse"})
    run_jobs(sim, until=later())
    assert Job.fetch(job.id, connection=sim.redis).get_status() == JobStatus.FINISHED
    failed = failed_jobs(sim.redis)
    assert [f["function"] for f in failed] == ["json.loads"]
    assert failed[0]["error"].startswith("json.decoder.JSONDecodeError")
    assert failed[0]["meta"] == {"what": "parse"}
    assert failed[0]["failed_at"]


def test_text_that_never_reached_the_carrier_is_sent_by_the_retry(runtime, carrier) -> None:
    with pytest.raises(Exception, match="Connection"):  # the carrier is unreachable
        send_sms(runtime, LAW, CUSTOMER, "Back soon", idempotency_key="down-1")
    assert runtime.redis.get(runtime.store.key(LAW, "sent", "down-1")) is None
    point_at(runtime, carrier)
    assert send_sms(runtime, LAW, CUSTOMER, "Back soon", idempotency_key="down-1")
    assert texts_to(carrier, CUSTOMER) == ["Back soon"]
