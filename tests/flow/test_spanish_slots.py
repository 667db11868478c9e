"""Spanish answers read as the English ones are (issue 25, Deliver 3): amounts, dates, places,
yes and no, and the flows' options, in the words Texas customers text them."""

from __future__ import annotations

import pytest

from ivr.flow.money import find_money


def test_como_cinco_mil_dolares_is_a_budget_of_5000():
    assert find_money("como cinco mil dólares", asked=True) == (5000, 1.0)


@pytest.mark.parametrize(("said", "dollars"), [
    ("tres mil", 3000), ("veinte mil dolares", 20000), ("hasta 10 mil", 10000),
    ("no más de dos mil", 2000), ("8k mas o menos", 8000), ("3 mil", 3000),
    ("doce mil", 12000), ("mil quinientos", 1500),
])
def test_spanish_amounts_are_dollars(said, dollars):
    assert find_money(said, asked=True) == (dollars, 1.0)


def test_entre_6_y_7_mil_is_a_budget_of_6000_not_6_dollars():
    assert find_money("entre 6 y 7 mil", asked=True) == (6000, 1.0)


def test_nada_is_a_budget_of_zero():
    assert find_money("nada", asked=True) == (0, 1.0)


def test_a_spanish_amount_volunteered_in_passing_needs_a_money_word():
    assert find_money("tengo dos hijos") is None
    assert find_money("puedo pagar cinco mil dolares") == (5000, 1.0)
