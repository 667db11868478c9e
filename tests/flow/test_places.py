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


@pytest.mark.parametrize("answer", ["Hays", "Montgomery county", "Bell county", "Midland"])
def test_a_name_several_states_share_is_read_in_the_firms_own_state_and_checked(law, answer):
    """A Texas firm hears "Hays" as Hays County, Texas (not Hays, Kansas), asked once."""
    chat = law()
    chat.send("I need a divorce")
    chat.send(answer)
    assert chat.ask.slot == "jurisdiction" and "Texas?" in chat.said
    chat.send("yes")
    assert chat.state.slots["jurisdiction"] == "TX"


def test_a_shared_name_is_only_the_preferred_state_when_that_state_has_it():
    assert find_state("Hays", asked=True, prefer=("TX",))[0] == "TX"
    assert find_state("Hays", asked=True, prefer=("NY",))[0] == "KS"


@pytest.mark.parametrize(("answer", "code"), [
    ("we're in Oklahoma but the kids are in Texas", "TX"),
    ("I moved to Louisiana last year, but the divorce was filed in Beaumont", "TX"),
    ("the case is in California but I live in Texas now", "CA"),
    ("we live in Texas, the kids are with their dad in Arkansas", "AR"),
])
def test_the_state_of_the_case_beats_where_the_customer_lives(answer, code):
    assert find_state(answer, asked=True, prefer=("TX",))[0] == code


@pytest.mark.parametrize("answer", ["we live out by Waxahachie now", "we moved to Tyler"])
def test_a_town_after_by_or_to_is_a_place(answer):
    assert find_state(answer, asked=True)[0] == "TX"


def test_a_denied_state_is_never_the_misheard_one():
    assert find_state("not Texas, we're over in Baton Rouge", asked=True)[0] == "LA"


@pytest.mark.parametrize("answer", ["no, Nevada", "no nevada"])
def test_no_then_a_state_answers_is_it_texas_with_that_state(answer):
    assert find_state(answer, asked=True, prefer=("TX",))[0] == "NV"


@pytest.mark.parametrize(("answer", "code"), [("Madison", "WI"), ("Wichita", "KS")])
def test_a_big_citys_name_still_means_that_city_for_a_texas_firm(answer, code):
    assert find_state(answer, asked=True, prefer=("TX",)) == (code, 0.6)


def test_where_the_customer_lives_gives_way_to_where_the_case_is():
    assert find_state("its in texas but i live in new mexico", asked=True)[0] == "TX"


@pytest.mark.parametrize(("answer", "code"), [
    ("we live in tx", "TX"), ("west tx", "TX"), ("Cali", "CA"), ("NYC", "NY"), ("ATX", "TX"),
])
def test_short_names_people_text_for_a_state_are_understood(answer, code):
    assert find_state(answer, asked=True)[0] == code


def test_a_spanish_mi_is_no_michigan():
    assert find_state("en mi casa", asked=True) is None


@pytest.mark.parametrize(("answer", "code"), [
    ("arlingotn", "TX"), ("Sugarland", "TX"), ("en Dalas", "TX"), ("no, en Alburquerque", "NM"),
])
def test_a_misspelt_town_is_read_as_the_nearest_real_one_and_checked(answer, code):
    found = find_state(answer, asked=True, prefer=("TX",))
    assert found is not None and found[0] == code and found[1] < 0.7  # "Just to check"
    assert find_state(answer) is None or find_state(answer)[1] < 0.7


@pytest.mark.parametrize("answer", ["we live here", "the house is there", "I have no idea"])
def test_a_sentence_is_never_read_as_a_misspelt_town(answer):
    assert find_state(answer, asked=True) is None


@pytest.mark.parametrize(("answer", "code"), [
    ("Fort Cavazos", "TX"), ("JBSA Lackland", "TX"), ("no, stationed at Fort Bragg", "NC"),
    ("en Fort Bliss", "TX"),
])
def test_a_military_base_names_its_state(answer, code):
    assert find_state(answer, asked=True)[0] == code


def test_a_misspelt_town_is_checked_then_kept(law):
    chat = law()
    chat.send("I need a divorce")
    chat.send("no")  # not the number's suggestion: the plain question
    chat.send("San Angleo")
    assert chat.ask.slot == "jurisdiction" and "Texas?" in chat.said
    chat.send("yes")
    assert chat.state.slots["jurisdiction"] == "TX"


def test_naming_the_suggested_state_confirms_it(law):
    """"N. Texas" to "your number looks like Texas, is that right?" is a yes, though a lone
    "n" is how some text a no."""
    chat = law()
    chat.send("I need a divorce")
    chat.send("N. Texas")
    assert chat.state.slots["jurisdiction"] == "TX"
    assert chat.ask.slot == "timeline"


def test_a_longer_misspelt_name_beats_a_one_word_county_elsewhere():
    assert find_state("en Forth Worth", asked=True, prefer=("TX",))[0] == "TX"


def test_a_state_code_after_a_town_is_no_yes_to_the_suggestion(law):
    """"Muskogee OK" to "your number looks like Texas, is that right?" is Oklahoma."""
    chat = law()
    chat.send("I need a divorce")
    chat.send("Muskogee OK")
    assert chat.state.slots["jurisdiction"] == "OK"


@pytest.mark.parametrize(("answer", "code"), [
    ("en Carolina del Norte", "NC"), ("Nueva York", "NY"), ("en Pensilvania", "PA"),
])
def test_a_state_named_in_spanish_is_that_state(answer, code):
    assert find_state(answer, asked=True)[0] == code
