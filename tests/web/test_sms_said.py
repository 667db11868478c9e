"""What a texter reads is what the record says they were told, word for word, for every
shipped flow: the disclosure on a first text, the flow's answers and questions, and the named
handoff ("I'm passing this to Alex") rather than the flow's unnamed promise."""

from __future__ import annotations

from itertools import permutations

import texting

HVAC, LAW, SHOP = "+15125550200", "+15125550100", "+15125550300"
TEXTER = "+15125550199"
MARIA = "+15125550188"  # a Fernhill Goods customer with one shipped order
#: Seconds to wait for a reply: long enough that a slow reply is not counted with the next one.
SETTLE = 0.5
#: For the last text, the handoff: its reply comes with the webhook's response, while the
#: "we couldn't connect you" text when nobody answers the bridge comes later (and is not part
#: of these conversations' replies).
LAST = texting.QUICK


def assert_transcript_matches(runtime, phone: str, received: list[str]) -> None:
    """The texts received, in order, are the conversations' bot lines one conversation after
    the other."""
    conversations = texting.bot_lines(runtime, phone)
    orders = [sum(order, []) for order in permutations(conversations)]
    assert texting.as_lines(received) in orders, (texting.as_lines(received), conversations)


def test_every_text_the_hvac_customer_got_is_in_the_transcript_word_for_word(
        live_app, carrier, runtime):
    phone = carrier.phone(TEXTER)
    received = phone.text(HVAC, "can I get a quote", settle_s=SETTLE)
    received += phone.text(HVAC, "2", settle_s=SETTLE)
    received += phone.text(HVAC, "my furnace is making a loud bang and there is a burning smell",
                           settle_s=LAST)
    assert "assistant" in received[0].lower()
    assert any("passing this to Alex" in r for r in received)
    assert_transcript_matches(runtime, TEXTER, received)
    assert not any("Someone from our team" in line
                   for lines in texting.bot_lines(runtime, TEXTER) for line in lines)


def test_every_text_the_law_firm_client_got_is_in_the_transcript_word_for_word(
        live_app, carrier, runtime):
    answers = {"is it texas?": "yes", "which state": "Texas",
               "court date or deadline": "we have a hearing in two weeks",
               "already have a lawyer": "No, I don't have a lawyer",
               "how much are you able to spend": "about $5,000"}
    received = texting.converse(carrier.phone(TEXTER), LAW, "I need help with a divorce",
                                answers)
    assert any("passing this to" in r for r in received)
    assert_transcript_matches(runtime, TEXTER, received)


def test_every_text_the_shop_customer_got_is_in_the_transcript_word_for_word(
        live_app, carrier, runtime):
    phone = carrier.phone(MARIA)
    received = phone.text(SHOP, "where is my order FG-10231?", settle_s=SETTLE)
    received += phone.text(SHOP, "can I talk to a real person please", settle_s=LAST)
    assert any("passing this to Riley" in r for r in received)
    assert_transcript_matches(runtime, MARIA, received)


def test_a_picture_notice_is_in_the_transcript_as_sent(live_app, carrier, runtime):
    received = carrier.phone(TEXTER).text(HVAC, "what are your hours?",
                                          media=["https://example.com/a.jpg"],
                                          settle_s=SETTLE)
    assert "couldn't open the picture" in received[0]
    assert_transcript_matches(runtime, TEXTER, received)
