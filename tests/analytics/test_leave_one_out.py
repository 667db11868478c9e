"""The leave-one-out estimate judges a dev row only by examples written in other words."""

from __future__ import annotations

from ivr.analytics.leave_one_out import without_echoes


def test_an_example_that_echoes_the_message_is_set_aside():
    examples = {"returns": ("the candle came cracked, can I get a new one", "I want to send this back"),
                "hours": ("when do you open on Saturday",)}
    kept = without_echoes(examples, "My candle came cracked!! help")
    assert kept == {"returns": ("I want to send this back",),
                    "hours": ("when do you open on Saturday",)}


def test_a_label_left_with_no_example_is_not_scored():
    assert without_echoes({"hours": ("when do you open on Saturday",)},
                          "so when do you open on saturday") == {}
