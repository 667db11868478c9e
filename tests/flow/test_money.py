"""Budgets the way people say them."""

from __future__ import annotations

import pytest

from ivr.flow.money import find_money


@pytest.mark.parametrize(("text", "dollars"), [
    ("five grand", 5000),
    ("$5k", 5000),
    ("around 10,000 dollars", 10000),
    ("maybe 300 dollars", 300),
    ("I can spend about five grand", 5000),
    ("$3,500", 3500),
    ("twenty five hundred dollars", 2500),
    ("two thousand five hundred bucks", 2500),
    ("10k", 10000),
    ("a thousand dollars", 1000),
    ("my budget is 7500", 7500),
])
def test_amounts_people_say(text, dollars):
    assert find_money(text)[0] == dollars


@pytest.mark.parametrize("text", ["the hearing is in 2026", "I have 3 kids", "case 4412",
                                  "a custody case"])
def test_numbers_that_are_not_money_are_ignored_unless_asked(text):
    assert find_money(text) is None


def test_a_bare_number_answers_the_budget_question():
    assert find_money("5000", asked=True) == (5000, 1.0)
    assert find_money("ten thousand", asked=True)[0] == 10000


def test_a_vague_answer_is_low_confidence():
    value, confidence = find_money("a few thousand", asked=True)
    assert value == 3000 and confidence < 0.6


@pytest.mark.parametrize("text", ["I don't have any money", "I dont have the funds right now",
                                  "no cash at all"])
def test_saying_there_is_no_money_is_a_budget_of_nothing(text):
    assert find_money(text, True)[0] == 0
