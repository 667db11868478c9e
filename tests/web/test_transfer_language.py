"""Transfer and voicemail legs speak the business's language, not only its voice.

A business configured with `language: es-MX` had its greeting and questions read as Spanish,
then its hold reassurance, voicemail offer and goodbyes read with en-US rules (`<Say>` without
`language`), because those legs passed only the voice name along.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from signing import signed_post

from ivr.config.directory import Directory
from ivr.handoff import agent_leg
from ivr.handoff.transfer import voicemail_twiml
from ivr.store.hunts import Hunt, Hunts

HVAC = "polar-bear-hvac"
SPANISH = {"voice": "Polly.Mia", "language": "es-MX"}


@pytest.fixture
def spanish(runtime):
    """Polar Bear HVAC speaks Mexican Spanish."""
    runtime.directory = Directory([replace(b, voice="Polly.Mia", language="es-MX")
                                   if b.key == HVAC else b for b in runtime.directory])
    return runtime.directory.by_key(HVAC)


@pytest.fixture
def hunt(runtime, spanish):
    hunt = Hunt(id="conf-CA" + "1" * 32, business=HVAC, record_id="r1", channel="voice",
                customer="+15125550199", decided_at="2026-01-05T10:00:00+00:00",
                caller_sid="CA" + "1" * 32,
                candidates=[{"name": "Alex Kim", "phone": "+15125550121"}])
    Hunts(runtime.store).create(hunt)
    return hunt


def says(twiml: str | bytes) -> list[dict[str, str]]:
    """Every <Say>'s attributes, anywhere in the document."""
    root = ET.fromstring(twiml)
    found = [dict(el.attrib) for el in root.iter("Say")]
    assert found, twiml
    return found


def speaks_spanish(twiml: str | bytes) -> bool:
    return all({k: a.get(k) for k in SPANISH} == SPANISH for a in says(twiml))


def test_the_voicemail_prompt_speaks_the_business_language(runtime, spanish, hunt):
    assert speaks_spanish(voicemail_twiml(runtime, spanish, hunt))


def test_the_caller_on_hold_and_after_a_message_hears_the_business_language(client, hunt):
    query = f"?b={HVAC}&h={hunt.id}"
    for path in ("/transfer/hold", "/transfer/voicemail", "/transfer/recorded"):
        response = signed_post(client, path + query, {"CallSid": hunt.caller_sid,
                                                      "RecordingSid": "RE" + "2" * 32})
        assert response.status_code == 200, path
        assert speaks_spanish(response.data), path


def test_an_agent_who_answers_after_the_caller_left_hears_the_business_language(runtime, hunt):
    twiml = agent_leg.answered(runtime, HVAC, hunt.id, leg="CA" + "9" * 32)
    assert speaks_spanish(twiml)


def test_the_thanks_after_an_agents_feedback_speaks_the_business_language(client, hunt):
    response = signed_post(client, f"/transfer/feedback?b={HVAC}&h={hunt.id}", {"Digits": "1"})
    assert response.status_code == 200
    assert speaks_spanish(response.data)
