"""Polar Bear HVAC understands how real customers put things: typos, run-on sentences, equipment
words with symptoms, and small talk. Each bucket has a table of natural phrasings."""

from __future__ import annotations

from dataclasses import replace

import pytest
from flowchat import FRIDAY_NIGHT, cases

PHRASINGS = {
    "emergency_repair": [
        "my furnace is making a loud noise",
        "my thermostat is blank",
        "can someone come look at my heat pump",
        "water leaking from the AC unit",
        "the outside unit is making a grinding sound and the fan wont spin",
        "my furnase is makin a weird noize",
        "ac blowing warm air since yesterday",
        "hi there so my heat pump is iced up again and it keeps running nonstop any chance someone "
        "can come out today",
        "the thermostat screen is blank and the breaker keeps tripping",
        "water heater is leaking in the garage",
        "my ac keeps short cycling",
        "there's a musty smell coming from the vents",
        "the condenser fan is not spinning",
        "can you send a technician to check my boiler",
        "can someone service my furnace, it's making noise",
        "my upstairs is hot and downstairs is cold",
        "the pilot light keeps going out",
        "the thing on the wall, the thermostat, it just says low battery",
        "um yeah so my uh furnace is making like a weird banging noise",
    ],
    "complaint": [
        "your tech damaged my floor",
        "the technician you sent was rude to my wife",
        "your guys left a mess in my attic",
        "you fixed my AC last week and it is still not working",
        "I was overcharged for a simple repair",
        "nobody showed up for my appointment yesterday, total no show",
        "your installer scratched my wall and broke the thermostat",
        "i want my money back, the repair was a terrible job",
    ],
    "service_area": [
        "do you work in Georgetown",
        "do you service Round Rock?",
        "which towns do you cover",
        "do you come out to Pflugerville",
        "are you guys available in Cedar Park",
        "how far out do you go",
        "do you do work in kyle",
    ],
    "quote": [
        "how much to replace a capacitor on my ac",
        "what would it cost to look at my heat pump",
        "can I get a price for new ductwork",
        "I'd like an estimate",
        "ballpark on fixing a furnace blower",
    ],
    "maintenance_scheduling": [
        "how much for a tune up",
        "I'd like to schedule my annual maintenance",
        "can you clean my ducts",
        "time for my furnace check up",
        "book a tuneup for my AC please",
        "my AC needs to be serviced",
        "I need my ducts cleaned",
        "can you check my furnace before winter",
    ],
    "warranty": [
        "is my unit still under warranty",
        "is the compressor covered by the warranty",
        "what does your guarantee cover",
        "my heat pump was installed 3 years ago, is it still covered",
        "is the repair guaranteed",
    ],
    "installation": [
        "we want to put in a new heat pump",
        "thinking about replacing our old furnace",
        "I need a quote to install a mini split in the garage",
        "upgrade my thermostat to a smart one",
        "we need a new AC system for our addition",
    ],
    "insurance_claim": [
        "my insurance company needs an estimate for storm damage",
        "hail damage to the condenser",
        "lightning hit our outdoor unit",
        "a tree fell on the AC unit during the storm",
        "the adjuster wants a report",
    ],
    "hours": [
        "what are your hours",
        "are you open on saturday",
        "what time do you close today",
        "when do yall open tomorrow",
        "are you open right now",
    ],
    "payment": [
        "do you take apple pay",
        "how do I pay my bill",
        "can I pay with a credit card",
        "do you offer financing on new systems",
        "I want to pay my invoice online",
    ],
    "service_plan": [
        "I want to cancel my service plan",
        "tell me about the Polar Plan",
        "do you have a maintenance plan",
        "how much is the membership",
        "what do members get",
    ],
}


@pytest.mark.parametrize(("bucket", "text"),
                         cases(PHRASINGS))
def test_natural_phrasings_reach_the_right_bucket(hvac, bucket, text):
    chat = hvac()
    chat.send(text)
    assert chat.state.bucket == bucket
    assert "didn't catch" not in chat.said


@pytest.mark.parametrize("text", ["my furnace is making a loud noise", "my thermostat is blank",
                                  "water leaking from the AC unit"])
def test_a_routine_repair_is_not_urgent_and_waits_for_the_morning_after_hours(hvac, text):
    chat = hvac(at=FRIDAY_NIGHT)
    chat.send(text)
    assert chat.state.bucket == "emergency_repair"
    assert chat.transfer is None
    assert chat.outcome == "after_hours_queued"
    assert chat.queued is not None and chat.queued.skill == "dispatch"


@pytest.mark.parametrize("text", [
    "I smell gas near the furnace",
    "the carbon monoxide detector keeps going off",
    "there's a burning smell coming from the vents",
    "sparks coming out of the outside unit",
    "water is flooding the basement from the AC",
    "no heat and my grandmother is on oxygen",
    "the heat is out and it's below freezing tonight",
    "my furnace is out",
    "the AC stopped working and it's 95 inside",
])
def test_emergency_signals_still_ring_on_call_at_night(hvac, text):
    chat = hvac(at=FRIDAY_NIGHT)
    chat.send(text)
    assert chat.state.bucket == "emergency_repair"
    assert chat.transfer is not None and chat.transfer.urgent
    assert "emergency" in chat.state.reasons


@pytest.mark.parametrize("text", ["I don't smell gas but the furnace won't fire up",
                                  "my furnace won't fire up"])
def test_a_furnace_that_will_not_fire_up_is_a_repair_not_a_fire(hvac, text):
    chat = hvac()
    chat.send(text)
    assert chat.state.bucket == "emergency_repair"
    assert "911" not in chat.said


def test_a_town_outside_the_service_area_gets_a_polite_no_and_the_list(hvac):
    chat = hvac()
    chat.ctx = replace(chat.ctx, params={**chat.ctx.params,
                                         "service_area": ["Austin", "Round Rock", "Pflugerville"]})
    chat.send("do you work in Georgetown")
    assert "don't serve Georgetown" in chat.said
    assert "Austin, Round Rock and Pflugerville" in chat.said
    assert chat.unanswered == [] and chat.outcome == "resolved"


def test_a_town_in_the_service_area_gets_a_yes(hvac):
    chat = hvac()
    chat.send("do you guys come out to round rock?")
    assert "Yes, we serve Round Rock" in chat.said


def test_an_unknown_town_gets_a_no_rather_than_unanswered(hvac):
    chat = hvac()
    chat.send("do you work in Dripping Springs?")
    assert "don't serve Dripping Springs" in chat.said
    assert chat.unanswered == []
