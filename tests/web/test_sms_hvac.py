"""Texting Polar Bear HVAC: every bucket from three natural phrasings reaches the right route.

The flow engine's own tests cover extraction; these check the channel: what the texter reads,
where the conversation is routed and who on staff gets a text.
"""

from __future__ import annotations

import pytest
import texting
from jobs_support import settle

HVAC = "+15125550200"
ALEX, JO = "+15125550211", "+15125550212"  # dispatch/emergency, service
TEXTER = "+15125550199"
QUICK = texting.QUICK

#: bucket, route, three phrasings, words the texter must read back (the business's own answer).
BOT_ONLY = [
    ("hours", ["What are your hours?", "are you open on saturday",
               "what time do you close today"], "Monday to Friday"),
    ("service_area", ["Do you serve Round Rock?", "which towns do you cover",
                      "do you come out to Georgetown"], "Pflugerville"),
    ("maintenance_scheduling", ["I'd like to schedule a tune-up", "time for my annual service",
                                "can I book a maintenance visit"], "$89"),
    ("payment", ["how do I pay my bill", "do you offer financing?",
                 "can I pay with a credit card"], "financing"),
]
BOT_FIRST = [
    ("quote", ["can I get a quote", "I'd like an estimate",
               "what would it cost to look at my heat pump"], "free"),
    ("warranty", ["is my furnace still under warranty", "do you guarantee your work?",
                  "what's covered under your guarantee"], "warranty"),
    ("service_plan", ["tell me about the Polar Plan", "do you have a membership",
                      "what's in the service plan"], "$15 a month"),
    ("installation", ["I need a new AC installed", "thinking about replacing my furnace",
                      "I want to upgrade to a heat pump"], "estimate"),
]
HUMAN = [
    ("emergency_repair", ["my furnace stopped working", "there's no heat in the house",
                          "the AC is blowing warm air"], ALEX),
    ("complaint", ["I want to file a complaint", "your technician was rude",
                   "I was overcharged on my last visit"], JO),
    ("insurance_claim", ["I need help with an insurance claim",
                         "hail damage to my outdoor unit", "storm damage from last night"], JO),
]

#: Answers to the follow-up questions bot_first buckets may ask.
FOLLOW_UPS = {"kind of system": "the furnace", "which equipment": "furnace",
              "when are you hoping": "next month", "roughly when": "next month"}


def cases(table):
    return [pytest.param(bucket, text, expected, id=f"{bucket}: {text}")
            for bucket, texts, expected in table for text in texts]


def latest(runtime):
    [record] = runtime.store.conversations(phone=TEXTER)
    return record


def converse(phone, first: str) -> list[str]:
    return texting.converse(phone, HVAC, first, FOLLOW_UPS)


@pytest.mark.parametrize(("bucket", "text", "expected"), cases(BOT_ONLY))
def test_routine_questions_are_answered_by_the_bot(live_app, carrier, runtime, bucket, text,
                                                   expected):
    received = converse(carrier.phone(TEXTER), text)
    record = latest(runtime)
    assert (record["bucket"], record["route"]) == (bucket, "bot_only")
    assert expected in " ".join(received)
    assert "assistant" in received[0].lower()
    settle(runtime)
    assert carrier.agent(ALEX).texts == [] and carrier.agent(JO).texts == []


@pytest.mark.parametrize(("bucket", "text", "expected"), cases(BOT_FIRST))
def test_bot_first_questions_get_the_answer_without_bothering_staff(live_app, carrier, runtime,
                                                                    bucket, text, expected):
    received = converse(carrier.phone(TEXTER), text)
    record = latest(runtime)
    assert (record["bucket"], record["route"]) == (bucket, "bot_first")
    assert expected in " ".join(received)
    settle(runtime)
    assert carrier.agent(ALEX).texts == [] and carrier.agent(JO).texts == []


@pytest.mark.parametrize(("bucket", "text", "staff"), cases(HUMAN))
def test_urgent_and_sensitive_texts_reach_a_person(live_app, carrier, runtime, bucket, text,
                                                   staff):
    received = converse(carrier.phone(TEXTER), text)
    record = latest(runtime)
    assert (record["bucket"], record["route"]) == (bucket, "human")
    name = "Alex" if staff == ALEX else "Jo"
    assert any(f"passing this to {name}" in r for r in received)
    [staff_text] = texting.handoff_texts(runtime, carrier, staff, record)
    assert TEXTER in staff_text
    assert latest(runtime)["notified"][0]["phone"] == staff


def test_a_gas_smell_goes_to_the_emergency_tech_with_safety_advice(live_app, carrier, runtime):
    received = carrier.phone(TEXTER).text(HVAC, "I smell gas near the furnace", settle_s=QUICK)
    assert "911" in " ".join(received)
    assert any("passing this to Alex" in r for r in received)
    assert len(texting.handoff_texts(runtime, carrier, ALEX, latest(runtime))) == 1


def test_a_gas_smell_after_hours_still_reaches_on_call(live_app, carrier, runtime, clock):
    from datetime import UTC, datetime

    clock.set(datetime(2026, 11, 29, 8, 0, tzinfo=UTC))  # Sunday 02:00 in Austin
    received = carrier.phone(TEXTER).text(HVAC, "smells like gas in the basement",
                                          settle_s=QUICK)
    assert any("passing this to Alex" in r for r in received)
    assert len(texting.handoff_texts(runtime, carrier, ALEX, latest(runtime))) == 1


def test_a_numbered_option_can_be_answered_with_its_number(live_app, carrier, runtime):
    phone = carrier.phone(TEXTER)
    [question] = phone.text(HVAC, "can I get a quote", settle_s=QUICK)
    assert "Reply 1 for furnace, 2 for air conditioner" in question
    received = phone.text(HVAC, "2", settle_s=QUICK)
    assert latest(runtime)["slots"]["system"] == "air_conditioner"
    assert "Estimates" in " ".join(received)
