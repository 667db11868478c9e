"""Only genuinely unknown questions reach the unanswered-questions log for the monthly review."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text", ["how are you?", "what?", "hello?", "do you work in Georgetown?",
                                  "is my unit still under warranty?", "how much for a tune up?"])
def test_small_talk_and_understood_questions_are_not_logged(hvac, text):
    chat = hvac()
    chat.send(text)
    assert chat.unanswered == []


def test_a_real_question_the_bot_cannot_answer_is_logged_as_it_was_asked(shop):
    chat = shop()
    chat.send("Does the soap come in a gift-wrapped size?")
    assert chat.unanswered == ["Does the soap come in a gift-wrapped size?"]


def test_a_typo_is_repaired_for_understanding_but_logged_as_typed(shop):
    chat = shop()
    chat.send("Do you sell cotten towels in bulk?")
    assert chat.unanswered == ["Do you sell cotten towels in bulk?"]


def test_an_unknown_question_outside_any_bucket_is_logged(hvac):
    chat = hvac()
    chat.send("Who won the game last night?")
    assert chat.unanswered == ["Who won the game last night?"]
