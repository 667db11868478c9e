"""The leave-one-out estimate judges a dev row only by examples written in other words."""

from __future__ import annotations

import pytest

from ivr.analytics.leave_one_out import evaluate_options, without_echoes
from ivr.analytics.slots import SlotRow
from ivr.semantic import shared


def test_an_example_that_echoes_the_message_is_set_aside():
    examples = {"returns": ("the candle came cracked, can I get a new one", "I want to send this back"),
                "hours": ("when do you open on Saturday",)}
    kept = without_echoes(examples, "My candle came cracked!! help")
    assert kept == {"returns": ("I want to send this back",),
                    "hours": ("when do you open on Saturday",)}


def test_a_label_left_with_no_example_is_not_scored():
    assert without_echoes({"hours": ("when do you open on Saturday",)},
                          "so when do you open on saturday") == {}


def test_a_matter_described_in_an_options_own_words_is_judged_without_that_example():
    layer = shared()
    if not layer.available:
        pytest.skip("the sentence encoder is not installed")
    # Word for word one of the child-support examples: set aside, the others still hear it.
    row = SlotRow("dev", "law_firm", "matter_type",
                  "my kids' father never pays what the court ordered", "child_support")
    (figures,) = evaluate_options([row], layer).values()
    assert figures.correct == 1
