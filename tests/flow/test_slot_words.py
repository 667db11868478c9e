"""Slots from the customer's own words (issue 20.1): negations and hedges, counted and relative
times, amounts in words and ranges, places by city or county. Each test is a conversation with
the law firm's flow, named after what the customer would notice."""

from __future__ import annotations

import pytest

from ivr.flow.extract import extract
from ivr.flow.money import find_money
from ivr.flow.places import find_state
from ivr.flow.timeline import find_timeline


def _to_representation(law, *, channel: str = "sms"):
    chat = law(channel=channel)
    chat.send("I need help with a custody case in Texas")
    chat.send("hearing is next month")
    assert chat.ask.slot == "representation"
    return chat


def test_i_do_not_currently_have_a_lawyer_is_not_declined_as_represented(law):
    chat = _to_representation(law)
    chat.send("I do not currently have a lawyer")
    assert chat.state.slots["representation"] == "no"
    chat.send("about $8,000")
    assert chat.outcome == "qualified"


def test_a_texas_custody_lead_of_8000_without_a_lawyer_reaches_the_coordinator(law):
    chat = law()
    chat.send("Custody case in Texas, hearing in about two months, I don't currently have an "
              "attorney, I can spend $8,000")
    assert chat.state.slots["representation"] == "no"
    assert chat.outcome == "qualified" and chat.transfer is not None


def test_used_to_have_one_but_fired_him_is_not_represented(law):
    chat = _to_representation(law)
    chat.send("used to have one but fired him")
    assert chat.state.slots["representation"] == "no"
    assert chat.ask.slot == "budget"


def test_no_comma_i_have_a_lawyer_is_still_represented(law):
    chat = _to_representation(law)
    chat.send("no, I have a lawyer already")
    assert chat.state.slots["representation"] == "yes"
    assert chat.outcome == "not_qualified"


def test_an_unsure_answer_is_checked_in_one_short_question(law):
    chat = _to_representation(law)
    chat.send("I think so")
    assert "representation" not in chat.state.slots
    assert chat.ask.prompt.startswith("Just to check:")
    assert "already representing you" in chat.ask.prompt
    chat.send("no sorry, I don't")
    assert chat.state.slots["representation"] == "no"
    assert chat.ask.slot == "budget"


def test_a_hedged_no_is_checked_with_the_firms_words(law):
    chat = _to_representation(law)
    chat.send("probably not")
    assert chat.ask.prompt == "Just to check: you don't have a lawyer on this yet?"
    chat.send("yes")
    assert chat.state.slots["representation"] == "no"


@pytest.mark.parametrize(("said", "timeline"), [
    ("in the next couple weeks", "within 2 weeks"),
    ("I have 20 days to answer", "within 20 days"),
    ("in about two months", "in about 2 months"),
    ("before Christmas", "before christmas"),
    ("ASAP", "as soon as possible"),
    ("by 12/15", "by december 15"),  # a date as staff say it
    ("there's no court date yet", "no rush"),
    ("it's not an emergency", "no rush"),
])
def test_everyday_timelines_are_understood_without_asking_again(law, said, timeline):
    chat = law()
    chat.send("I need help with a custody case in Texas")
    assert chat.ask.slot == "timeline"
    chat.send(said)
    assert chat.state.slots["timeline"] == timeline
    assert chat.ask.slot == "representation"


def test_i_have_20_days_to_answer_is_a_timeline():
    assert find_timeline("I got served and I have 20 days to answer") == ("within 20 days", 1.0)


def test_about_ten_grand_is_a_budget_of_10000(law):
    chat = _to_representation(law)
    chat.send("no")
    chat.send("about ten grand")
    assert chat.state.slots["budget"] == 10000
    assert chat.outcome == "qualified"


@pytest.mark.parametrize(("said", "dollars"), [
    ("4-5k", 4000), ("maybe two to three thousand dollars", 2000),
    ("between 3 and 5 thousand", 3000), ("$3,000 to $5,000", 3000),
    ("under a thousand", 1000), ("one or two kids, I can pay 3000 dollars", 3000),
    ("like 2-3k", 2000), ("i can swing 6-7 thousand", 6000), ("$500-1000", 500),
])
def test_a_range_is_a_budget_of_what_the_customer_can_surely_spend(said, dollars):
    """A range is its lower bound, scaled by the second figure (tests/understanding/README.md
    and ivr/flow/money.py say why): "4-5k" is 4000, never "$4"."""
    assert find_money(said, asked=True) == (dollars, 1.0)


def test_4_to_5k_is_not_declined_as_a_4_dollar_budget(law):
    chat = _to_representation(law)
    chat.send("no")
    chat.send("4-5k")
    assert chat.state.slots["budget"] == 4000
    assert chat.outcome == "qualified"


def test_a_couple_thousand_is_a_budget_of_2000():
    assert find_money("a couple thousand", asked=True) == (2000, 1.0)
    assert find_money("a couple of grand", asked=True) == (2000, 1.0)


def test_i_have_nothing_is_a_budget_of_zero_not_a_question_again():
    assert find_money("honestly I have nothing", asked=True) == (0, 1.0)


def test_the_5th_is_a_date_not_a_budget():
    assert find_money("hearing on the 5th, I can pay 2000", asked=True) == (2000, 1.0)


@pytest.mark.parametrize(("said", "state"), [
    ("Fort Bend County", "TX"), ("I live in Sugar Land", "TX"), ("Frisco", "TX"),
    ("Collin county", "TX"), ("Bexar", "TX"), ("Washington County, Oregon", "OR"),
])
def test_a_city_or_county_names_the_state(said, state):
    found = find_state(said, asked=True)
    assert found is not None and found[0] == state


def test_a_city_several_states_share_is_checked_not_guessed(law):
    chat = law()
    chat.send("I need help with a divorce")
    chat.send("Springfield")
    assert "jurisdiction" not in chat.state.slots
    assert chat.ask.prompt.startswith("Just to check:")


def test_a_passing_word_is_not_a_town():
    assert find_state("I live in a mobile home with my kids", asked=True) is None


def test_sugar_land_lead_is_not_asked_for_the_state_again(law):
    chat = law()
    chat.send("I need help with a divorce, I live in Sugar Land")
    assert chat.state.slots["jurisdiction"] == "TX"
    assert chat.ask.slot == "timeline"


def test_yes_about_the_past_is_a_no_about_now(law):
    slot = law().flow.slots["representation"]
    assert extract(slot, "I had an attorney but not anymore", asked=True) == ("no", 1.0)


def _lawyer(law, said: str):
    """What the law firm's representation question reads from `said` (slot value, or the value
    it proposes to check)."""
    found = extract(law().flow.slots["representation"], said, asked=True)
    return found[0] if found else None


def test_he_dropped_my_case_means_no_lawyer_now(law):
    assert _lawyer(law, "I did, but he dropped my case") == "no"


def test_the_other_sides_lawyer_is_not_mine(law):
    assert _lawyer(law, "he has a lawyer, I need one") == "no"


def test_a_lawyer_talked_to_but_not_hired_is_no_lawyer(law):
    assert _lawyer(law, "I talked to a lawyer once but didnt hire her") == "no"


def test_a_paralegal_friend_helping_is_no_lawyer(law):
    assert _lawyer(law, "sort of, a friend who's a paralegal is helping") == "no"


def test_an_unhappy_client_is_still_represented(law):
    assert _lawyer(law, "I have an attorney but she's not returning calls") == "yes"
