"""Polar Bear HVAC: every one of the 11 buckets from natural phrasings, and what each tier does."""

from __future__ import annotations

import pytest
from flowchat import FRIDAY_NIGHT

from ivr.flow.actions import Ask, QueueFollowUp, Say, Transfer

PHRASINGS = {
    "hours": ["What are your hours?", "are you open on saturday", "what time do you close today"],
    "service_area": ["Do you service Round Rock?", "which towns do you cover",
                     "do you come out to Pflugerville"],
    "maintenance_scheduling": ["I'd like to schedule a tune-up", "can I book annual maintenance",
                               "time for my furnace check up"],
    "payment": ["How can I pay my invoice?", "do you take credit cards",
                "do you offer financing"],
    "quote": ["Can I get a quote?", "how much would it cost to fix ductwork",
              "I need an estimate for my AC"],
    "warranty": ["Is my furnace still under warranty?", "what does your warranty cover",
                 "is the repair guaranteed"],
    "service_plan": ["Tell me about your service plan", "do you have a maintenance plan",
                     "how much is the membership"],
    "installation": ["I want a new AC installed", "we need to replace our furnace",
                     "thinking about a new heat pump system"],
    "emergency_repair": ["my furnace is out", "The AC stopped working and it's 95 inside",
                         "my heater is making a weird noise and not heating"],
    "complaint": ["I want to make a complaint", "your technician was rude",
                  "I'm not happy with the repair you did"],
    "insurance_claim": ["I need help with an insurance claim", "the adjuster asked for a report",
                        "we had hail damage to the condenser"],
}
ROUTES = {"hours": "bot_only", "service_area": "bot_only", "maintenance_scheduling": "bot_only",
          "payment": "bot_only", "quote": "bot_first", "warranty": "bot_first",
          "service_plan": "bot_first", "installation": "bot_first",
          "emergency_repair": "human", "complaint": "human", "insurance_claim": "human"}


@pytest.mark.parametrize(("bucket", "text"), [(b, t) for b, ts in PHRASINGS.items() for t in ts])
def test_every_bucket_is_recognised_from_natural_phrasing(hvac, bucket, text):
    chat = hvac()
    chat.send(text)
    assert chat.state.bucket == bucket
    assert chat.state.route == ROUTES[bucket]


def test_all_eleven_buckets_are_shipped_in_three_tiers(hvac):
    flow = hvac().flow
    assert {name: b.route for name, b in flow.buckets.items()} == ROUTES


@pytest.mark.parametrize("text", ["What are your hours?", "Do you service Round Rock?",
                                  "how do I pay my bill", "can I book a tune-up"])
def test_bot_only_questions_are_answered_and_closed_by_text(hvac, text):
    chat = hvac()
    chat.send(text)
    assert chat.outcome == "resolved"
    assert chat.transfer is None and chat.queued is None


def test_hours_answer_comes_from_the_business_params(hvac):
    chat = hvac()
    chat.send("when are you open?")
    assert "Saturday 9 AM to noon" in chat.said


def test_service_area_lists_the_business_towns(hvac):
    chat = hvac()
    chat.send("do you service my area?")
    assert "Austin, Round Rock, Pflugerville, Cedar Park and Georgetown" in chat.said


def test_a_caller_gets_asked_if_there_is_anything_else_then_goodbye(hvac):
    chat = hvac(channel="voice")
    chat.call()
    chat.send("what are your hours")
    assert chat.ask.slot == "anything_else"
    chat.send("no thanks")
    assert chat.outcome == "resolved"
    assert "Goodbye" in chat.said


def test_anything_else_can_lead_straight_into_a_new_question(hvac):
    chat = hvac(channel="voice")
    chat.call()
    chat.send("what are your hours")
    chat.send("do you service Georgetown")
    assert chat.state.bucket == "service_area"
    assert "Georgetown" in chat.said


def test_quote_collects_the_system_then_offers_a_person(hvac):
    chat = hvac()
    chat.send("Can I get a quote?")
    assert chat.ask.slot == "system"
    chat.send("it's a heat pump")
    assert chat.state.slots["system"] == "heat_pump"
    assert "free" in chat.said  # the business's quote_text
    assert chat.ask.slot == "offer"
    chat.send("call me back")
    follow_up = chat.queued
    assert follow_up is not None and "heat pump" in follow_up.summary
    assert chat.outcome == "qualified"


def test_bot_first_caller_can_take_a_person_now(hvac):
    chat = hvac(channel="voice")
    chat.call()
    chat.send("is my furnace still under warranty")
    chat.send("talk to someone now")
    assert chat.transfer is not None
    assert chat.transfer.skill == "service"
    assert "warranty" in chat.transfer.summary


