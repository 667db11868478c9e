"""The number's Voice fallback URL (`/voice/fallback`, "Primary handler fails" in Twilio's
console, docs/deployment.md): what a caller gets when Twilio could not get TwiML from
`/voice/incoming` — a proxy's 502 while the app restarts, or an answer later than 15 s.

The caller must hear a polite word and reach a person, never Twilio's application error.
"""

from __future__ import annotations

from voice_calls import ALEX, CALLER, HVAC, JO, conversation

from ivr.sim.executor import APPLICATION_ERROR
from ivr.twilio.twiml import CONNECTING


def test_a_caller_the_app_could_not_answer_is_put_through_to_the_on_call_person(
        live_app, carrier):
    carrier.faults.fail_webhook("/voice/incoming", 502)
    alex = carrier.seat(ALEX, "accept")
    call = carrier.phone(CALLER).call(HVAC)
    agent = alex.wait_for_call()
    carrier.wait_for(lambda: call.connected_to(agent), 10, "the caller put through to Alex")
    assert call.heard[0] == CONNECTING
    assert APPLICATION_ERROR not in call.heard and not call.errors


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
