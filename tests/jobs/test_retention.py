"""Transcripts are personal data: each business's records expire after its retention_days."""

from __future__ import annotations

import os
import time
from datetime import timedelta

from ivr.handoff.followups import queue_callback
from ivr.jobs.retention import purge, purge_audio, purge_if_due
from ivr.store.callbacks import list_callbacks, waiting_for_digest
from ivr.store.records import new_conversation


def seed(runtime, business, started, caller="+15125550199"):
    record = new_conversation(business=business.name, business_key=business.key, channel="sms",
                              caller=caller, flow=business.flow_name, now=started)
    runtime.store.save(record)
    return record["id"]


def test_records_past_retention_are_deleted_and_recent_ones_kept(runtime, clock):
    business = runtime.directory.by_number("+15125550200")
    now = clock()
    old = seed(runtime, business, now - timedelta(days=business.retention_days + 1))
    recent = seed(runtime, business, now - timedelta(days=1), caller="+15125550198")
    assert purge(runtime)["records"] == 1
    assert runtime.store.get(old) is None
    assert runtime.store.get(recent) is not None
    assert [r["id"] for r in runtime.store.conversations(phone="+15125550199")] == []


def test_a_callback_task_goes_with_its_conversation(runtime, clock):
    business = runtime.directory.by_number("+15125550200")
    now = clock()
    ids = []
    for started in (now - timedelta(days=business.retention_days + 1), now - timedelta(days=1)):
        record = new_conversation(business=business.name, business_key=business.key,
                                  channel="voice", caller="+15125550199", flow=business.flow_name,
                                  now=started)
        runtime.store.save(record)
        queue_callback(runtime, business, record, summary="Gas smell, furnace out.")
        ids.append(record["id"])
    assert purge(runtime)["records"] == 1
    [kept] = list_callbacks(runtime.store, business.key)
    assert kept["conversation"] == ids[1]  # the old lead's number and summary are gone
    assert waiting_for_digest(runtime.store, business.key) == [kept]


def test_the_daily_purge_runs_once_however_many_workers_ask(runtime, clock):
    business = runtime.directory.by_number("+15125550100")
    seed(runtime, business, clock() - timedelta(days=business.retention_days + 5))
    assert purge_if_due(runtime) == {"records": 1, "audio": 0}
    seed(runtime, business, clock() - timedelta(days=business.retention_days + 5))
    assert purge_if_due(runtime) is None  # another worker already purged today


def test_rendered_summaries_older_than_retention_are_deleted(tmp_path):
    old, fresh = tmp_path / "cache" / "old.wav", tmp_path / "cache" / "fresh.wav"
    old.parent.mkdir()
    old.write_bytes(b"RIFF")
    fresh.write_bytes(b"RIFF")
    a_year_ago = time.time() - 365 * 86400
    os.utime(old, (a_year_ago, a_year_ago))
    assert purge_audio(tmp_path, max_age_days=90) == 1
    assert not old.exists() and fresh.exists()
