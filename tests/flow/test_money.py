"""Budgets the way people say them."""

from __future__ import annotations

import pytest

from ivr.flow.money import find_money, no_ceiling


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


@pytest.mark.parametrize(("text", "dollars"), [
    ("a grand and a half", 1500),
    ("one and a half k", 1500),
    ("two and a half thousand", 2500),
    ("half a grand", 500),
])
def test_halves_of_a_grand_are_read_as_said(text, dollars):
    assert find_money(text, asked=True)[0] == dollars


@pytest.mark.parametrize(("text", "dollars"), [
    ("two, maybe three thousand", 2000),
    ("4 possibly 5k", 4000),
    ("like 3 to 5 thousand maybe", 3000),
])
def test_a_range_with_a_hedge_between_counts_what_the_customer_can_surely_spend(text, dollars):
    assert find_money(text, asked=True)[0] == dollars


def test_a_hedge_alone_never_turns_a_count_into_thousands():
    assert find_money("1 kid, maybe 2000", asked=True)[0] == 2000


def test_a_few_grand_is_checked_with_the_customer():
    value, confidence = find_money("a few grand", asked=True)
    assert value == 3000 and confidence < 0.6


def _to_budget(law):
    chat = law()
    chat.send("divorce in Texas, hearing next month, no lawyer")
    assert chat.ask.slot == "budget"
    return chat


@pytest.mark.parametrize("answer", ["whatever it costs", "money is no object",
                                    "I don't care what it costs, I want my kids back"])
def test_a_customer_who_will_pay_whatever_it_costs_is_qualified(law, answer):
    chat = _to_budget(law)
    chat.send(answer)
    assert chat.state.slots["budget"] == 15000
    assert chat.outcome == "qualified"


def test_a_few_grand_is_confirmed_before_qualifying(law):
    chat = _to_budget(law)
    chat.send("a few grand")
    assert chat.ask.slot == "budget" and "3,000" in chat.said
    chat.send("yes")
    assert chat.outcome == "qualified"


def test_whatever_i_need_to_pay_sets_no_ceiling():
    assert no_ceiling("whatever I need to pay") and not no_ceiling("I need to pay rent")


@pytest.mark.parametrize(("text", "dollars"), [
    ("5 figures", 10000),
    ("five-figure budget", 10000),
    ("low four figures", 1000),
    ("like 3 stacks", 3000),
    ("a couple racks", 2000),
    ("$1,500.00", 1500),
    ("1.5k", 1500),
    ("couple grand maybe", 2000),
    ("I can do payments of 300 a month", 300),
])
def test_amounts_said_as_figures_slang_and_cents_are_read(text, dollars):
    assert find_money(text, asked=True) == (dollars, 1.0)


def test_high_figures_are_checked():
    assert find_money("high four figures", asked=True) == (7000, 0.6)


def test_a_stack_of_papers_is_no_money():
    assert find_money("a stack of papers from the court", asked=True) is None


def test_a_bare_small_figure_is_thousands_only_when_the_options_are():
    assert find_money("between 3 and 5", asked=True, thousands=True) == (3000, 0.6)
    assert find_money("maybe 8", asked=True, thousands=True) == (8000, 0.6)
    assert find_money("maybe 8", asked=True) == (8, 1.0)  # a shop's budget may be $8
    assert find_money("$40", asked=True, thousands=True) == (40, 1.0)  # said as dollars


def test_between_3_and_5_is_checked_as_three_thousand_never_read_as_three_dollars(law):
    chat = _to_budget(law)
    chat.send("between 3 and 5")
    assert chat.ask.slot == "budget" and "3,000" in chat.said
    chat.send("yes")
    assert chat.outcome == "qualified"


def test_five_figures_qualifies_without_a_question(law):
    chat = _to_budget(law)
    chat.send("5 figures")
    assert chat.state.slots["budget"] == 10000 and chat.outcome == "qualified"


@pytest.mark.parametrize(("text", "dollars"), [
    ("I have 800 now and can pay 200 a month", 800),
    ("I can pay 100 a month, I have 500 now", 500),
    ("$250 every two weeks", 250),
    ("I have 2 kids and can pay 200 a month", 200),
])
def test_a_sum_said_beside_a_monthly_payment_is_the_budget(text, dollars):
    assert find_money(text, asked=True, thousands=True) == (dollars, 1.0)


def test_tens_of_thousands_is_ten_and_in_the_thousands_is_checked():
    assert find_money("tens of thousands", asked=True) == (10000, 1.0)
    assert find_money("somewhere in the thousands", asked=True) == (1000, 0.6)


@pytest.mark.parametrize(("text", "dollars"), [
    ("fourty five hundred", 4500), ("two thousnad", 2000), ("fiftteen hundred", 1500),
])
def test_number_words_typed_with_a_slip_are_still_read(text, dollars):
    assert find_money(text, asked=True) == (dollars, 1.0)


def test_an_everyday_word_is_never_repaired_into_a_number():
    assert find_money("is there a fee first", asked=True) is None  # "there" is no "three"


def test_as_much_as_i_need_to_sets_no_ceiling():
    assert no_ceiling("as much as I need to, it's my kids")
    assert not no_ceiling("as much as I can, maybe 2k")


def test_between_two_and_three_grand_is_a_range_not_their_sum():
    assert find_money("between two and three grand", asked=True) == (2000, 1.0)
    assert find_money("a hundred and fifty", asked=True) == (150, 1.0)  # "and" after a scale


@pytest.mark.parametrize(("text", "dollars"), [
    ("5 bands", 5000), ("10 g's", 10000), ("about a G", 1000), ("3gs", 3000),
])
def test_slang_for_a_thousand_is_read_without_a_question(text, dollars):
    assert find_money(text, asked=True) == (dollars, 1.0)


@pytest.mark.parametrize("text", ["0", "none", "ni un centavo", "I can't pay anything"])
def test_a_zero_or_none_is_a_budget_of_nothing(text):
    assert find_money(text, asked=True) == (0, 1.0)
    assert not no_ceiling(text)


@pytest.mark.parametrize("text", ["I'll pay anything", "I can afford whatever",
                                  "any amount", "lo que se necesite"])
def test_paying_anything_sets_no_ceiling(text):
    assert no_ceiling(text)
