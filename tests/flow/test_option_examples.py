"""A choice answer that describes its option without naming it (issue 20): the option's
`examples:` scored by the semantic layer, as a plain table of scores in the Context here (the
real model is measured in tests/semantic and by `make eval`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import pytest
from flowchat import Chat

from ivr.flow.errors import ConfigError
from ivr.flow.extract import yes_or_no
from ivr.flow.loader import parse_flow
from ivr.flow.model import Option, Slot
from ivr.flow.places import find_state
from ivr.flow.semantic import (
    OPTION_SURE,
    OPTION_UNSURE,
    option_label,
    semantic_option,
    topic_scores,
)

SUPPORT = option_label("matter_type", "child_support")
CUSTODY = option_label("matter_type", "custody")


def with_scores(chat: Chat, scores: Mapping[str, float]) -> Chat:
    chat.ctx = dataclasses.replace(chat.ctx, similar=lambda text: scores)
    return chat


def asked_the_matter(law) -> Chat:
    chat = law()
    chat.send("I need help from a family lawyer")
    assert chat.ask is not None and chat.ask.slot == "matter_type"
    return chat


def test_a_described_matter_is_understood_and_the_next_question_asked(law):
    chat = with_scores(asked_the_matter(law), {SUPPORT: 0.62, CUSTODY: 0.41, "intake": 0.5})
    chat.send("their dad hasn't paid a cent toward the kids since June")
    assert chat.state.slots["matter_type"] == "child_support"
    assert chat.ask is not None and chat.ask.slot == "jurisdiction"


def test_a_close_call_is_checked_in_one_short_question_not_guessed(law):
    chat = with_scores(asked_the_matter(law), {SUPPORT: 0.5, CUSTODY: 0.48})
    chat.send("it's about the kids and their dad, he doesn't do his part")
    assert "matter_type" not in chat.state.slots
    assert chat.ask is not None and "Just to check: is this about child support?" in (
        chat.ask.prompt)
    chat.send("yes")
    assert chat.state.slots["matter_type"] == "child_support"


def test_a_no_to_the_check_asks_the_question_again(law):
    chat = with_scores(asked_the_matter(law), {SUPPORT: 0.5, CUSTODY: 0.48})
    chat.send("it's about the kids and their dad, he doesn't do his part")
    with_scores(chat, {})
    chat.send("no")
    assert "matter_type" not in chat.state.slots and chat.ask is not None


def test_a_synonym_said_outright_comes_first(law):
    chat = with_scores(asked_the_matter(law), {option_label("matter_type", "adoption"): 0.9})
    chat.send("it is a custody thing with my ex")
    assert chat.state.slots["matter_type"] == "custody"


def test_nothing_near_any_option_asks_again(law):
    chat = with_scores(asked_the_matter(law), {SUPPORT: 0.2, CUSTODY: 0.15})
    chat.send("it's complicated, I'd rather explain on the phone")
    assert "matter_type" not in chat.state.slots


def test_an_option_never_outvotes_a_request_for_a_person(law):
    chat = with_scores(law(), {SUPPORT: 0.95, "asked_for_human": 0.6, "intake": 0.3})
    chat.send("I would really prefer someone real on the line")
    assert chat.transfer is not None and "asked_for_human" in chat.state.reasons


def test_the_decision_over_a_table():
    slot = Slot("kind", "choice", "Which?", options=(
        Option("a", "a", examples=("one two three",)), Option("b", "b", examples=("x y z",)),
        Option("c", "c")))
    a, b = option_label("kind", "a"), option_label("kind", "b")
    assert semantic_option(slot, {a: 0.7, b: 0.3}) == ("a", OPTION_SURE)
    assert semantic_option(slot, {a: 0.5, b: 0.49}) == ("a", OPTION_UNSURE)
    assert semantic_option(slot, {a: 0.2, b: 0.1}) is None
    assert topic_scores({a: 0.9, "intake": 0.4}) == {"intake": 0.4}


TINY = """\
name: tiny
greeting: "Hi"
ask: "How can I help?"
slots:
  kind:
    type: choice
    prompt: "Which one?"
    options:
      - value: a
        examples:
          - "the first of the two things"
          - short
      - value: b
        examples:
          - "the first of the two things"
  when:
    type: timeline
    prompt: "When?"
    options:
      - value: soon
        examples: ["as soon as you can please"]
buckets:
  help:
    route: bot_only
    phrases: [help]
    answer: "ok"
"""


def test_option_examples_are_checked_with_their_lines():
    with pytest.raises(ConfigError) as raised:
        parse_flow(TINY, "tiny.yaml")
    problems = str(raised.value)
    assert "tiny.yaml:12: slot 'kind' option 'a': example 2 is not a sentence" in problems
    assert "tiny.yaml:15: slot 'kind' option 'b': example 1 is also an example of 'a'" in (
        problems)
    assert "tiny.yaml:21: slot 'when' option 'soon': examples belong to a choice slot" in (
        problems)


def test_the_shipped_matter_options_carry_examples(law):
    options = law().flow.slots["matter_type"].options
    assert all(len(o.examples) >= 12 for o in options)


def test_right_now_says_when_not_yes():
    assert yes_or_no("I'm between lawyers right now") is None
    assert yes_or_no("not right now") is False
    assert yes_or_no("right") is True


def test_a_town_that_ends_a_short_answer_names_its_state():
    assert find_state("the valley, McAllen", asked=True)[0] == "TX"
    assert find_state("out in Buda", asked=True)[0] == "TX"
    assert find_state("I live in a mobile home") is None