def test_installation_in_one_message_asks_nothing_more(hvac):
    chat = hvac()
    chat.send("We need to replace our furnace sometime next month")
    assert chat.state.slots == {"system": "furnace", "timeline": "next month"}
    assert chat.ask.slot == "offer"


def test_emergency_repair_goes_to_dispatch_urgently(hvac):
    chat = hvac()
    chat.send("my furnace is out")
    assert isinstance(chat.transfer, Transfer)
    assert chat.transfer.urgent
    assert chat.transfer.skill == "dispatch"
    assert "furnace" in chat.transfer.summary


def test_complaint_goes_to_a_person_but_is_not_urgent(hvac):
    chat = hvac()
    chat.send("I want to make a complaint about my last visit")
    assert chat.transfer is not None and not chat.transfer.urgent
    assert chat.state.reasons == ["complaint"]
    assert chat.outcome == "transferred"


def test_gas_smell_after_hours_still_reaches_on_call(hvac):
    chat = hvac(at=FRIDAY_NIGHT)
    chat.send("I smell gas in the basement")
    assert chat.transfer is not None and chat.transfer.urgent
    assert chat.transfer.skill == "emergency"
    assert chat.state.reasons == ["emergency"]
    assert "911" in " ".join(say.text for say in chat.of(Say))


@pytest.mark.parametrize("text", ["our carbon monoxide alarm keeps going off",
                                  "no heat and we have a newborn baby",
                                  "there are sparks coming from the unit"])
def test_life_safety_emergencies_ring_on_call(hvac, text):
    chat = hvac(at=FRIDAY_NIGHT)
    chat.send(text)
    assert chat.state.bucket == "emergency_repair"
    assert chat.transfer is not None and chat.transfer.urgent


def test_after_hours_quote_is_captured_for_the_morning(hvac):
    chat = hvac(at=FRIDAY_NIGHT)
    chat.send("I'd like an estimate for a new air conditioner, no rush")
    assert isinstance(chat.queued, QueueFollowUp)
    assert "tomorrow after 9:00 AM" in chat.queued.confirmation
    assert chat.queued.confirmation in chat.said
    assert chat.outcome == "after_hours_queued"
    assert chat.transfer is None


def test_after_hours_complaint_is_queued_not_rung(hvac):
    chat = hvac(at=FRIDAY_NIGHT)
    chat.send("I want to file a complaint")
    assert chat.transfer is None
    assert chat.outcome == "after_hours_queued"


def test_after_hours_greeting_says_emergencies_still_get_through(hvac):
    chat = hvac(channel="voice", at=FRIDAY_NIGHT)
    chat.call()
    assert "closed right now" in chat.said
    assert "emergencies still reach" in chat.said


def test_the_opening_keypad_menu_picks_a_bucket(hvac):
    chat = hvac(channel="voice")
    first = chat.call()[-1]
    assert isinstance(first, Ask) and [c.value for c in first.choices][:2] == [
        "emergency_repair", "quote"]
    chat.send("6", kind="digits")
    assert chat.state.bucket == "hours"


def test_a_new_question_at_the_offer_is_answered(hvac):
    chat = hvac(channel="voice")
    chat.call()
    chat.send("tell me about your service plan")
    assert chat.ask.slot == "offer"
    chat.send("actually, what are your hours")
    assert chat.state.bucket == "hours"
    assert "Saturday" in chat.said


def test_an_unclear_reply_to_the_offer_asks_again(hvac):
    chat = hvac(channel="voice")
    chat.call()
    chat.send("tell me about your service plan")
    chat.send("hmm")
    assert chat.ask.slot == "offer"
    assert chat.state.attempts == 1


def _asked_the_system(hvac):
    chat = hvac()
    chat.send("Can I get a quote?")
    assert chat.ask.slot == "system"
    return chat


@pytest.mark.parametrize(("answer", "system"), [
    ("the outside unit", "air_conditioner"),
    ("the house won't cool", "air_conditioner"),
    ("a window unit", "air_conditioner"),
    ("aux heat is on all the time", "heat_pump"),
    ("the emergency heat light", "heat_pump"),
    ("a 40 gallon Rheem", "water_heater"),
    ("the registers in the kids' rooms", "ductwork"),
])
def test_equipment_named_the_way_homeowners_name_it_is_that_system(hvac, answer, system):
    chat = _asked_the_system(hvac)
    chat.send(answer)
    assert chat.state.slots["system"] == system


def test_two_systems_named_at_once_are_checked_not_guessed(hvac):
    chat = _asked_the_system(hvac)
    chat.send("the AC and the heat both")
    assert "system" not in chat.state.slots
    assert chat.ask.slot == "system" and "Just to check" in chat.ask.prompt
    chat.send("no")
    assert chat.ask.slot == "system" and "system" not in chat.state.slots
