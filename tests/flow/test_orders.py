"""Order numbers the way customers type and say them: the shop finds the order anyway."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("answer", "status"), [
    ("ten two thirty one", "shipped on Monday"),          # said in groups, like a phone number
    ("one oh one seventy seven", "delivered"),
    ("ten thousand two hundred fifty", "larger order"),   # said as one number (FG-10250)
    ("fg-1o231", "shipped on Monday"),                    # the letter O for a zero
    ("it's FG 1O198", "out for delivery"),
    ("fg-010231", "shipped on Monday"),                   # a zero padded in front
    ("order # 10 245", "processing"),                     # a hash and a space
])
def test_the_order_is_found_however_the_number_is_said(shop, answer, status):
    chat = shop()
    chat.send("where is my order")
    assert chat.ask.slot == "order_number"
    chat.send(answer)
    assert status in chat.said


def test_a_number_said_in_groups_that_is_no_order_of_the_shop_is_asked_again(shop):
    chat = shop()
    chat.send("where is my order")
    chat.send("ten two thirty two")
    assert "shipped on Monday" not in chat.said
    assert chat.ask.slot == "order_number"


def test_a_typed_o_for_zero_finds_the_order_in_the_first_message(shop):
    chat = shop()
    chat.send("where is my order fg-1o231?")
    assert "shipped on Monday and arriving Thursday" in chat.said
