"""A Spanish-speaking customer is answered in Spanish (issue 25, Deliver 1 and 2): the language
is read from their words, kept once sure, switched when they ask, English when unsure or when
the business speaks only English; and every flow text has its Spanish version, written once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from flowchat import FRIDAY_NIGHT, Chat

from ivr.config.checks import check_files
from ivr.config.settings import PROJECT_ROOT
from ivr.flow.actions import Transfer
from ivr.flow.language import settle
from ivr.flow.loader import parse_flow
from ivr.semantic.language import detector


@pytest.fixture
def bilingual(hvac: Callable[..., Chat]) -> Callable[..., Chat]:
    """Polar Bear HVAC (languages: [en, es]) with the real detector, as the service wires it."""

    def start(**kw: object) -> Chat:
        chat = hvac(**kw)
        chat.ctx = replace(chat.ctx, detect=detector(chat.ctx.languages))
        return chat

    return start


def test_a_spanish_text_gets_a_spanish_reply(bilingual: Callable[..., Chat]) -> None:
    chat = bilingual()
    chat.send("hola, quiero saber cuál es su horario")
    assert chat.state.language == "es"
    assert "asistente virtual" in chat.said and "Estamos abiertos" in chat.said


def test_a_gas_smell_in_spanish_hears_the_safety_line_in_spanish(
        bilingual: Callable[..., Chat]) -> None:
    chat = bilingual()
    chat.send("huele mucho a gas en la cocina, qué hago")
    assert "salga de la casa" in chat.said and "911" in chat.said
    assert chat.transfer is not None and chat.transfer.urgent


def test_en_espanol_switches_the_conversation_to_spanish(bilingual: Callable[..., Chat]) -> None:
    chat = bilingual()
    chat.send("can I get a quote")
    assert chat.state.language == "en"
    chat.send("en español por favor")
    assert chat.state.language == "es"
    assert "¿Qué tipo de equipo es" in chat.said  # the open question again, in Spanish


def test_habla_espanol_as_a_first_text_greets_in_spanish(bilingual: Callable[..., Chat]) -> None:
    chat = bilingual()
    chat.send("¿Habla español?")
    assert chat.state.language == "es"
    assert chat.said.startswith("Hola, le atiende el asistente virtual")


def test_english_please_switches_back(bilingual: Callable[..., Chat]) -> None:
    chat = bilingual()
    chat.send("necesito una cotización para un aire acondicionado nuevo")
    assert chat.state.language == "es"
    chat.send("English please")
    assert chat.state.language == "en"
    assert "Would you like to talk to someone now" in chat.said  # the open question, in English


def test_an_unsure_short_text_stays_in_english(bilingual: Callable[..., Chat]) -> None:
    chat = bilingual()
    chat.send("hello")  # read as Spanish, barely: not enough to answer in Spanish
    assert chat.state.language == "en"
    assert "virtual assistant" in chat.said


def test_a_sure_language_is_kept_through_short_answers(bilingual: Callable[..., Chat]) -> None:
    chat = bilingual()
    chat.send("necesito una cotización para la calefacción")
    chat.send("ok")
    assert chat.state.language == "es"


def test_two_leaning_texts_make_the_language_sure() -> None:
    extra: dict[str, object] = {}
    lean = lambda text: ("es", 0.8)  # noqa: E731
    assert settle("en", extra, "el AC no enfria", ("en", "es"), lean) == ("en", False)
    assert settle("en", extra, "no sale aire frio", ("en", "es"), lean) == ("es", False)


def test_keypad_digits_say_nothing_about_the_language() -> None:
    def never(text: str) -> tuple[str, float]:
        raise AssertionError(text)

    assert settle("en", {}, "2", ("en", "es"), never) == ("en", False)


def test_a_business_without_spanish_answers_in_english(law: Callable[..., Chat]) -> None:
    chat = law()
    assert chat.ctx.languages == ("en",)
    chat.ctx = replace(chat.ctx, detect=detector(chat.ctx.languages))
    chat.send("necesito un abogado para mi divorcio")
    chat.send("en español por favor")
    assert chat.state.language == "en"
    assert "virtual assistant" in " ".join(a.prompt if hasattr(a, "prompt") else a.text
                                           for a in chat.actions if hasattr(a, "text")
                                           or hasattr(a, "prompt"))


def test_staff_still_read_the_summary_in_english(bilingual: Callable[..., Chat]) -> None:
    chat = bilingual()
    chat.send("huele mucho a gas en la cocina, qué hago")
    transfer = next(a for a in chat.actions if isinstance(a, Transfer))
    assert "emergency" in transfer.summary.lower() and "repair" in transfer.summary.lower()


def test_every_shipped_flow_text_has_its_spanish_version() -> None:
    for path in sorted((PROJECT_ROOT / "flows").glob("*.yaml")):
        flow = parse_flow(path.read_text(encoding="utf-8"), str(path))
        assert [t.what for t in flow.missing("es")] == [], path.name


FLOW = """\
name: tiny
greeting:
  en: "Hi, this is {business}."
  es: "Hola, le atiende {business}."
