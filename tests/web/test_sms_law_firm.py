"""Texting Hartley Family Law: qualified leads reach intake; the rest get a courteous referral.

The coordinator's time is the product's point: a qualified texter's summary lands on the
on-call intake phone, and nobody on staff is disturbed by a matter the firm cannot take.
"""

from __future__ import annotations

import pytest
from jobs_support import settle
from texting import QUICK, converse, handoff_texts

LAW = "+15125550100"
DANA, SAM = "+15125550111", "+15125550112"
TEXTER = "+15125550199"

#: How a qualified texter answers each question (matched on the question's words).
QUALIFIED = {
    "what kind of matter": "divorce",
    "is it texas?": "yes",  # the firm guesses the state from the area code and asks
    "which state": "Texas",
    "court date or deadline": "we have a hearing in two weeks",
    "already have a lawyer": "No, I don't have a lawyer",
    "how much are you able to spend": "about $5,000",
}


def answer_all(phone, first: str, answers: dict[str, str]) -> list[str]:
    return converse(phone, LAW, first, answers)


def only_record(runtime):
    [record] = runtime.store.conversations(phone=TEXTER)
    return record


def staff_texts(runtime, carrier) -> list[str]:
    """Every text intake received, once the worker has sent what was queued."""
    settle(runtime)
    return carrier.agent(DANA).texts + carrier.agent(SAM).texts


def test_a_qualified_texter_step_by_step_reaches_intake(live_app, carrier, runtime):
    received = answer_all(carrier.phone(TEXTER), "I need help with a divorce", QUALIFIED)
    record = only_record(runtime)
    assert record["outcome"] in ("qualified", "transferred")
    assert record["slots"]["jurisdiction"] == "TX"  # "yes" answered the question, not START
    assert record["slots"]["representation"] in (False, "no")
    assert "assistant" in received[0].lower()
    assert any("passing this to Dana" in r for r in received)
    [summary] = handoff_texts(runtime, carrier, DANA, record)
    assert TEXTER in summary
    assert "divorce" in summary.lower()


def test_a_qualified_texter_in_one_message_reaches_intake(live_app, carrier, runtime):
    received = answer_all(carrier.phone(TEXTER),
                          "I need help with a divorce in Texas. We have a hearing in two weeks, "
                          "no lawyer yet, and I can spend about $8,000.", QUALIFIED)
    record = only_record(runtime)
    assert record["outcome"] in ("qualified", "transferred")
    assert any("passing this to Dana" in r for r in received)
    assert len(handoff_texts(runtime, carrier, DANA, record)) == 1
    callers = [t for t in record["transcript"] if t["role"] == "caller"]
    assert len(callers) == 1  # nothing had to be asked again


@pytest.mark.parametrize(("why", "change", "decline_words"), [
    ("another state", {"is it texas?": "no, it's in Oklahoma", "which state": "Oklahoma"},
     "referral"),
    ("already represented", {"already have a lawyer": "Yes, I already have an attorney"},
     "already representing you"),
    ("budget too low", {"how much are you able to spend": "maybe $500"}, "budget"),
])
def test_a_texter_the_firm_cannot_take_gets_a_courteous_referral_and_no_staff_text(
        live_app, carrier, runtime, why, change, decline_words):
    received = answer_all(carrier.phone(TEXTER), "I need help with a child custody case",
                          {**QUALIFIED, **change})
    record = only_record(runtime)
    assert record["outcome"] == "not_qualified", why
    assert decline_words in " ".join(received)
    assert "Thank you" in " ".join(received)
    assert staff_texts(runtime, carrier) == []


def test_someone_in_danger_reaches_the_emergency_lawyer_at_once(live_app, carrier, runtime):
    received = carrier.phone(TEXTER).text(LAW, "my ex took my kids and won't return them",
                                          settle_s=QUICK)
    assert "911" in " ".join(received)
    assert any("passing this to Dana" in r for r in received)
    assert len(handoff_texts(runtime, carrier, DANA, only_record(runtime))) == 1


def test_hours_are_answered_without_anyone_being_texted(live_app, carrier, runtime):
    received = carrier.phone(TEXTER).text(LAW, "where are you located?", settle_s=QUICK)
    assert "400 West 15th Street" in " ".join(received)
    assert staff_texts(runtime, carrier) == []
