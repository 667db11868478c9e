"""Fernhill Goods: the bot handles orders, returns and products; people handle the rest."""

from __future__ import annotations

import pytest

REGULAR = "+15125550177"  # Jordan Blake: three orders
BIG_ORDER = "+15125550166"  # Priya Shah: one $129 order
ONE_ORDER = "+15125550188"  # Maria Lopez: one $32.50 order


def test_order_status_by_number(shop):
    chat = shop()
    chat.send("Where is my order FG-10231?")
    assert "shipped on Monday and arriving Thursday" in chat.said
    assert chat.outcome == "resolved"


def test_order_status_by_the_customers_own_number(shop):
    chat = shop(phone=ONE_ORDER)
    chat.send("has my package shipped yet")
    assert "FG-10231" in chat.said and chat.outcome == "resolved"


def test_order_status_asks_for_the_number_when_it_does_not_know_the_customer(shop):
    chat = shop()
    chat.send("where is my order")
    assert chat.ask.slot == "order_number"
    chat.send("it's 10198")
    assert "out for delivery today" in chat.said


def test_unknown_order_number_is_asked_again(shop):
    chat = shop()
    chat.send("where is my order FG-99999")
    assert "couldn't find" in chat.said
    assert chat.ask.slot == "order_number"


def test_returns_are_answered_from_the_shop_policy(shop):
    chat = shop()
    chat.send("I got the wrong shade, can I return it?")
    assert chat.state.bucket == "returns"
    assert "within 30 days" in chat.said
    assert chat.transfer is None


def test_product_question_answered_from_the_faq(shop):
    chat = shop()
    chat.send("Is the lavender soap vegan?")
    assert "vegan" in chat.said and chat.outcome == "resolved"


def test_a_question_the_bot_cannot_answer_is_logged_for_review(shop):
    chat = shop()
    chat.send("Does the soap come in a gift-wrapped size?")
    assert chat.unanswered == ["Does the soap come in a gift-wrapped size?"]
    assert "noted your question" in chat.said
    assert chat.ask.slot == "offer"


def test_recommendation_from_what_they_are_shopping_for(shop):
    chat = shop()
    chat.send("can you recommend something?")
    assert chat.ask.slot == "need"
    chat.send("a birthday present for my sister")
    assert "Cozy Evening gift box" in chat.said


@pytest.mark.parametrize("text", [
    "my son had an allergic reaction to the body butter",
    "I got a rash from the face oil",
    "the candle caught fire on my table",
    "my toddler was choking on a bath bomb piece",
    "I burned my hand on the candle jar",
])
def test_any_health_or_safety_mention_goes_to_a_person(shop, text):
    chat = shop()
    chat.send(text)
    assert chat.transfer is not None
    assert chat.transfer.skill == "safety"
    assert chat.state.reasons == ["health_safety"]


def test_allergic_reaction_is_not_treated_as_a_return(shop):
    chat = shop()
    chat.send("I want to return the lotion, it gave me hives")
    assert chat.transfer is not None and "health_safety" in chat.state.reasons


def test_an_order_over_the_threshold_goes_to_a_person(shop):
    chat = shop(phone=BIG_ORDER)
    chat.send("when will my order arrive?")
    assert chat.transfer is not None
    assert chat.state.reasons == ["order_over_threshold"]
    assert "$129.00" in chat.transfer.summary


def test_a_customer_with_more_than_two_purchases_goes_to_a_person(shop):
    chat = shop(phone=REGULAR)
    chat.send("I'd like to return something")
    assert chat.transfer is not None
    assert chat.state.reasons == ["repeat_customer"]
    assert "Jordan Blake" in chat.transfer.summary


@pytest.mark.parametrize(("phone", "reason"), [(BIG_ORDER, "order_over_threshold"),
                                              (REGULAR, "repeat_customer")])
@pytest.mark.parametrize("message", ["when will my order arrive?", "I'd like to return something",
                                     "is the lavender soap vegan?",
                                     "can you recommend a gift for my sister"],
                         ids=["order_status", "returns", "product_question", "recommendation"])
def test_a_big_order_or_a_regular_reaches_a_person_whatever_they_ask(shop, phone, reason,
                                                                      message):
    for channel in ("sms", "voice"):
        chat = shop(phone=phone, channel=channel)
        chat.send(message)
        assert chat.transfer is not None, channel
        assert chat.state.reasons == [reason], channel