ask: "How can I help?"
buckets:
  hours: {route: bot_only, phrases: [hours], answer: {en: "We open at 9.", es: "Abrimos a las 9."}}
"""


def test_a_flow_text_missing_in_a_declared_language_is_a_file_line_problem(
        tmp_path: Path) -> None:
    flow = tmp_path / "tiny.yaml"
    flow.write_text(FLOW, encoding="utf-8")
    business = (PROJECT_ROOT / "examples" / "polar_bear_hvac.yaml").read_text(encoding="utf-8")
    business = business.replace("flow: flows/hvac.yaml", f"flow: {flow}")
    (tmp_path / "biz.yaml").write_text(business, encoding="utf-8")
    problems = [str(p) for p in check_files([tmp_path / "biz.yaml"])
                if "has no 'es' text" in p.message]
    assert problems == [f"{flow}:5: flow ask has no 'es' text, and business 'Polar Bear HVAC' "
                        "declares languages: [en, es]; write it as {en: ..., es: ...}"]


def test_a_spanish_text_needs_its_english_one(tmp_path: Path) -> None:
    from ivr.flow.errors import ConfigError

    with pytest.raises(ConfigError, match=r"x.yaml:2: flow greeting: a map of languages needs"):
        parse_flow(FLOW.replace('  en: "Hi, this is {business}."\n', ""), "x.yaml")


def test_a_spanish_request_after_hours_is_confirmed_in_spanish_with_a_clean_time(
        bilingual: Callable[..., Chat]) -> None:
    chat = bilingual(at=FRIDAY_NIGHT)
    chat.send("quisiera una cotización para cambiar mi equipo")
    chat.send("calefacción")
    assert chat.outcome == "after_hours_queued"
    assert "le llamaremos mañana después de las 9:00 de la mañana." in chat.said
    assert ".." not in chat.said and "call you back" not in chat.said


@pytest.mark.parametrize("text", ["quiero hablar con una persona por favor", "un agente",
                                  "operador", "representante", "con una persona real"])
def test_a_request_for_a_person_in_spanish_reaches_one_without_the_model(
        bilingual: Callable[..., Chat], text: str) -> None:
    chat = bilingual()
    chat.send(text)
    assert chat.transfer is not None and "asked_for_human" in chat.state.reasons


def test_each_turn_gets_the_same_detector_and_the_same_verdicts() -> None:
    """Each turn asks for the business's detector: it is the one built for those languages
    (whatever their order), and a text read again (verdicts are kept) gets the same verdict."""
    detect = detector(("en", "es"))
    if detect is None:
        pytest.skip("the language detector is not installed")
    assert detector(("es", "en", "es")) is detect
    assert detector(("en",)) is None
    first = detect("¿Cuánto cuesta una consulta?")
    assert first[0] == "es" and first[1] > 0.5
    assert detect("¿Cuánto cuesta una consulta?") == first
    assert detect("How much is a consultation?")[0] == "en"
