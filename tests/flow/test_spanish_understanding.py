"""Spanish first messages read by the rules (issue 25): asking for a person, being fed up and
denying an emergency in Spanish, and Spanish everyday words left as written by the typo repair
("harta" is not "hasta")."""

from __future__ import annotations

import pytest

from ivr.flow.actions import Transfer
from ivr.flow.negation import denied_words, denies_danger, deny
from ivr.flow.phrasing import padded


def _reasons(chat) -> tuple[str, ...]:
    transfer = chat.transfer
    return tuple(transfer.reasons) if isinstance(transfer, Transfer) else ()


@pytest.mark.parametrize("said", [
    "operadora", "Operador por favor", "llámenme cuando puedan", "me puede marcar alguien?",
    "quiero hablar con alguien de verdad", "pásame con un técnico", "comuníqueme con el dueño",
])
def test_asking_for_a_person_in_spanish_reaches_one(hvac, said):
    chat = hvac()
    chat.send(said)
    assert "asked_for_human" in _reasons(chat)


@pytest.mark.parametrize("said", [
    "ya me hartaron, estoy harta de esperar", "qué pésimo servicio tienen",
    "ya me cansé de escribirles",
])
def test_a_fed_up_customer_in_spanish_reaches_a_person(shop, said):
    chat = shop()
    chat.send(said)
    assert "frustration" in _reasons(chat)


@pytest.mark.parametrize(("said", "bucket"), [
    ("me mandaron la talla equivocada del guante", "returns"),
    ("el pedido que me llego es incorrecto", "returns"),
    ("compre una vela hace una semana, ya salio?", "order_status"),
    ("hay algun cupon para la primera compra", "product_question"),
    ("la crema viene en otro tamaño", "product_question"),
])
def test_a_spanish_shop_topic_is_placed_by_the_rules(shop, said, bucket):
    """A wrong item, whether it shipped, a coupon or a size, in Spanish, without the model: a
    topic the rules place is one the person taking over reads even when frustration fires."""
    chat = shop()
    chat.send(said)
    assert chat.state.bucket == bucket, said


def test_no_es_emergencia_is_not_a_repair_call(hvac):
    chat = hvac()
    chat.send("no es una emergencia, nomás quiero precio de un termostato")
    assert chat.state.bucket == "quote"
    assert chat.transfer is None


def test_nadie_denies_what_follows_up_to_y():
    assert deny(padded("nadie esta en peligro y mi mama tiene 80")).split() == [
        "|", "|", "|", "|", "y", "mi", "mama", "tiene", "80"]


def test_a_spanish_verb_is_not_a_denial_of_what_a_saying_starts():
    """"No sé qué hacer, me pegó": a saying, so what follows is not denied."""
    assert "pego" in deny(padded("no se que hacer me pego"))


def test_everyday_spanish_words_are_left_as_written(law):
    flow = law().flow
    assert flow.heard("estoy harta, la garantia cubre eso?") == \
        "estoy harta, la garantia cubre eso?"


def test_no_me_deja_salir_is_the_danger_not_a_denial():
    """"No me deja salir" ("he won't let me leave") is the verb's own "no", as "he will not
    let me leave" is: nothing in it is set aside."""
    assert deny(padded("no me deja salir de la casa")) == padded("no me deja salir de la casa")


@pytest.mark.parametrize("said", ["no es urgente", "nadie esta en peligro",
                                  "no es una emergencia", "no hay fuga de gas"])
def test_a_danger_denied_in_spanish_is_set_aside(said):
    assert denies_danger(denied_words(padded(said + " pero quiero una cita")), ())


def test_no_me_ha_amenazado_denies_the_threat():
    assert "amenazado" in denied_words(padded("pero no me ha amenazado quiero divorciarme"))
