"""Fernhill Goods understands shoppers' own words, and never mistakes a colour or a candle's burn
time for an injury, nor an injury for a return."""

from __future__ import annotations

import pytest
from flowchat import cases

INTENTS = {
    "order_status": ["where is my order", "my package still hasn't come", "hasnt arrived yet",
                     "is there tracking for my order", "my order never arrived",
                     "when will my stuff show up", "I've been waiting on my delivery for a week",
                     "wheres my pakage",
                     "yeah i ordered some candles like two weeks ago and they still havent "
                     "showed up"],
    "returns": ["I got the wrong size", "can I exchange the lotion for a different scent",
                "I want a refund", "the jar arrived cracked", "the box came damaged",
                "I'd like to send it back", "you sent me the wrong item"],
    "product_question": ["is the lavender soap vegan?", "what is the face oil made with",
                         "are your candles soy wax", "is the body butter cruelty free",
                         "do you ship to canada"],
    "recommendation": ["can you recommend a gift for my mom", "what's your best seller",
                       "any suggestions for dry skin", "I need a birthday present idea",
                       "what would you recomend for sensitive skin"],
}
SAFETY = ["my son had an allergic reaction to the body butter", "I broke out in hives",
          "the soap gave me a rash", "I burned my hand on the candle jar",
          "the candle caught fire", "my toddler swallowed some bath salts",
          "my eyes are stinging after using the face oil", "I'm having trouble breathing",
          "the lotion made my skin burn", "my daughter got sick after eating a bath bomb",
          "I cut my finger on the broken jar", "im alergic to something in the lotion",
          "my dog ate a soap bar"]
NOT_SAFETY = ["my order arrived fine, thanks", "how long does the candle burn",
              "do you have the burnt orange candle in stock", "I'm sick of waiting for my package",
              "is the face oil allergen free", "it arrived, no rash or anything, I just don't "
              "like the scent", "how long can I burn a candle", "can you cut me a deal on the "
              "gift box", "Ill call back later about my order"]


@pytest.mark.parametrize(("intent", "text"),
                         cases(INTENTS))
def test_shopper_intents_from_natural_phrasing(shop, intent, text):
    chat = shop()
    chat.send(text)
    assert chat.state.bucket == intent
    assert chat.transfer is None
    assert "didn't catch" not in chat.said


@pytest.mark.parametrize("text", SAFETY)
def test_any_health_or_safety_mention_goes_to_a_person_urgently(shop, text):
    chat = shop()
    chat.send(text)
    assert chat.state.reasons == ["health_safety"]
    assert chat.transfer is not None and chat.transfer.urgent
    assert chat.transfer.skill == "safety"


@pytest.mark.parametrize("text", NOT_SAFETY)
def test_everyday_words_are_not_a_safety_escalation(shop, text):
    chat = shop()
    chat.send(text)
    assert "health_safety" not in chat.state.reasons
    assert chat.transfer is None


def test_a_safety_mention_inside_a_return_still_reaches_a_person(shop):
    chat = shop()
    chat.send("I want to return the wrong size lotion, also it gave me itchy red bumps")
    assert chat.state.reasons == ["health_safety"]
    assert chat.transfer is not None


def test_a_double_charge_goes_to_a_person_without_alarm(shop):
    chat = shop()
    chat.send("you charged me twice for the same order")
    assert chat.state.reasons == ["billing_problem"]
    assert chat.transfer is not None and not chat.transfer.urgent
    assert chat.transfer.skill == "support"
