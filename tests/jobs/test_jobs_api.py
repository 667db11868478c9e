"""The follow-up queue as staff and tools see it: `/api/callbacks`, marking a callback done,
`/api/jobs/failed`, and `ivr worker --burst` running what is queued."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from jobs_support import point_at, worker_env

from ivr.handoff.followups import queue_callback
from ivr.handoff.outbound import enqueue_text
from ivr.store.callbacks import list_callbacks
from ivr.store.records import new_conversation

AUTH = {"Authorization": "Bearer test-api-token"}
CHICAGO = ZoneInfo("America/Chicago")
VENV_BIN = Path(__file__).resolve().parents[2] / ".venv" / "bin"


def queued(runtime, business_key: str, caller: str, summary: str) -> dict:
    business = runtime.directory.by_key(business_key)
    record = new_conversation(business=business.name, business_key=business.key, channel="sms",
                              caller=caller, flow=business.flow_name, now=runtime.clock())
    runtime.store.save(record)
    return queue_callback(runtime, business, record, summary=summary)


def test_callbacks_are_listed_per_business_and_marked_done(client, runtime, clock):
    clock.set(datetime(2026, 11, 21, 20, 0, tzinfo=CHICAGO))
    law = queued(runtime, "hartley-family-law", "+15125550199", "Custody, Travis County")
    queued(runtime, "polar-bear-hvac", "+15125550177", "Quote for a heat pump")

    everyone = client.get("/api/callbacks", headers=AUTH).get_json()["callbacks"]
    assert {c["caller"] for c in everyone} == {"+15125550199", "+15125550177"}
    mine = client.get("/api/callbacks?business=Hartley Family Law", headers=AUTH).get_json()
    [task] = mine["callbacks"]
    assert task["id"] == law["id"] and task["due_text"] == "Monday after 8:30 AM"
    assert task["summary"] == "Custody, Travis County" and task["status"] == "open"

    clock.set(datetime(2026, 11, 23, 9, 5, tzinfo=CHICAGO))
    done = client.post(f"/api/callbacks/{law['id']}/done", json={"by": "Dana", "note": "booked"},
                       headers=AUTH)
    assert done.status_code == 200 and done.get_json()["done_by"] == "Dana"
    again = client.post(f"/api/callbacks/{law['id']}/done", json={"by": "Sam"}, headers=AUTH)
    assert again.get_json()["done_by"] == "Dana"  # the first marking stands

    still_open = client.get("/api/callbacks?business=hartley-family-law", headers=AUTH)
    assert still_open.get_json()["callbacks"] == []
    closed = client.get("/api/callbacks?business=hartley-family-law&status=done", headers=AUTH)
    [finished] = closed.get_json()["callbacks"]
    assert finished["note"] == "booked" and finished["done_at"].startswith("2026-11-23T15:05")
    assert list_callbacks(runtime.store, "polar-bear-hvac")  # the other business is untouched


def test_callbacks_api_needs_the_token_and_says_what_is_wrong(client):
    assert client.get("/api/callbacks").status_code == 401
    assert client.post("/api/callbacks/CBx/done").status_code == 401
    assert client.get("/api/jobs/failed").status_code == 401
    bad = client.get("/api/callbacks?status=pending", headers=AUTH)
    assert bad.status_code == 400 and "open" in bad.get_json()["error"]
    unknown = client.get("/api/callbacks?business=Nobody Inc", headers=AUTH)
    assert unknown.status_code == 400 and "Hartley Family Law" in unknown.get_json()["error"]
    missing = client.post("/api/callbacks/CBnope/done", headers=AUTH, json={})
    assert missing.status_code == 404
    assert client.post("/api/callbacks/CBnope/done", headers=AUTH, data="[1,",
                       content_type="application/json").status_code == 400


def test_no_failed_jobs_is_an_empty_list(client):
    response = client.get("/api/jobs/failed", headers=AUTH)
    assert response.status_code == 200 and response.get_json() == {"jobs": []}


def test_ivr_worker_burst_sends_what_is_queued_and_exits(runtime, carrier, tmp_path):
    point_at(runtime, carrier)
    enqueue_text(runtime.redis, "polar-bear-hvac", "+15125550199", "See you Monday.", "cli-1")
    result = subprocess.run([str(VENV_BIN / "ivr"), "worker", "--burst"],
                            env=worker_env(runtime, tmp_path), capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert carrier.phone("+15125550199").texts == ["See you Monday."]
