"""The agent's spoken summary is rendered by the worker and heard from any web node; without
a worker the agent still hears the same words, spoken by the carrier."""

from __future__ import annotations

import pytest
from jobs_support import run_jobs
from twilio_speech import heard_by_twilio

from ivr.handoff.summary_audio import queue_render
from ivr.store.hunts import FAILED, Hunt, Hunts

HVAC, ALEX, CALLER = "+15125550200", "+15125550211", "+15125550199"
WHISPER = "Polar Bear HVAC call from 5 1 2, 5 5 5, 0 1 9 9. Gas smell. Press 1 to take it."


def _hunt(runtime) -> Hunt:
    hunt = Hunt(id="conf-CA9", business="polar-bear-hvac", record_id="CV9", channel="voice",
                customer=CALLER, decided_at="2026-11-25T10:00:00+00:00", whisper=WHISPER)
    Hunts(runtime.store).create(hunt)
    return hunt


def test_audio_rendered_by_the_worker_is_served_by_a_node_that_never_rendered_it(
        runtime, client):
    hunt = _hunt(runtime)
    queue_render(runtime, hunt)
    run_jobs(runtime)
    name = Hunts(runtime.store).get(hunt.business, hunt.id).audio
    assert name
    (runtime.settings.audio_dir / name).unlink()               # another node's disk, say
    reply = client.get(f"/transfer/audio/{name}?b={hunt.business}&h={hunt.id}")
    assert reply.status_code == 200 and reply.data[:4] == b"RIFF"


def test_a_transfer_renders_its_summary_once_however_often_it_is_queued(runtime):
    hunt = _hunt(runtime)
    for _ in range(3):
        queue_render(runtime, hunt)
    run_jobs(runtime)
    first = Hunts(runtime.store).get(hunt.business, hunt.id).audio
    queue_render(runtime, hunt)
    run_jobs(runtime)
    assert Hunts(runtime.store).get(hunt.business, hunt.id).audio == first


def test_a_summary_nobody_will_hear_is_not_rendered(runtime):
    hunt = _hunt(runtime)
    queue_render(runtime, hunt)
    Hunts(runtime.store).change(hunt.business, hunt.id, lambda h: setattr(h, "status", FAILED))
    run_jobs(runtime)  # the worker was busy: by the time it gets there nobody is being rung
    assert Hunts(runtime.store).get(hunt.business, hunt.id).audio is None
    assert not list((runtime.settings.audio_dir).rglob("*.wav"))


@pytest.mark.no_worker
def test_without_a_worker_the_agent_hears_the_summary_spoken(live_app, carrier, runtime):
    alex = carrier.seat(ALEX, "accept")
    heard_by_twilio(runtime)  # the caller says what is wrong
    call = carrier.phone(CALLER).call(HVAC)
    call.wait_for_gather()
    call.say("I smell gas and the furnace is out")
    agent = alex.wait_for_call()
    carrier.wait_for(lambda: any("Press 1" in h for h in agent.heard), 15, "the accept question")
    assert not any(h.startswith("[play ") for h in agent.heard)
    hunt = Hunts(runtime.store).get("polar-bear-hvac", f"conf-{call.sid}")
    assert any(hunt.whisper.split(".")[0] in h for h in agent.heard)
    assert not agent.errors
