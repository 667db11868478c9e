"""A danger or health-and-safety trigger is heard whatever the conversation was doing.

Both layers (the flow's phrases, and the semantic layer's scores for a message no phrase
names) are checked on every turn: at the first message, while a slot is being asked,
mid-qualification, at the "talk to someone now?" offer, after hours and on a call.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from flowchat import FRIDAY_NIGHT, TUESDAY_MORNING, Chat

#: Per flow: the trigger, a message its phrases catch, a message only the examples could
#: place, and the openings that put the conversation in each state (the last message of each
#: leaves a question open).
FLOWS = {
    "Hartley Family Law": (
        "emergency", "he threatened me and I'm afraid",
        "he keeps saying one day the boys will be gone for good",
        {"first message": [],
         "asking a slot": ["I need help with a divorce"],
         "mid-qualification": ["I need help with a custody case in Austin Texas",
                               "next month"]}),
    "Polar Bear HVAC": (
        "emergency", "I smell gas in the kitchen",
        "there is an odd rotten egg odour near the heater",
        {"first message": [],
         "asking a slot": ["I'd like a quote"],
         "at the offer": ["I'd like a quote", "furnace"]}),
    "Fernhill Goods": (
        "health_safety", "I had an allergic reaction to the soap",
        "my little one chewed the corner off a bar and is acting strange",
        {"first message": [],
         "asking a slot": ["where is my order"]}),
}

CASES = [pytest.param(name, where, at, channel, id=f"{name}: {where}, {label}")
         for name, (_, _, _, states) in FLOWS.items() for where in states
         for at, channel, label in ((TUESDAY_MORNING, "sms", "open, text"),
                                    (FRIDAY_NIGHT, "sms", "after hours, text"),
                                    (TUESDAY_MORNING, "voice", "open, call"))
         if not (where == "at the offer" and at == FRIDAY_NIGHT)]  # (after hours: queued)


def into(chat: Callable[..., Chat], name: str, where: str, at, channel: str) -> Chat:
    conversation = chat(name, channel=channel, at=at)
    if channel == "voice":
        conversation.call()
    for text in FLOWS[name][3][where]:
        conversation.send(text)
        assert conversation.transfer is None and conversation.state.outcome is None, text
    return conversation


@pytest.mark.parametrize(("name", "where", "at", "channel"), CASES)
def test_a_danger_in_the_flows_words_reaches_a_person_in_every_state(chat, name, where, at,
                                                                    channel):
    trigger, said, _, _ = FLOWS[name]
    conversation = into(chat, name, where, at, channel)
    conversation.send(said)
    assert conversation.transfer is not None and conversation.transfer.urgent
    assert trigger in conversation.state.reasons


@pytest.mark.parametrize(("name", "where", "at", "channel"), CASES)
def test_a_danger_in_new_words_reaches_a_person_in_every_state(chat, name, where, at, channel):
    trigger, _, new_words, _ = FLOWS[name]
    rules_only = into(chat, name, where, at, channel)
    rules_only.send(new_words)
    assert trigger not in rules_only.state.reasons  # the phrases alone do not place it
    conversation = into(chat, name, where, at, channel)
    conversation.ctx = dataclasses.replace(conversation.ctx,
                                           similar=lambda text: {trigger: 0.8})
    conversation.send(new_words)
    assert conversation.transfer is not None and conversation.transfer.urgent
    assert trigger in conversation.state.reasons
