"""`effects_act` says whether any default effect acts on a turn's actions: a turn it calls idle
saves its record with the request's closing writes and runs no effect, so the two must agree.
Each default effect is run on idle turns against the real store and must do nothing: no
outcome, not one Redis command."""

from __future__ import annotations

import pytest

from ivr.app.effects import default_effects, effects_act
from ivr.flow.actions import Ask, Choice, End, NotifyStaff, QueueFollowUp, Say, Transfer, Unanswered
from ivr.store.records import new_conversation

HVAC = "+15125550200"

IDLE = [
    [Say("We're open Monday to Friday.")],
    [Ask("intent", "How can I help?", choices=(Choice("1", "Repairs", "repair"),))],
    [Say("Sorry, I can't answer that."), Unanswered("do you sell pizza"), End("resolved")],
]
ACTING = [
    [Transfer("emergency", ("urgent",), "No heat.")],
    [NotifyStaff("A lead.")],
    [QueueFollowUp("Call back about a quote.")],
]


def calls(conn) -> int:
    return sum(stat["calls"] for name, stat in conn.info("commandstats").items()
               if not name.endswith(("info", "config")))


@pytest.mark.parametrize("channel", ["sms", "voice"])
@pytest.mark.parametrize("actions", IDLE)
def test_no_effect_acts_on_an_idle_turn(runtime, redis_conn, channel, actions):
    business = runtime.directory.by_number(HVAC)
    assert not business.export  # an End exports nowhere here
    record = new_conversation(business=business.name, business_key=business.key,
                              channel=channel, caller="+15125550199", flow="hvac",
                              now=runtime.clock())
    assert not effects_act(business, actions)
    before = calls(redis_conn)
    assert [effect(runtime, business, record, actions) for effect in default_effects()] \
        == [None] * len(default_effects())
    assert calls(redis_conn) == before


@pytest.mark.parametrize("actions", ACTING)
def test_a_handoff_a_follow_up_or_a_staff_text_acts(runtime, actions):
    assert effects_act(runtime.directory.by_number(HVAC), actions)
