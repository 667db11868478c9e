"""A voice step is rendered from what was settled, touching nothing: the question's number and
a transfer's verbs come in, TwiML comes out (`ivr.conversation.voice.render` takes no runtime)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ivr.conversation.voice import Step, render
from ivr.flow.actions import Ask, Choice
from ivr.twilio.twiml import Voice, dial_verbs

LAW = "+15125550100"
MATTER = Ask(slot="matter_type", prompt="What is your legal matter about?",
             choices=(Choice("1", "divorce", "divorce"), Choice("2", "custody", "custody")))


def verbs(xml: str) -> list[str]:
    return [child.tag for child in ET.fromstring(xml)]


def test_a_question_is_gathered_under_the_number_it_was_given(runtime):
    business = runtime.directory.by_number(LAW)
    xml = render(business, Step(("Hello.",), MATTER, 7), "https://ivr.example.com")
    assert verbs(xml) == ["Gather", "Redirect"]
    gather = ET.fromstring(xml).find("Gather")
    assert gather is not None
    assert gather.get("action") == (f"https://ivr.example.com/voice/gather?business={business.key}"
                                    "&turn=7")
    assert [say.text for say in gather.findall("Say")][0] == "Hello."


def test_a_handover_follows_what_was_said_and_nothing_else_hangs_up(runtime):
    business = runtime.directory.by_number(LAW)
    handover = dial_verbs(Voice(), "+15125550111", "https://x/voice/fallback")
    assert verbs(render(business, Step(("One moment.",), handover=handover), "https://x")) == [
        "Say", "Dial"]
    assert verbs(render(business, Step(("Goodbye.",)), "https://x")) == ["Say", "Hangup"]
