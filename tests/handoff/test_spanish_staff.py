"""Staff are told a customer speaks Spanish, and a Spanish conversation rings a Spanish speaker
first (issue 25, Deliver 5).

The summary stays in the business's language (English) so every staff member can read it; the
customer's own words are quoted exactly as they wrote or said them, accents included.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from ivr.config.business import load_business
from ivr.config.directory import Directory
from ivr.config.oncall import on_call
from ivr.flow.actions import Transfer
from ivr.handoff.notify import staff_text
from ivr.handoff.summary import whisper_for
from ivr.handoff.transfer import new_hunt
from ivr.store.records import add_turn, new_conversation

HVAC = "polar-bear-hvac"
ALEX, JO = "+15125550211", "+15125550212"
GAS = "huele como a huevo podrido cerca del calentador"
SUMMARY = f'Urgent. Call for Polar Bear HVAC from +15125550199. They said: "{GAS}".'


@pytest.fixture
def hvac(runtime):
    """Polar Bear HVAC with Jo Park (second in the roster, no emergency skill) speaking Spanish."""
    business = runtime.directory.by_key(HVAC)
    staff = tuple(replace(s, languages=("es",)) if s.phone == JO else s for s in business.staff)
    business = replace(business, staff=staff, languages=("en", "es"))
    runtime.directory = Directory([business if b.key == HVAC else b for b in runtime.directory])
    return business


def conversation(runtime, business, language: str) -> dict:
    record = new_conversation(business=business.name, business_key=business.key,
                              channel="voice", caller="+15125550199", flow="hvac",
                              now=runtime.clock())
    record["language"] = language
    add_turn(record, "caller", GAS, runtime.clock())
    return record


def hunt_order(runtime, business, language: str) -> list[str]:
    record = conversation(runtime, business, language)
    hunt = new_hunt(runtime, business, record, Transfer("emergency", ("gas_smell",), SUMMARY,
                                                        urgent=True),
                    hunt_id=f"conf-{language}", channel="voice")
    return [person["phone"] for person in hunt.candidates]


def test_a_spanish_conversation_rings_the_spanish_speaker_first(runtime, hvac):
    assert hunt_order(runtime, hvac, "es") == [JO, ALEX]


def test_an_english_conversation_still_rings_the_roster_in_skill_order(runtime, hvac):
    assert hunt_order(runtime, hvac, "en") == [ALEX, JO]


def test_when_nobody_speaks_spanish_everyone_on_call_is_still_rung(runtime):
    business = runtime.directory.by_key(HVAC)
    assert [p.staff.phone for p in on_call(business, runtime.clock(), "emergency", "es")] == [
        ALEX, JO]


def test_the_agent_is_told_the_caller_speaks_spanish(runtime, hvac):
    record = conversation(runtime, hvac, "es")

    whisper = whisper_for(record, SUMMARY, business=hvac.name, urgent=True)

    assert whisper.startswith("Urgent. Speaks Spanish. Call for Polar Bear HVAC")
    assert f'"{GAS}"' in whisper  # their words, as they said them


def test_the_agent_hears_it_even_when_the_flow_gave_no_summary(runtime, hvac):
    whisper = whisper_for(conversation(runtime, hvac, "es"), "", business=hvac.name)

    assert "Speaks Spanish." in whisper and GAS in whisper


def test_the_staff_text_says_the_customer_speaks_spanish_and_quotes_them_as_written(runtime,
                                                                                    hvac):
    record = conversation(runtime, hvac, "es")
    said = "mi mamá de 80 años no tiene calefacción"

    text = staff_text(hvac, record, f'Call from +15125550199. They said: "{said}".')

    assert "Speaks Spanish." in text
    assert f'"{said}"' in text


def test_an_english_customer_is_not_labelled(runtime, hvac):
    record = conversation(runtime, hvac, "en")

    assert "Speaks" not in whisper_for(record, SUMMARY, business=hvac.name)
    assert "Speaks" not in staff_text(hvac, record, SUMMARY)


def test_staff_may_list_the_languages_they_speak(tmp_path):
    source = tmp_path / "shop.yaml"
    source.write_text(
        "name: Tienda\nnumbers: ['+15125550300']\ntimezone: America/Chicago\n"
        "hours: {mon-fri: '08:00-17:00'}\nflow: flows/hvac.yaml\nlanguages: [en, es]\n"
        "staff:\n  - {name: Ana Ruiz, phone: '+15125550311', languages: [es]}\n"
        "on_call:\n  - {staff: Ana Ruiz}\n", encoding="utf-8")

    business = load_business(source)

    assert business.languages == ("en", "es")
    assert business.staff[0].languages == ("es",)
    assert business.staff[0].speaks("es")


