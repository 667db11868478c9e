"""Slot extraction: yes/no, fuzzy choices with synonyms, order numbers, keypad digits."""

from __future__ import annotations

import pytest

from ivr.flow.extract import extract, from_digits, yes_or_no
from ivr.flow.loader import load_flow


@pytest.fixture(scope="module")
def law_slots(directory):
    return load_flow(next(b for b in directory if b.name == "Hartley Family Law").flow_path).slots


@pytest.fixture(scope="module")
def hvac_slots(directory):
    return load_flow(next(b for b in directory if b.name == "Polar Bear HVAC").flow_path).slots


@pytest.mark.parametrize(("text", "answer"), [
    ("yes", True), ("yeah that's right", True), ("sure", True), ("nope", False),
    ("no, not yet", False), ("I don't", False), ("1", True), ("2", False), ("banana", None),
])
def test_yes_or_no(text, answer):
    assert yes_or_no(text) is answer


@pytest.mark.parametrize(("text", "value"), [
    ("my AC", "air_conditioner"), ("the heat pump", "heat_pump"), ("furnace", "furnace"),
    ("the furnase", "furnace"), ("our air conditioning", "air_conditioner"),
    ("tankless water heater", "water_heater"),
])
def test_choices_match_synonyms_and_typos(hvac_slots, text, value):
    assert extract(hvac_slots["system"], text, asked=True)[0] == value


def test_a_fuzzy_match_is_less_certain_than_an_exact_one(hvac_slots):
    assert extract(hvac_slots["system"], "furnace", asked=True)[1] == 1.0
    assert extract(hvac_slots["system"], "furnase", asked=True)[1] < 1.0


def test_volunteered_representation_needs_clear_wording(law_slots):
    slot = law_slots["representation"]
    assert extract(slot, "no lawyer yet")[0] == "no"
    assert extract(slot, "I don't have a lawyer")[0] == "no"
    assert extract(slot, "my lawyer is handling it")[0] == "yes"
    assert extract(slot, "my lawyer quit")[0] == "no"  # nobody represents them any more
    assert extract(slot, "no") is None
    assert extract(slot, "no", asked=True)[0] == "no"


def test_keypad_digits_pick_menu_values(law_slots):
    assert from_digits(law_slots["budget"], "3") == 15000
    assert from_digits(law_slots["matter_type"], "2") == "custody"
    assert from_digits(law_slots["representation"], "1") == "yes"
    assert from_digits(law_slots["matter_type"], "9") is None


def test_free_text_is_only_taken_when_asked(directory):
    flow = load_flow(next(b for b in directory if b.name == "Fernhill Goods").flow_path)
    assert extract(flow.slots["need"], "a gift for my mom") is None
    assert extract(flow.slots["need"], "a gift for my mom", asked=True)[0] == "a gift for my mom"


@pytest.mark.parametrize(("text", "number"), [
    ("order FG-10231", "FG-10231"), ("it's 10198", "10198"),
    ("one oh two three one", "10231"),
])
def test_order_numbers_written_or_spoken(directory, text, number):
    flow = load_flow(next(b for b in directory if b.name == "Fernhill Goods").flow_path)
    assert extract(flow.slots["order_number"], text, asked=True)[0] == number


@pytest.mark.parametrize(("text", "answer"), [
    ("absolutely not", False), ("of course not", False), ("absolutely", True),
    ("mi prima y yo", None), ("y", True), ("n", False),
])
def test_a_denied_yes_is_a_no_and_one_letter_answers_stand_alone(text, answer):
    assert yes_or_no(text) is answer


@pytest.mark.parametrize(("text", "value"), [
    # someone else's lawyer is not the customer's
    ("my husband's attorney keeps calling me", "no"), ("el abogado es de mi ex", "no"),
    # a lawyer who is gone, or who is on another matter
    ("my lawyer left the firm and nobody took over my case", "no"),
    ("I have one for the criminal case but not for custody", "no"),
    ("tuve uno para el divorcio pero no para esto", "no"),
    # not a lawyer, or not hired
    ("my cousin's a paralegal", "no"), ("mi prima es paralegal y me ayuda", "no"),
    ("I had a free consultation with one", "no"),
    # represented by someone the customer did not hire themselves
    ("legal aid is helping me", "yes"), ("the court appointed one for me", "yes"),
    ("la corte me asigno uno", "yes"), ("my mom hired one for me", "yes"),
    ("a public defender is representing me", "yes"),
    ("la abogada de la corte me esta ayudando", "yes"), ("retained counsel", "yes"),
    ("the other party is represented, I am not", "no"), ("we parted ways", "no"),
])
def test_who_represents_the_customer_in_this_matter_now(law_slots, text, value):
    assert extract(law_slots["representation"], text, asked=True)[0] == value


def test_a_one_word_representation_phrase_only_answers_the_question(law_slots):
    """Unasked, "my paralegal said..." is an existing client's message, not a "no lawyer"."""
    slot = law_slots["representation"]
    assert extract(slot, "my paralegal said she'd email the draft") is None
    assert extract(slot, "paralegal", asked=True)[0] == "no"


def test_the_last_clause_that_answers_decides_and_is_checked(law_slots):
    """People put the present last: a past lawyer then "still have her" is a yes, one for
    another matter then "not for this" a no; said both ways, it is confirmed once."""
    slot = law_slots["representation"]
    value, sure = extract(slot, "had a lawyer appointed in the CPS case, still have her",
                          asked=True)
    assert value == "yes" and sure < 0.7
    assert extract(slot, "we have an attorney for the business, not for this",
                   asked=True)[0] == "no"


@pytest.mark.parametrize(("text", "value"), [
    # a lawyer still to come is none now
    ("I'm going to hire one next week", "no"), ("legal aid told me they'll call me", "no"),
    ("the court is supposed to appoint one", "no"), ("voy a contratar uno", "no"),
    # ... but a lawyer held now stays a yes whatever comes next
    ("my attorney will be at the hearing", "yes"), ("I have one, we meet tomorrow", "yes"),
])
def test_a_lawyer_still_to_come_is_not_one_now(law_slots, text, value):
    assert extract(law_slots["representation"], text, asked=True)[0] == value


def test_whose_lawyer_and_what_is_negated(law_slots):
    """The children's attorney is theirs; a negation reaching "one" is a no; someone who got
    the customer one is a yes; a former lawyer in Spanish is gone; "not ..." with its reason
    is a no."""
    slot = law_slots["representation"]
    assert extract(slot, "there's a lawyer for the children, appointed by the judge",
                   asked=True)[0] == "no"
    assert extract(slot, "I met a few but never signed with one", asked=True)[0] == "no"
    assert extract(slot, "my brother found me one", asked=True)[0] == "yes"
    assert extract(slot, "mi abogada anterior se quedo con el caso de mi hermana",
                   asked=True)[0] == "no"
    assert extract(slot, "not officially", asked=True)[0] == "no"
    assert extract(slot, "I was self-represented at the last hearing", asked=True)[0] == "no"
