"""Warm transfers when Twilio's status callbacks come twice and out of order.

Twilio promises neither: a leg's "no-answer" may arrive twice, a "participant-leave" before the
"participant-join" it follows, a recording's status twice. The carrier simulator delivers every
status callback twice and those about one call or conference newest first
(`carrier.faults.duplicate_callbacks()`, `reorder_callbacks()`); the people involved must still
notice nothing: each on-call person rung once, one staff text, one outcome, one voicemail.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from latest_record import wait_for_latest
from twilio_speech import heard_by_twilio

from ivr.store.callbacks import list_callbacks
from ivr.store.records import iso, parse_iso

HVAC, ALEX, JO = "+15125550200", "+15125550211", "+15125550212"
CALLER = "+15125550199"
GAS = "I smell gas and the furnace is out"
AUTH = {"Authorization": "Bearer test-api-token"}


@pytest.fixture
def unruly(carrier, runtime):
    """Every status callback twice, each overtaken by the next about the same resource; the
    caller's words heard by Twilio's recogniser (`speech: twilio`)."""
    heard_by_twilio(runtime)
    carrier.faults.duplicate_callbacks()
    carrier.faults.reorder_callbacks()
    return carrier


def escalate(carrier):
    call = carrier.phone(CALLER).call(HVAC)
    call.wait_for_gather()
    call.say(GAS)
    return call


def record_when(carrier, runtime, test, what):
    return wait_for_latest(carrier, runtime, CALLER, test, what)


def assert_put_through_when_alex_joined(unruly, runtime, joined) -> None:
    """The closed call counts as transferred, its time-to-human running to the join."""
    record = record_when(unruly, runtime, lambda r: r["ended_at"], "the call closed")
    assert record["outcome"] == "transferred"
    decided = parse_iso(record["transfer"]["decided_at"])
    assert record["transfer"]["time_to_human_s"] == pytest.approx(
        (joined - decided).total_seconds(), abs=1.0)  # a Timestamp counts whole seconds

def test_a_missed_person_is_skipped_once_and_the_next_rung_once_despite_repeated_callbacks(
        live_app, unruly, runtime):
    alex = unruly.seat(ALEX, "no_answer")
    jo = unruly.seat(JO, "accept")
    call = escalate(unruly)
    agent = jo.wait_for_call()
    unruly.wait_for(lambda: unruly.conference(f"conf-{call.sid}").has(call, agent), 10,
                    "caller and Jo connected")
    record = record_when(unruly, runtime, lambda r: (r["transfer"] or {}).get(
        "time_to_human_s") is not None, "Jo connected")
    unruly.drain()
    assert len(alex.calls) == 1 and len(jo.calls) == 1
    assert [a["name"] for a in record["transfer"]["attempts"]] == ["Alex Kim", "Jo Park"]
    assert record["outcome"] == "transferred"
    assert call.connected_to(agent)  # nobody's late callback undid the connection
    links = [t for t in jo.texts if "/dashboard/conversations/" in t]
    assert len(links) == 1  # the summary texted once


def test_the_finished_call_is_counted_once_with_its_outcome_kept(live_app, unruly, runtime,
                                                                  client):
    unruly.seat(ALEX, "accept")
    call = escalate(unruly)
    record_when(unruly, runtime, lambda r: (r["transfer"] or {}).get(
        "time_to_human_s") is not None, "Alex connected")
    call.hangup()
    unruly.drain()
    record = record_when(unruly, runtime, lambda r: r["ended_at"], "the call closed")
    assert record["outcome"] == "transferred"
    assert record["transfer"]["accepted"] is True
    started = parse_iso(record["started_at"])
    day = {"since": iso(started - timedelta(hours=1)), "until": iso(started + timedelta(hours=1))}
    metrics = client.get("/api/metrics", query_string=day, headers=AUTH).get_json()
    assert metrics["conversations"] == 1
    assert metrics["deflection_rate"] == 0.0  # a person took it, whatever arrived late


def test_a_message_left_for_nobody_available_becomes_one_callback_task(live_app, unruly,
                                                                       runtime):
    unruly.seat(ALEX, "pass")
    unruly.seat(JO, "no_answer")
    call = escalate(unruly)
    call.wait_for("record", 15)
    call.leave_message()
    unruly.drain()
    record = record_when(unruly, runtime, lambda r: r.get("voicemail"), "voicemail noted")
    assert record["outcome"] == "escalated"
    tasks = [t for t in list_callbacks(runtime.store, record["business_key"], "open")
             if t["conversation"] == record["id"]]
    assert len(tasks) == 1
    texts = [t for t in unruly.phone(CALLER).texts if "call you back" in t]
    assert len(texts) == 1  # the caller is told once when to expect the call back


def test_a_caller_who_hangs_up_right_after_the_agent_joins_was_still_put_through(
        live_app, unruly, runtime):
    """The caller's leave overtakes the agent's join: they still talked, so it is a transfer,
    not an abandoned call, and the agent is not told the caller had gone."""
    alex = unruly.seat(ALEX, "accept")
    call = escalate(unruly)
    agent = alex.wait_for_call()
    unruly.wait_for(lambda: unruly.conference(f"conf-{call.sid}").has(call, agent), 10,
                    "caller and Alex connected")
    call.hangup()
    unruly.drain()
    record = record_when(unruly, runtime, lambda r: r["ended_at"], "the call closed")
    assert record["outcome"] == "transferred"
    assert record["transfer"]["accepted"] is True
    assert not any("no longer on the line" in h for h in agent.heard)


def test_time_to_human_stops_when_the_agent_joined_even_when_the_join_is_learned_late(
        live_app, unruly, runtime, clock):
    """The caller's leave overtakes the agent's join, 40 s later: the owner's time-to-human
    is when Alex picked the caller up, not when the late join was put right."""
    alex = unruly.seat(ALEX, "accept")
    call = escalate(unruly)
    agent = alex.wait_for_call()
    unruly.wait_for(lambda: unruly.conference(f"conf-{call.sid}").has(call, agent), 10,
                    "caller and Alex connected")
    joined = clock.now
    clock.set(joined + timedelta(seconds=40))  # they talk; the join's callback is still held
    call.hangup()
    unruly.drain()
    assert_put_through_when_alex_joined(unruly, runtime, joined)


def test_time_to_human_is_when_the_agent_joined_even_when_their_leg_ended_before_we_heard(
        live_app, unruly, runtime, clock):
    """Alex's leg reports "completed" before anything of the caller's call or the conference
    (Twilio keeps no order across them): the leg alone says they talked, and the join that
    comes afterwards, 40 s later, still says when Alex picked the caller up."""
    alex = unruly.seat(ALEX, "accept")
    call = escalate(unruly)
    room = unruly.conference(f"conf-{call.sid}")
    unruly.faults.park_callbacks(call.sid, room.sid)
    agent = alex.wait_for_call()
    unruly.wait_for(lambda: room.has(call, agent), 10, "caller and Alex connected")
    joined = clock.now
    clock.set(joined + timedelta(seconds=40))  # they talk; nothing of the room is heard yet
    call.hangup(wait=False)  # its callbacks are parked: nothing to wait for yet
    unruly.wait_for(lambda: call.ended and agent.ended, 10, "both legs over")
    unruly.drain(key=agent.sid)
    unruly.release_callbacks()
    unruly.drain()
    assert_put_through_when_alex_joined(unruly, runtime, joined)
