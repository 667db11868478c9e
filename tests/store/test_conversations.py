"""Concurrent callbacks about one conversation never overwrite each other's writes."""

from __future__ import annotations

import threading

import redis

from ivr.store.conversations import Store
from ivr.store.records import new_conversation


def test_concurrent_updates_to_one_record_all_land(runtime, redis_server, clock):
    record = new_conversation(business="B", business_key="b", channel="voice",
                              caller="+15125550199", flow="hvac", now=clock())
    runtime.store.save(record)

    def bump(field: str) -> None:
        store = Store(redis.Redis.from_url(redis_server.url))  # one connection per callback
        for _ in range(40):
            store.update(record["id"], lambda r: r.__setitem__(field, r.get(field, 0) + 1))
        store.redis.close()

    threads = [threading.Thread(target=bump, args=(name,)) for name in ("voicemail_n", "call_n")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    saved = runtime.store.get(record["id"])
    assert saved["voicemail_n"] == 40 and saved["call_n"] == 40


def test_updating_a_missing_record_changes_nothing(runtime):
    assert runtime.store.update("CVmissing", lambda r: r.update(x=1)) is None
