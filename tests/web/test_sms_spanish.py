"""A Spanish texter is answered in Spanish all the way: not only the flow's words, ours too.

The flows speak Spanish (issue 25, Deliver 2), but the lines the product words itself — the
disclosure, the numbered options, "I'm passing this to Alex", the callback time when nobody
could take it, HELP and START, the notice about a picture — came in English, so a Spanish
conversation switched language exactly where it mattered most: at the handoff. These tests
text the bilingual example business (`examples/polar_bear_hvac.yaml`, `languages: [en, es]`)
through the carrier simulator, as a customer would.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
import texting
from latest_record import latest, wait_for_latest

from ivr.config.business import SmsKeywords
from ivr.config.directory import Directory

HVAC, ALEX, JO = "+15125550200", "+15125550211", "+15125550212"
TEXTER = "+15125550199"
QUICK = texting.QUICK
BROKEN_AC = "hola, el aire acondicionado dejó de funcionar y la casa está muy caliente"
GAS = "huele a gas cerca del calentador, ¿qué hago?"

#: Words only our English wording uses: none may reach a Spanish texter.
ENGLISH = re.compile(r"\b(Thanks|passing this|Reply \d|Hi, this is|I can only|Sorry|"
                     r"call you back|we couldn't|within the hour|subscribed)\b")


def english_in(texts: list[str]) -> list[str]:
    """The texts (a line each) that carry any of our English wording."""
    return [line for line in texting.as_lines(texts) if ENGLISH.search(line)]


def answering_keywords(runtime, carrier, **wording) -> None:
    """Polar Bear HVAC answers HELP and START itself (its carrier's keyword replies are off),
    in its own `wording` if given."""
    carrier.opt_out_management(False)
    runtime.directory = Directory([
        replace(b, sms=SmsKeywords(carrier_handles_keywords=False, **wording))
        if b.key == "polar-bear-hvac" else b for b in runtime.directory])


def test_a_spanish_texter_is_answered_in_spanish_from_greeting_to_handoff(live_app, carrier,
                                                                         runtime):
    received = carrier.phone(TEXTER).text(HVAC, BROKEN_AC, settle_s=QUICK)
    record = latest(runtime, TEXTER)
    assert record["language"] == "es" and record["route"] == "human"
    said = " ".join(received)
    assert "asistente" in said  # told it is an assistant, in Spanish
    assert "Le paso su mensaje a Alex, quien le llamará en un momento." in said
    assert english_in(received) == []
    [staff_text] = texting.handoff_texts(runtime, carrier, ALEX, record)
    assert "Speaks Spanish." in staff_text  # staff read English, and know to answer in Spanish


def test_a_gas_smell_in_spanish_reaches_on_call_with_the_safety_advice_in_spanish(
        live_app, carrier, runtime):
    received = carrier.phone(TEXTER).text(HVAC, GAS, settle_s=QUICK)
    said = " ".join(received)
    assert "911" in said and "salga" in said.lower()
    assert "Le paso su mensaje a Alex" in said
    assert english_in(received) == []
    record = latest(runtime, TEXTER)
    [staff_text] = texting.handoff_texts(runtime, carrier, ALEX, record)
    assert "Speaks Spanish." in staff_text


def test_a_spanish_texter_nobody_could_take_is_told_in_spanish_when_we_will_call(
        live_app, carrier, runtime):
    carrier.seat(ALEX, "no_answer")
    carrier.seat(JO, "pass")
    texter = carrier.phone(TEXTER)
    texter.text(HVAC, GAS)
    text = texter.wait_for_text("le llamaremos", timeout=10)
    assert "no pudimos comunicarle con Polar Bear HVAC" in text.body
    assert "en menos de una hora" in text.body
    record = wait_for_latest(carrier, runtime, TEXTER, lambda r: r["transcript"][-1]["text"]
                             == text.body, "the Spanish callback text recorded as sent")
    assert record["outcome"] == "escalated"


def test_a_spanish_texter_gets_the_numbered_options_in_spanish(live_app, carrier, runtime):
    phone = carrier.phone(TEXTER)
    [question] = phone.text(HVAC, "quisiera una cotización para cambiar mi equipo",
                            settle_s=QUICK)
    assert "Responda 1 para calefacción, 2 para aire acondicionado" in question
    assert english_in([question]) == []
    phone.text(HVAC, "2", settle_s=QUICK)
    assert latest(runtime, TEXTER)["slots"]["system"] == "air_conditioner"


def test_help_in_a_spanish_conversation_is_answered_in_spanish(live_app, carrier, runtime):
    answering_keywords(runtime, carrier)
    phone = carrier.phone(TEXTER)
    phone.text(HVAC, "quisiera una cotización para cambiar mi equipo", settle_s=QUICK)
    [reply] = phone.text(HVAC, "HELP", settle_s=QUICK)
    assert "asistente automático" in reply and "llame al" in reply
    assert "STOP" in reply  # the keyword the carrier reads stays as it reads it
    assert english_in([reply]) == []


def test_start_after_stop_is_answered_in_the_texters_spanish(live_app, carrier, runtime):
    answering_keywords(runtime, carrier)
    phone = carrier.phone(TEXTER)
    phone.text(HVAC, "quisiera una cotización para cambiar mi equipo", settle_s=QUICK)
    phone.text(HVAC, "STOP", settle_s=QUICK)
    [reply] = phone.text(HVAC, "START", settle_s=QUICK)
    assert "Volvió a suscribirse a los mensajes de Polar Bear HVAC" in reply
    assert english_in([reply]) == []


def test_the_owners_own_help_and_start_wording_reaches_a_spanish_texter_in_spanish(
        live_app, carrier, runtime):
    answering_keywords(
        runtime, carrier,
        help_reply={"en": "{name}: call {contact}. STOP to stop.",
                    "es": "{name}: para hablar con alguien llame al {contact}. STOP para salir."},
        start_reply={"en": "Welcome back to {name}!", "es": "¡Qué gusto, {name} otra vez!"})
    phone = carrier.phone(TEXTER)
    phone.text(HVAC, "quisiera una cotización para cambiar mi equipo", settle_s=QUICK)
    [reply] = phone.text(HVAC, "HELP", settle_s=QUICK)
    assert reply.startswith("Polar Bear HVAC: para hablar con alguien llame al +1")
    phone.text(HVAC, "STOP", settle_s=QUICK)
    [reply] = phone.text(HVAC, "START", settle_s=QUICK)
    assert "Polar Bear HVAC otra vez" in reply


@pytest.mark.parametrize("body", ["", "mire la foto, sale agua de la unidad"])
def test_a_picture_in_a_spanish_conversation_gets_the_notice_in_spanish(live_app, carrier,
                                                                       runtime, body):
    phone = carrier.phone(TEXTER)
    phone.text(HVAC, "quisiera una cotización para cambiar mi equipo", settle_s=QUICK)
    received = phone.text(HVAC, body, media=["https://example.com/unit.jpg"], settle_s=QUICK)
    assert "no pude abrir la foto" in " ".join(received)
    assert english_in(received) == []
