"""Timelines the way people say them."""

from __future__ import annotations

import pytest

from ivr.flow.timeline import find_timeline, urgency


@pytest.mark.parametrize(("text", "phrase"), [
    ("hearing next month", "next month"),
    ("within two weeks", "within 2 weeks"),
    ("no rush", "no rush"),
    ("we're not in a hurry", "no rush"),
    ("the court date is in three days", "in 3 days"),
    ("as soon as possible please", "as soon as possible"),
    ("the hearing is on March 3rd", "on march 3rd"),
    ("by the end of the year", "end of the year"),
    ("in a few weeks", "in a few weeks"),
    ("tomorrow", "tomorrow"),
])
def test_timelines_people_say(text, phrase):
    assert find_timeline(text)[0] == phrase


@pytest.mark.parametrize("text", ["you may call me", "I called on Monday about my case",
                                  "my ac broke"])
def test_ambiguous_words_are_not_a_timeline_unless_asked(text):
    assert find_timeline(text) is None


def test_an_unsure_answer_to_the_question_is_recorded():
    assert find_timeline("I'm not sure", asked=True)[0] == "unknown"


def test_urgency_of_a_timeline():
    assert urgency("tomorrow") == "urgent"
    assert urgency("next month") == "normal"
