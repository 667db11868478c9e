"""Callbacks about one transfer take turns: each change to a hunt lands, none is overwritten,
and a callback that breaks leaves the hunt as it was and the next one free to act."""

from __future__ import annotations

import threading

import pytest

from ivr.store.hunts import Hunt, Hunts


def _hunt(runtime) -> Hunt:
    hunt = Hunt(id="conf-CA1", business="b", record_id="CV1", channel="voice",
                customer="+15125550199", decided_at="2026-11-25T10:00:00+00:00")
    assert Hunts(runtime.store).create(hunt)
    return hunt


def test_concurrent_callbacks_each_change_the_hunt_once(runtime):
    _hunt(runtime)
    hunts = Hunts(runtime.store)

    def leg_events(prefix: str) -> None:
        for n in range(25):
            with hunts.locked("b", "conf-CA1") as hunt:
                hunt.legs[f"{prefix}{n}"] = "completed"

    threads = [threading.Thread(target=leg_events, args=(p,)) for p in ("CA-a", "CA-b", "CA-c")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(hunts.get("b", "conf-CA1").legs) == 75


def test_a_callback_that_fails_changes_nothing_and_frees_the_hunt(runtime):
    _hunt(runtime)
    hunts = Hunts(runtime.store)
    with pytest.raises(RuntimeError), hunts.locked("b", "conf-CA1") as hunt:
        hunt.status = "failed"
        raise RuntimeError("the carrier hung up on us")
    with hunts.locked("b", "conf-CA1") as hunt:                  # not left locked
        assert hunt.status == "hunting"
