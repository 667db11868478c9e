"""CRM export: a finished conversation reaches the business's webhook signed with its secret,
survives the receiver's outage by retrying with backoff, and `ivr export` writes CSV or JSON
lines to stdout."""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from jobs_support import business_dir, later, run_jobs

from ivr.app.cli import main
from ivr.config.directory import load_directory
from ivr.flow.actions import End, Say
from ivr.handoff.export import export_effect, verify
from ivr.jobs.queues import failed_jobs
from ivr.store.records import add_turn, iso, new_conversation, public_view

SECRET_ENV = "IVR_EXPORT_SECRET_HARTLEY"
SECRET = "s3cret-for-the-crm"


class Receiver:
    """A CRM on loopback: answers each POST with the next scripted status, keeps what it got."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = list(statuses)
        self.requests: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/ivr"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    crm = Receiver([500, 200])
    yield crm
    crm.stop()


def exporting(runtime, tmp_path: Path, url: str, monkeypatch, secret: str | None = SECRET):
    """The runtime serving a law firm whose config exports to `url`."""
    if secret is None:
        monkeypatch.delenv(SECRET_ENV, raising=False)
    else:
        monkeypatch.setenv(SECRET_ENV, secret)
    runtime.directory = load_directory(business_dir(
        tmp_path, export={"url": url, "secret_env": SECRET_ENV}))
    return runtime.directory.by_key("hartley-family-law")


def finished_conversation(runtime, business, caller: str = "+15125550199",
                          at: datetime | None = None) -> dict:
    now = at or runtime.clock()
    record = new_conversation(business=business.name, business_key=business.key, channel="sms",
                              caller=caller, flow="law_firm", now=now)
    add_turn(record, "caller", "I need help with a custody case", now)
    record.update(outcome="qualified", bucket="custody", ended_at=iso(now),
                  slots={"matter_type": "custody"})
    runtime.store.save(record)
    return record


def end(runtime, business, record) -> None:
    export_effect(runtime, business, record, [Say("Goodbye."), End("qualified")])


def test_finished_conversation_is_posted_signed_and_retried_after_a_500(
        runtime, receiver, tmp_path, monkeypatch):
    business = exporting(runtime, tmp_path, receiver.url, monkeypatch)
    record = finished_conversation(runtime, business)

    end(runtime, business, record)
    end(runtime, business, record)  # a retried webhook queues nothing more
    run_jobs(runtime, until=later())

    assert len(receiver.requests) == 2  # the 500, then the retry that succeeded
    for headers, body in receiver.requests:
        assert verify(SECRET, body, headers["X-Ivr-Signature"])
        assert not verify("wrong-secret", body, headers["X-Ivr-Signature"])
        assert headers["X-Ivr-Signature"].startswith("sha256=")
        assert headers["X-Ivr-Timestamp"].isdigit()
        assert headers["X-Ivr-Delivery"] == record["id"]
        assert json.loads(body) == public_view(record)
    assert failed_jobs(runtime.redis) == []


def test_receiver_refusing_the_payload_fails_at_once_and_shows_in_failed_jobs(
        runtime, tmp_path, monkeypatch, client):
    crm = Receiver([422])
    try:
        business = exporting(runtime, tmp_path, crm.url, monkeypatch)
        end(runtime, business, finished_conversation(runtime, business))
        run_jobs(runtime, until=later())
    finally:
        crm.stop()
    assert len(crm.requests) == 1  # no pointless retries of a refusal
    response = client.get("/api/jobs/failed", headers={"Authorization": "Bearer test-api-token"})
    [job] = response.get_json()["jobs"]
    assert job["function"] == "ivr.handoff.export.export_job" and "422" in job["error"]
    assert job["meta"]["what"] == "export"


def test_unreachable_receiver_is_retried_with_backoff_then_reported(
        runtime, tmp_path, monkeypatch):
    crm = Receiver([])
    crm.stop()  # nothing listens there any more
    business = exporting(runtime, tmp_path, crm.url, monkeypatch)
    end(runtime, business, finished_conversation(runtime, business))
    run_jobs(runtime, until=later(hours=3), rounds=12)
    [job] = failed_jobs(runtime.redis)
    assert "unreachable" in job["error"]


def test_missing_secret_is_reported_by_name_and_nothing_is_sent_unsigned(
        runtime, receiver, tmp_path, monkeypatch):
    business = exporting(runtime, tmp_path, receiver.url, monkeypatch, secret=None)
    end(runtime, business, finished_conversation(runtime, business))
    run_jobs(runtime, until=later())
    assert receiver.requests == []
    [job] = failed_jobs(runtime.redis)
    assert SECRET_ENV in job["error"]


def test_businesses_without_export_queue_nothing(runtime, receiver):
    business = runtime.directory.by_key("hartley-family-law")
    end(runtime, business, finished_conversation(runtime, business))
    run_jobs(runtime)
    assert receiver.requests == []


def cli_export(settings, *args: str) -> str:
    env = {"REDIS_URL": settings.redis_url, "IVR_CONFIG": str(settings.config_path)}
    result = CliRunner().invoke(main, ["export", *args], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_ivr_export_writes_finished_conversations_in_the_range(runtime, settings):
    business = runtime.directory.by_key("hartley-family-law")
    old = finished_conversation(runtime, business, "+15125550101", datetime(2026, 10, 5, tzinfo=UTC))
    new = finished_conversation(runtime, business, "+15125550102", datetime(2026, 11, 5, tzinfo=UTC))
    live = new_conversation(business=business.name, business_key=business.key, channel="sms",
                            caller="+15125550103", flow="law_firm",
                            now=datetime(2026, 11, 6, tzinfo=UTC))
    runtime.store.save(live)  # still going: not exported

    lines = cli_export(settings, "--since", "2026-11-01", "--format", "jsonl").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [new["id"]]

    rows = list(csv.DictReader(io.StringIO(cli_export(settings, "--format", "csv"))))
    assert [r["id"] for r in rows] == [old["id"], new["id"]]
    assert rows[0]["outcome"] == "qualified" and "custody case" in rows[0]["transcript"]
    assert json.loads(rows[0]["slots"]) == {"matter_type": "custody"}


def test_ivr_export_rejects_a_bad_date_plainly(settings):
    env = {"REDIS_URL": settings.redis_url, "IVR_CONFIG": str(settings.config_path)}
    result = CliRunner().invoke(main, ["export", "--since", "last tuesday"], env=env)
    assert result.exit_code == 2
    assert "ISO date" in result.output


def test_a_call_the_caller_hung_up_mid_flow_is_exported_as_abandoned(
        runtime, receiver, tmp_path, monkeypatch):
    from ivr.conversation.voice_close import close_call
    from ivr.flow.events import Input

    receiver.statuses = [200]
    business = exporting(runtime, tmp_path, receiver.url, monkeypatch)
    call_sid = "CA" + "7" * 32
    runtime.conversations.handle(business, "voice", "+15125550199", Input.start(),
                                 key=call_sid, sid=call_sid, loaded=None)
    assert close_call(runtime, business, call_sid, "completed", 12.0)
    run_jobs(runtime, until=later())

    [(headers, body)] = receiver.requests
    exported = json.loads(body)
    assert exported["outcome"] == "abandoned" and exported["channel"] == "voice"
    assert verify(SECRET, body, headers["X-Ivr-Signature"])
