"""A question the bot cannot answer gets one courteous reply by text, never two that disagree.

"I'm sorry, I don't have an answer to that yet. I've noted your question…" followed by "Sorry,
I didn't catch that" told the texter we both understood and did not. Through the carrier
simulator, for each shipped business: one text back, saying the question was noted and offering
a person, and the question in the record's unanswered log for the monthly review.
"""

from __future__ import annotations

import pytest

TEXTER = "+15125550199"
QUESTION = "Who won the game last night?"


@pytest.mark.parametrize("business", [pytest.param("+15125550100", id="law_firm"),
                                      pytest.param("+15125550200", id="hvac"),
                                      pytest.param("+15125550300", id="ecommerce")])
def test_an_unknown_question_gets_exactly_one_reply_that_offers_a_person(
        live_app, carrier, runtime, business):
    received = carrier.phone(TEXTER).text(business, QUESTION, settle_s=0.05)
    assert len(received) == 1, received
    [reply] = received
    assert "noted your question" in reply
    assert "didn't catch" not in reply
    assert "talk to someone now" in reply
    [record] = runtime.store.conversations(phone=TEXTER)
    assert [u["question"] for u in record["unanswered"]] == [QUESTION]
