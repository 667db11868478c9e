"""The YAML's wording rules: `vocabulary:` sets, `pairs:`, `ignore:`, `urgent_if:`, `places:`.
A business extends them without code; mistakes are reported as `file:line: problem`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ivr.flow.context import Context
from ivr.flow.engine import step
from ivr.flow.errors import ConfigError
from ivr.flow.events import Input
from ivr.flow.loader import parse_flow
from ivr.flow.spelling import Speller
from ivr.flow.state import State

SHOP = """\
name: bakery
greeting: "Hi, this is the virtual assistant for {business}."
ask: "How can I help?"
vocabulary:
  cake: [cake, cupcakes, cookies]
  problem: [stale, burnt, wrong flavor]
buckets:
  complaint:
    route: human
    phrases: [complaint]
    pairs:
      - [cake, problem]
  delivery:
    route: bot_only
    places: towns
    phrases: [deliver]
    pairs:
      - [[deliver to, come to], town]
    answer: "We deliver to {params.towns}."
triggers:
  - name: allergy
    urgent: true
    phrases: [peanut]
    ignore: [peanut free]
"""
NOON = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_flow(text, "bakery.yaml")
    return [str(p) for p in caught.value.problems]


def first_reply(text: str, message: str, towns: list[str] | None = None) -> State:
    flow = parse_flow(text, "bakery.yaml")
    ctx = Context(now=NOON, channel="sms", business_name="Crumb",
                  params={"towns": towns or ["Austin", "Kyle"]})
    state, _ = step(flow, State(flow=flow.name), Input.start(message), ctx)
    return state


def test_a_pair_of_word_kinds_picks_the_bucket():
    assert first_reply(SHOP, "the cupcakes were stale").bucket == "complaint"


def test_a_word_the_business_adds_to_a_set_is_understood_without_code():
    extended = SHOP.replace("[stale, burnt, wrong flavor]", "[stale, burnt, wrong flavor, soggy]")
    assert first_reply(SHOP, "the cookies were soggy").bucket is None
    assert first_reply(extended, "the cookies were soggy").bucket == "complaint"


def test_typos_of_the_flows_own_words_are_repaired():
    assert first_reply(SHOP, "the cupcakse were stael").bucket == "complaint"


def test_an_ignored_phrase_does_not_fire_a_trigger():
    assert first_reply(SHOP, "are the cookies peanut free?").reasons == []
    assert first_reply(SHOP, "my son ate a peanut cookie").reasons == ["allergy"]


def test_a_town_named_in_the_question_uses_the_places_list():
    state = first_reply(SHOP, "can you come to Kyle")
    assert state.bucket == "delivery" and state.outcome == "resolved"


def test_unknown_phrase_set_in_a_pair_is_reported_on_its_line():
    text = SHOP.replace("      - [cake, problem]", "      - [cake, problme]")
    assert problems(text) == [
        "bakery.yaml:12: bucket 'complaint': pair 1 names unknown phrase set 'problme' "
        "(vocabulary: cake, problem)"]


def test_a_pair_needs_two_groups():
    text = SHOP.replace("      - [cake, problem]", "      - [cake]")
    assert problems(text) == ["bakery.yaml:12: bucket 'complaint': pair 1 needs two or more "
                              "groups, e.g. [equipment, symptom]"]


def test_a_bad_pair_weight_and_unknown_pair_key_are_reported():
    text = SHOP.replace("      - [cake, problem]",
                        "      - {match: [cake, problem], weight: lots, colour: red}")
    found = problems(text)
    assert found == [
        "bakery.yaml:12: bucket 'complaint': pair 1: unknown key 'colour' (known: match, weight)",
        "bakery.yaml:12: bucket 'complaint': pair 1: weight is a positive number"]


def test_town_is_only_a_group_for_a_bucket_with_places():
    text = SHOP.replace("      - [cake, problem]", "      - [cake, town]")
    assert problems(text)[0].startswith("bakery.yaml:12: bucket 'complaint': pair 1 names "
                                        "unknown phrase set 'town'")


def test_vocabulary_sets_must_be_lists():
    text = SHOP.replace("  cake: [cake, cupcakes, cookies]", "  cake: cupcakes")
    assert "bakery.yaml:5: vocabulary 'cake': a non-empty list of phrases" in problems(text)


def test_urgent_if_needs_words_and_known_keys():
    text = SHOP.replace("    phrases: [complaint]\n",
                        "    phrases: [complaint]\n    urgent_if: {reasn: x, phrases: [mold]}\n")
    assert problems(text) == ["bakery.yaml:11: bucket 'complaint' urgent_if: unknown key 'reasn' "
                              "(known: ignore, pairs, patterns, phrases, reason)"]


def test_urgent_if_makes_a_human_bucket_urgent_with_its_reason():
    text = SHOP.replace("    phrases: [complaint]\n",
                        "    phrases: [complaint]\n    urgent_if: {reason: food_safety, "
                        "phrases: [mold, moldy]}\n")
    state = first_reply(text, "the cake was stale and moldy")
    assert state.reasons == ["food_safety"] and state.outcome == "escalated"
    assert first_reply(text, "the cake was stale").reasons == ["complaint"]


def test_ignore_must_be_a_list():
    text = SHOP.replace("    ignore: [peanut free]", "    ignore: peanut free")
    assert problems(text) == ["bakery.yaml:24: trigger 'allergy': ignore is a list of phrases"]


@pytest.mark.parametrize(("typed", "meant"), [("furnase", "furnace"), ("thermastat", "thermostat"),
                                              ("noize", "noise"), ("heaters", "heater")])
def test_the_speller_repairs_slips_of_known_words(typed, meant):
    assert Speller({"furnace", "thermostat", "noise", "heater"}).repair(typed) == meant


@pytest.mark.parametrize("word", ["fine", "turned", "hires", "furnace", "tile", "nose",
                                  "change", "right"])
def test_the_speller_leaves_real_and_short_words_alone(word):
    known = {"furnace", "fire", "burned", "hives", "noise", "charge", "fight"}
    assert Speller(known).repair(word) is None


@pytest.mark.parametrize("word", ["ours", "yours", "hers"])
def test_a_possessive_is_no_plural_of_a_flow_word(word):
    """"ours is just two people growing apart" keeps its "ours" though "our" is a flow word."""
    assert Speller({"our", "your", "her"}).repair(word) is None


def test_flows_check_reports_a_wording_mistake_with_file_and_line(tmp_path):
    from click.testing import CliRunner

    from ivr.app.cli import main

    bad = tmp_path / "bakery.yaml"
    bad.write_text(SHOP.replace("      - [cake, problem]", "      - [cake, problme]"))
    result = CliRunner().invoke(main, ["flows", "check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:12: bucket 'complaint': pair 1 names unknown phrase set 'problme'" \
        in result.output


def test_a_caller_at_the_opening_question_can_be_heard_saying_pair_words_and_alarms(hvac):
    chat = hvac(channel="voice")
    chat.call()
    grammar = chat.ask.grammar
    assert {"furnace", "loud", "thermostat", "blank", "smell gas", "carbon monoxide"} <= \
        set(grammar)
