"""The number's Voice fallback URL (`/voice/fallback`, "Primary handler fails" in Twilio's
console, docs/deployment.md): what a caller gets when Twilio could not get TwiML from
`/voice/incoming` — a proxy's 502 while the app restarts, or an answer later than 15 s.

The caller must hear a polite word and reach a person, never Twilio's application error.
"""

from __future__ import annotations

from voice_calls import ALEX, CALLER, HVAC, HVAC_KEY, JO, conversation

from ivr.sim.executor import APPLICATION_ERROR
from ivr.twilio.twiml import CONNECTING, SORRY


def test_a_caller_the_app_could_not_answer_is_put_through_to_the_on_call_person(
        live_app, carrier):
    carrier.faults.fail_webhook("/voice/incoming", 502)
    alex = carrier.seat(ALEX, "accept")
    call = carrier.phone(CALLER).call(HVAC)
    agent = alex.wait_for_call()
    carrier.wait_for(lambda: call.connected_to(agent), 10, "the caller put through to Alex")
    assert call.heard[0] == CONNECTING
    assert APPLICATION_ERROR not in call.heard and not call.errors


def voice_records(runtime) -> list[dict]:
    return [r for r in runtime.store.conversations(phone=CALLER) if r["channel"] == "voice"]


def closed(carrier, runtime) -> dict:
    carrier.wait_for(lambda: any(r["ended_at"] for r in voice_records(runtime)), 10,
                     "the call's conversation closed")
    [record] = voice_records(runtime)
    return record


def test_a_caller_the_app_never_saw_is_on_the_dashboard_as_transferred(live_app, carrier,
                                                                       runtime):
    """A proxy's 502: the app never saw /voice/incoming, only the fallback. The call still
    counts, once, as put through to a person."""
    carrier.faults.fail_webhook("/voice/incoming", 502)
    alex = carrier.seat(ALEX, "manual")
    call = carrier.phone(CALLER).call(HVAC)
    agent = alex.wait_for_call()
    carrier.wait_for(lambda: call.connected_to(agent), 10, "the caller put through to Alex")
    agent.hangup()  # they talked; Alex ends it, the caller hears goodbye
    call.wait_until("completed")
    record = closed(carrier, runtime)
    assert record["outcome"] == "transferred"
    assert record["transcript"][0]["text"] == CONNECTING


def test_a_caller_nobody_could_take_through_the_fallback_is_an_escalation(live_app, carrier,
                                                                          runtime):
    carrier.faults.fail_webhook("/voice/incoming", 502)
    carrier.seat(ALEX, "no_answer")
    carrier.seat(JO, "no_answer")
    call = carrier.phone(CALLER).call(HVAC)
    call.wait_until("completed")
    assert SORRY in call.heard
    assert closed(carrier, runtime)["outcome"] == "escalated"


def test_a_greeting_that_arrives_after_the_fallback_changes_nothing(live_app, carrier, runtime):
    """Twilio fell back before the slow /voice/incoming did its work: the caller is with Jo,
    and the late greeting neither opens a second conversation nor marks the caller as asked a
    question, so the call is a transfer, not an abandoned call."""
    carrier.faults.overtaken_webhook("/voice/incoming")
    jo = carrier.seat(JO, "manual")
    carrier.seat(ALEX, "no_answer")
    call = carrier.phone(CALLER).call(HVAC)
    agent = jo.wait_for_call()
    carrier.wait_for(lambda: call.connected_to(agent), 10, "the caller put through to Jo")
    assert runtime.store.get_call(HVAC_KEY, call.sid, "phase") == {"phase": "transfer"}
    agent.hangup()
    call.wait_until("completed")
    record = closed(carrier, runtime)
    assert record["outcome"] == "transferred"
    assert [t["text"] for t in record["transcript"]] == [CONNECTING]  # no unheard greeting


def test_a_caller_whose_greeting_came_too_late_reaches_a_person_and_is_recorded_once(
        live_app, carrier, runtime):
    """Twilio gave up on /voice/incoming after 15 s, but the app had started the conversation:
    the caller reaches a person through the fallback, and the record says they did."""
    carrier.faults.slow_webhook("/voice/incoming")
    carrier.seat(ALEX, "no_answer")
    jo = carrier.seat(JO, "accept")
    call = carrier.phone(CALLER).call(HVAC)
    agent = jo.wait_for_call()
    carrier.wait_for(lambda: call.connected_to(agent), 10, "the caller put through to Jo")
    call.hangup()
    assert APPLICATION_ERROR not in call.heard
    records = [r for r in runtime.store.conversations(phone=CALLER) if r["channel"] == "voice"]
    assert len(records) == 1
    assert conversation(runtime)["outcome"] == "transferred"  # not "abandoned"
