"""A caller who hangs up while we look for a person: no agent phone keeps ringing for nobody."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sim_fixtures import ACCOUNT_SID, AUTH_TOKEN

from ivr.sim import Carrier

HVAC, ALEX, JO = "+15125550200", "+15125550211", "+15125550212"
CALLER = "+15125550199"


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
