"""A call's life: silence climbs the ladder to a person, a hangup mid-flow is an abandoned
conversation, and carrier retries (incoming, status) never double anything."""

from __future__ import annotations

from datetime import timedelta

from signing import signed_post
from voice_calls import (
    CALLER,
    DANA,
    LAW,
    LAW_KEY,
    assert_no_application_error,
    conversation,
    voice_form,
)

from ivr.sim.wait import wait_for


def test_silence_is_reprompted_then_offered_the_keypad_then_put_through_to_a_person(
        live_app, carrier, runtime):
    call = carrier.phone(CALLER).call(LAW)
    first = " ".join(call.wait_for_gather()["prompt"])
    again = " ".join(call.silence())
    assert again and again != first                             # a reprompt, not a repeat
    menu = " ".join(call.silence())
    assert "press" in menu.lower() and "keypad" in menu.lower()
    human = " ".join(call.silence())
    assert "connecting you" in human.lower()
    assert carrier.phone(DANA).wait_for_call().to == DANA
    assert_no_application_error(carrier, call)
    call.hangup()


def test_caller_hanging_up_mid_questions_leaves_an_abandoned_conversation(live_app, carrier,
                                                                          runtime, clock):
    call = carrier.phone(CALLER).call(LAW)
    call.wait_for_gather()
    call.press("1")
    clock.set(clock.now + timedelta(seconds=40))
    call.hangup()
    record = wait_for(lambda: (lambda r: r if r["outcome"] else None)(conversation(runtime)),
                      5, "the conversation to close")
    assert record["outcome"] == "abandoned"
    assert record["ended_at"] == "2026-11-24T16:00:40.000Z"
    assert record["call"]["duration_s"] is not None
    assert runtime.store.get_state(LAW_KEY, "voice", call.sid) is None
    assert runtime.store.get_call(LAW_KEY, call.sid) == {}


def test_a_repeated_status_callback_closes_the_call_once(client, runtime, clock):
    sid = "CA" + "b" * 32
    signed_post(client, "/voice/incoming", voice_form(sid))
    done = {"CallSid": sid, "CallStatus": "completed", "CallDuration": "12", "To": LAW,
            "From": CALLER}
    assert signed_post(client, "/voice/status", done).status_code == 200
    first = conversation(runtime)
    clock.set(clock.now + timedelta(minutes=5))
    assert signed_post(client, "/voice/status", done).status_code == 200
    again = conversation(runtime)
    assert again == first
    assert first["outcome"] == "abandoned"
    assert first["call"]["duration_s"] == 12


def test_a_retried_incoming_webhook_gets_the_same_answer_and_one_conversation(client, runtime):
    sid = "CA" + "c" * 32
    first = signed_post(client, "/voice/incoming", voice_form(sid))
    second = signed_post(client, "/voice/incoming", voice_form(sid))
    assert first.get_data() == second.get_data()
    assert len(runtime.store.conversations(phone=CALLER)) == 1
    assert runtime.store.get_call(LAW_KEY, sid)["turn"] == 1


def test_a_finished_conversation_keeps_its_outcome_when_the_call_ends(live_app, carrier,
                                                                      runtime):
    call = carrier.phone(CALLER).call(LAW)
    call.wait_for_gather()
    for key in ("1", "1", "1", "1", "1"):                       # ... already has a lawyer
        call.press(key)
    call.wait_until("completed")
    record = wait_for(lambda: (lambda r: r if r.get("call") else None)(conversation(runtime)),
                      5, "the status callback")
    assert record["outcome"] == "not_qualified"