def test_a_small_order_from_a_new_customer_stays_with_the_bot(shop):
    chat = shop(phone=ONE_ORDER)
    chat.send("where's my order")
    assert chat.transfer is None


def test_a_big_order_named_with_no_topic_still_reaches_a_person(shop):
    """"please cancel fg10250" names no topic the shop reads, but FG-10250 is a $129 order:
    the big-order rule holds whatever the topic."""
    chat = shop()
    chat.send("please cancel fg10250")
    assert chat.transfer is not None and "order_over_threshold" in chat.state.reasons


def test_a_regular_reaches_a_person_even_when_the_bot_cannot_place_the_message(shop):
    """A regular's "back again, anything fun lately?" names no topic the bot reads, but the
    shop promises regulars a person whatever they write: no "Sorry, I didn't catch that"."""
    chat = shop(phone=REGULAR)
    chat.send("back again, anything fun lately?")
    assert chat.transfer is not None
    assert chat.state.reasons == ["repeat_customer"]


@pytest.mark.parametrize("text", [
    "how much for 250 soaps for our wedding guests",
    "we want thirty gift boxes for the office party",
    "quote me on a hundred of the small candles please",
    "cuanto cuestan 80 velas para una boda",
    "do you sell wholesale to shops",
    "need candles for 45 teachers for appreciation week",
    "queremos regalos para 30 empleados",
    "do you sell to other shops at a trade price",
])
def test_a_big_order_asked_about_before_it_exists_reaches_a_person_without_the_model(shop, text):
    """Ten units of anything is past the shop's order threshold: a count in digits or words
    with what it counts (or buying to resell) is a big order, heard as a product question."""
    chat = shop()
    chat.send(text)
    assert chat.transfer is not None, text
    assert chat.state.reasons == ["bulk_order"], text
    assert chat.state.bucket == "product_question", text


@pytest.mark.parametrize("text", [
    "can I buy 3 candles and ship them to my sister",
    "does the 16 oz candle burn for 50 hours",
    "my 12 year old wants the lavender soap, is it vegan",
    "are your candles 100% soy",
    "do you charge for shipping on orders over 50",
    "I need it shipped to 1234 elm street",
    "it's been 10 days and I want my order",
    "I want 20% off my next order",
    "I need an update on order 1042",
    "need to know where order # 10 245 is",
    "what would you get my boss, budget around 40",
    "I want to spend about 35 on a gift for my neighbor",
])
def test_a_small_order_or_a_count_of_something_else_is_no_big_order(shop, text):
    chat = shop()
    chat.send(text)
    assert "bulk_order" not in chat.state.reasons, text


@pytest.mark.parametrize("text", ["the checkout said $32 but you took $64 from my card",
                                  "my receipt is $41 though my bank shows $58"])
def test_two_amounts_that_disagree_are_a_billing_problem_without_the_model(shop, text):
    chat = shop()
    chat.send(text)
    assert chat.transfer is not None
    assert chat.state.reasons == ["billing_problem"]


@pytest.mark.parametrize("text", ["I paid twice when the checkout page froze",
                                  "you took my money and nothing ever came",
                                  "me llego un cobro de ustedes que no reconozco",
                                  "you billed me again yesterday and I only ordered once"])
def test_money_taken_wrongly_is_a_billing_problem_in_plain_words_without_the_model(shop, text):
    chat = shop()
    chat.send(text)
    assert chat.transfer is not None, text
    assert "billing_problem" in chat.state.reasons, text


@pytest.mark.parametrize("text", ["my sister has eczema, is the oat lotion ok for her",
                                  "I'm going through chemo, can I use the body oil",
                                  "the candle keeps flaring up way too high"])
def test_a_medical_condition_or_a_flaring_flame_is_a_health_question_without_the_model(shop,
                                                                                     text):
    chat = shop()
    chat.send(text)
    assert chat.transfer is not None, text
    assert chat.state.reasons[0] == "health_safety", text


def test_the_person_taking_a_bulk_order_hears_why_in_words(shop):
    """The spoken summary names a bulk order as such, not the trigger's name."""
    chat = shop()
    chat.send("need candles for 45 teachers for appreciation week")
    assert "Why: bulk or event order." in chat.transfer.summary
