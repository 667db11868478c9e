"""A caller who hangs up while we look for a person: no agent phone keeps ringing for nobody."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sim_fixtures import ACCOUNT_SID, AUTH_TOKEN
from twilio_speech import heard_by_twilio

from ivr.sim import Carrier

HVAC, ALEX, JO = "+15125550200", "+15125550211", "+15125550212"
CALLER = "+15125550199"


@pytest.fixture(autouse=True)
def callers_talk(runtime) -> None:
    """The callers here say what is wrong: their business lets Twilio hear them."""
    heard_by_twilio(runtime)


@pytest.fixture
def carrier() -> Iterator[Carrier]:
    """A carrier whose unanswered phones ring for a while, so a hangup lands mid-ring."""
    sim = Carrier(ACCOUNT_SID, AUTH_TOKEN, no_answer_s=8.0).start()
    yield sim
    sim.stop()


def escalate(carrier):
    call = carrier.phone(CALLER).call(HVAC)
    call.wait_for_gather()
    call.say("I smell gas and the furnace is out")
    return call


def test_caller_hanging_up_while_the_agent_rings_cancels_the_ringing_leg(live_app, carrier,
                                                                          runtime):
    call = escalate(carrier)  # nobody seated at Alex's number: it just rings
    alex = carrier.phone(ALEX)
    leg = alex.wait_for_call()
    carrier.wait_for(lambda: leg.status == "ringing" or None, 20, "Alex's phone ringing")
    call.hangup()
    leg.wait_until("canceled", 5)
    record = carrier.wait_for(lambda: (lambda r: r if r["outcome"] == "abandoned" else None)(
        runtime.store.conversations(phone=CALLER)[-1]), 20, "abandoned outcome")
    assert record["transfer"]["accepted"] is False
    assert not carrier.phone(JO).calls  # the hunt stopped: nobody else was rung


def test_caller_hanging_up_while_the_agent_hears_the_summary_ends_the_agent_leg(
        live_app, carrier, runtime):
    alex = carrier.seat(ALEX, "manual")
    call = escalate(carrier)
    leg = alex.wait_for_call()
    leg.wait_for_gather()
    call.hangup()
    leg.wait_until("ended", 5)
    assert not carrier.phone(JO).calls


def _hang_up_while_told_who_is_coming(carrier, call) -> None:
    """Hang up while the caller still hears "Connecting you with …", before the <Dial>
    puts them in the conference: Twilio then sends no conference event for them at all."""
    carrier.wait_for(lambda: call.waiting is not None and call.waiting.kind == "say"
                     and "Connecting you with" in call.waiting.info["text"], 10,
                     "the caller told who is coming")
    call.hangup()


def test_caller_hanging_up_while_the_agent_is_briefed_never_connects_the_agent_to_an_empty_room(
        live_app, carrier, runtime):
    """Only the caller's own status callback says they left: the hunt must end on it, or the
    on-call person presses 1 and waits alone in a conference nobody will join."""
    alex = carrier.seat(ALEX, "manual")
    call = carrier.phone(CALLER).call(HVAC)
    call.wait_for_gather()
    carrier.slow_say("Connecting you with", 12)
    call.say("I smell gas and the furnace is out", settle=False)
    leg = alex.wait_for_call()
    leg.wait_for_gather(15)
    _hang_up_while_told_who_is_coming(carrier, call)
    assert not any(p.call is call for room in carrier.conferences for p in room.participants)
    heard = leg.press("1") if not leg.ended else leg.heard
    assert any("no longer on the line" in h for h in heard + leg.heard)
    leg.wait_until("ended", 10)
    assert not any(p.call is leg for room in carrier.conferences for p in room.participants)
    record = carrier.wait_for(lambda: (lambda r: r if r["outcome"] == "abandoned" else None)(
        runtime.store.conversations(phone=CALLER)[-1]), 10, "abandoned outcome")
    assert record["transfer"]["accepted"] is False
    assert not carrier.phone(JO).calls


def test_caller_hanging_up_before_joining_stops_the_ringing_agent_phone(live_app, carrier,
                                                                        runtime):
    """A caller gone before the conference stops the hunt: the phone that rings for them is
    cancelled and nobody after is rung."""
    call = carrier.phone(CALLER).call(HVAC)
    call.wait_for_gather()
    carrier.slow_say("Connecting you with", 12)
    call.say("I smell gas and the furnace is out", settle=False)
    leg = carrier.phone(ALEX).wait_for_call()  # nobody seated: it just rings
    _hang_up_while_told_who_is_coming(carrier, call)
    leg.wait_until("canceled", 10)
    carrier.wait_for(lambda: runtime.store.conversations(phone=CALLER)[-1]["outcome"]
                     == "abandoned" or None, 10, "abandoned outcome")
    assert not carrier.phone(JO).calls


def test_caller_leaving_between_the_agents_keypress_and_join_tells_the_agent_they_are_gone(
        live_app, carrier, runtime):
    """The caller's endConferenceOnExit closes the room; an agent still on their way in would
    open a new, empty one under the same name. They hear the caller has gone instead."""
    alex = carrier.seat(ALEX, "manual")
    call = escalate(carrier)
    leg = alex.wait_for_call()
    leg.wait_for_gather(15)
    carrier.wait_for(lambda: any(p.call is call for r in carrier.conferences
                                 for p in r.current()), 10, "the caller on hold")
    carrier.slow_say("Connecting you now", 10)
    leg.press("1", settle=False)
    carrier.wait_for(lambda: leg.waiting is not None and leg.waiting.kind == "say"
                     and "Connecting you now" in leg.waiting.info["text"], 10,
                     "the agent on the way in")
    call.hangup()
    carrier.wait_for(lambda: any("no longer on the line" in h for h in leg.heard), 15,
                     "the agent told the caller has gone")
    leg.wait_until("ended", 10)
    assert not any(r.has(leg) for r in carrier.conferences)
    record = carrier.wait_for(lambda: (lambda r: r if r["outcome"] == "abandoned" else None)(
        runtime.store.conversations(phone=CALLER)[-1]), 10, "abandoned outcome")
    assert record["transfer"]["time_to_human_s"] is None
