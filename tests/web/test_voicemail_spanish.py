"""A Spanish caller nobody could take hears the voicemail offer, the callback time and the
thanks in Spanish, with the Spanish voice (issue 25): they were said in English, with the
business's English voice, though the text that follows was already Spanish.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from signing import signed_post

from ivr.flow.actions import Transfer
from ivr.handoff.transfer import caller_verbs, new_hunt, voicemail_twiml
from ivr.store.hunts import Hunts
from ivr.twilio.twiml import document

HVAC = "polar-bear-hvac"  # declares `languages: [en, es]`, speaks with an English voice
SID = "CA" + "7" * 32
SPANISH_VOICE = {"voice": "Polly.Lupe", "language": "es-US"}


def hunt_for(runtime, language: str):
    """The hunt the transfer starts for a caller whose conversation is in `language`."""
    record = {"id": f"r-{language}", "caller": "+15125550199", "language": language,
              "channel": "voice", "slots": {}}
    hunt = new_hunt(runtime, runtime.directory.by_key(HVAC), record,
                    Transfer(skill="", reasons=("asked_for_human",), summary="AC out"),
                    hunt_id=f"conf-{SID}", channel="voice", caller_sid=SID)
    Hunts(runtime.store).create(hunt)
    return hunt


def said(twiml: str | bytes) -> list[tuple[str, dict[str, str]]]:
    return [(el.text or "", {k: el.attrib.get(k, "") for k in SPANISH_VOICE})
            for el in ET.fromstring(twiml).iter("Say")]


@pytest.fixture
def after_hours(clock):
    clock.set(datetime(2026, 11, 24, 23, 30, tzinfo=UTC))  # Tuesday 17:30 Chicago: just closed


def test_a_spanish_caller_nobody_took_is_offered_voicemail_in_spanish_with_the_callback_time(
        runtime, after_hours):
    hunt = hunt_for(runtime, "es")
    words = said(voicemail_twiml(runtime, runtime.directory.by_key(HVAC), hunt))
    offer = words[0][0]
    assert "deje un mensaje después del tono" in offer
    assert "le llamaremos mañana después de las 8:30 de la mañana" in offer
    assert "call you back" not in " ".join(text for text, _ in words)
    assert all(voice == SPANISH_VOICE for _, voice in words)


def test_after_the_message_a_spanish_caller_is_thanked_in_spanish(client, runtime, after_hours):
    hunt = hunt_for(runtime, "es")
    response = signed_post(client, f"/transfer/recorded?b={HVAC}&h={hunt.id}",
                           {"CallSid": SID, "RecordingSid": "RE" + "2" * 32})
    assert response.status_code == 200
    [(thanks, voice)] = said(response.data)
    assert thanks == "Gracias, ya tenemos su mensaje. Le llamaremos mañana después de las " \
                     "8:30 de la mañana. Adiós."
    assert voice == SPANISH_VOICE


def test_a_spanish_caller_being_connected_hears_who_in_spanish(runtime):
    hunt = hunt_for(runtime, "es")
    hunt.candidates, hunt.index = [{"name": "Alex Kim", "phone": "+15125550121"}], 0
    verbs = caller_verbs(runtime.directory.by_key(HVAC), hunt, "https://ivr.test",
                         runtime.clock())
    [(words, voice)] = said(document(verbs))
    assert words == "Le comunico con Alex, que ya tiene sus datos."
    assert voice == SPANISH_VOICE


def test_an_english_caller_still_hears_the_offer_in_english(runtime, after_hours):
    hunt = hunt_for(runtime, "en")
    offer = said(voicemail_twiml(runtime, runtime.directory.by_key(HVAC), hunt))[0][0]
    assert "we'll call you back tomorrow after 8:30 AM" in offer
