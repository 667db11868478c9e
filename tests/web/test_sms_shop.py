"""Texting Fernhill Goods: the bot handles routine orders and returns; three triggers go to Riley.

A health or safety mention, an order above the shop's threshold ($75) and a regular customer
(more than two purchases) each put a person on it; the shop's order export supplies the facts.
"""

from __future__ import annotations

import pytest
from jobs_support import settle
from texting import handoff_texts

SHOP = "+15125550300"
RILEY = "+15125550311"
MARIA = "+15125550188"   # one $32.50 order, shipped
PRIYA = "+15125550166"   # one $129 order
JORDAN = "+15125550177"  # three orders: a regular
STRANGER = "+15125550199"
QUICK = 0.05


def only_record(runtime, phone):
    [record] = runtime.store.conversations(phone=phone)
    return record


def test_order_status_by_number_is_answered_by_the_bot(live_app, carrier, runtime):
    received = carrier.phone(MARIA).text(SHOP, "where is my order FG-10231?", settle_s=QUICK)
    assert "shipped on Monday and arriving Thursday" in " ".join(received)
    assert only_record(runtime, MARIA)["route"] == "bot_only"
    settle(runtime)
    assert carrier.agent(RILEY).texts == []


def test_a_customer_with_one_order_is_not_asked_for_its_number(live_app, carrier, runtime):
    received = carrier.phone(MARIA).text(SHOP, "has my package shipped yet?", settle_s=QUICK)
    assert "FG-10231 is shipped on Monday and arriving Thursday" in received[-1]


def test_an_unknown_texter_is_asked_for_the_order_number(live_app, carrier, runtime):
    received = carrier.phone(STRANGER).text(SHOP, "has my package shipped yet?", settle_s=QUICK)
    assert "order number" in received[-1]
    assert only_record(runtime, STRANGER)["ended_at"] is None


def test_returns_are_explained_by_the_bot(live_app, carrier, runtime):
    received = carrier.phone(STRANGER).text(SHOP, "how do I return something I bought?",
                                            settle_s=QUICK)
    assert "30 days" in " ".join(received)
    assert only_record(runtime, STRANGER)["bucket"] == "returns"
    settle(runtime)
    assert carrier.agent(RILEY).texts == []


@pytest.mark.parametrize(("who", "text", "reason"), [
    (STRANGER, "the face oil gave me a rash and my cheeks are swollen", "health_safety"),
    (STRANGER, "the candle caught fire on my table", "health_safety"),
    (PRIYA, "where is my order FG-10250?", "order_over_threshold"),
    (JORDAN, "where is my order FG-10245?", "repeat_customer"),
])
def test_sensitive_or_valuable_conversations_reach_riley(live_app, carrier, runtime, who, text,
                                                          reason):
    received = carrier.phone(who).text(SHOP, text, settle_s=QUICK)
    record = only_record(runtime, who)
    assert record["route"] == "human"
    assert reason in record["escalation"]["reasons"]
    assert any("passing this to Riley" in r for r in received)
    [staff_text] = handoff_texts(runtime, carrier, RILEY, record)
    assert who in staff_text


def test_asking_for_a_person_gets_one(live_app, carrier, runtime):
    received = carrier.phone(STRANGER).text(SHOP, "can I talk to a real person please",
                                            settle_s=QUICK)
    assert any("passing this to Riley" in r for r in received)
    assert len(handoff_texts(runtime, carrier, RILEY, only_record(runtime, STRANGER))) == 1


def test_a_retried_text_acts_once(live_app, carrier, runtime):
    phone = carrier.phone(STRANGER)
    first = phone.text(SHOP, "my kid had an allergic reaction to the soap", sid="SM" + "ab" * 16,
                       settle_s=QUICK)
    again = phone.text(SHOP, "my kid had an allergic reaction to the soap", sid="SM" + "ab" * 16,
                       settle_s=QUICK)
    assert first and [r for r in again if "passing" in r] == [r for r in first if "passing" in r]
    record = only_record(runtime, STRANGER)
    assert len([t for t in record["transcript"] if t["role"] == "caller"]) == 1
    assert len(handoff_texts(runtime, carrier, RILEY, record)) == 1
