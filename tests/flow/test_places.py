"""States from names, abbreviations, cities and counties; suggestions from the number."""

from __future__ import annotations

import pytest

from ivr.flow.places import find_state, suggested_state


@pytest.mark.parametrize(("text", "code"), [
    ("Austin Texas", "TX"), ("in texas", "TX"), ("Round Rock", "TX"),
    ("we live in Travis County", "TX"), ("Chicago", "IL"), ("Cook County", "IL"),
    ("Tulsa, OK", "OK"), ("the case is in CA", "CA"), ("New Mexico", "NM"),
    ("Washington DC", "DC"), ("West Virginia", "WV"),
])
def test_places_name_a_state(text, code):
    assert find_state(text)[0] == code


@pytest.mark.parametrize("text", ["OK thanks", "I am IN a hurry", "my ac is out", "hi there"])
def test_everyday_words_are_not_states(text):
    assert find_state(text) is None


def test_misheard_state_is_matched_fuzzily_only_when_asked():
    assert find_state("texis") is None
    code, confidence = find_state("texis", asked=True)
    assert code == "TX" and confidence < 1.0


def test_a_bare_abbreviation_answers_the_question():
    assert find_state("tx", asked=True)[0] == "TX"


@pytest.mark.parametrize(("description", "code"), [
    ("Texas", "TX"), ("Chicago, IL", "IL"), ("New York, NY", "NY"), ("", None), (None, None),
])
def test_suggestion_from_the_geocoder_description(description, code):
    assert suggested_state(description) == code


def test_a_denied_state_is_not_the_answer():
    assert find_state("not texas, Oklahoma City", asked=True)[0] == "OK"
    assert find_state("I live in Texas not Oklahoma", asked=True)[0] == "TX"
