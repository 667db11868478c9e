"""Hartley Family Law understands matter types said many ways, and "I don't have a lawyer"."""

from __future__ import annotations

import pytest
from flowchat import cases

MATTERS = {
    "divorce": ["my husband wants a divorce", "I'm getting devorced", "we're separating",
                "my ex and I are splitting up", "I want to end my marriage",
                "I was served with divorce papers yesterday",
                "my wife left me and I need to file for divorce",
                "i got served papers from my wife"],
    "custody": ["we need a parenting plan", "my wife won't let me see my kids",
                "I want full custody of my daughter", "need help with visitation schedule",
                "I want to move with my kids to another city", "custidy of my son",
                "she wants to move away with the kids to Denver",
                "I want to take my kids with me when I move for work",
                "I need the schedule changed now that I work nights",
                "my grandson lives with us and we want rights to him"],
    "child_support": ["how much child support will I pay", "my ex stopped paying support",
                      "he owes back child support", "I need to modify support"],
    "adoption": ["I want to adopt my stepson", "we are looking into a stepparent adoption",
                 "my partner and I are adopting"],
    "prenup": ["I want to get a prenup before the wedding", "we need a prenuptial agreement",
               "a marital agreement before we get married"],
    "other": ["gaurdianship of my grandson", "I need to establish paternity",
              "I want to prove he is the father",
              "I don't think he's really the father of my baby"],
}


@pytest.mark.parametrize(("matter", "text"),
                         cases(MATTERS))
def test_matter_types_are_understood_from_everyday_words(law, matter, text):
    chat = law()
    chat.send(text)
    assert chat.state.bucket == "intake"
    assert chat.state.slots.get("matter_type") == matter
    assert "didn't catch" not in chat.said


@pytest.mark.parametrize("text", [
    "I need a protective order", "my ex threatened to kill me",
    "he hit me last night and I'm scared for my life", "she ran off with the kids",
    "my husband is stalking me", "I need an emergency custody order, he won't give my kids back",
])
def test_danger_reaches_emergency_staff_at_once(law, text):
    chat = law()
    chat.send(text)
    assert chat.state.bucket == "emergency"
    assert chat.transfer is not None and chat.transfer.urgent
    assert "911" in chat.said


def test_substance_abuse_in_a_custody_case_is_intake_not_an_emergency(law):
    chat = law()
    chat.send("my ex has a substance abuse problem and I want custody")
    assert chat.state.bucket == "intake" and chat.state.slots["matter_type"] == "custody"
    assert chat.transfer is None


@pytest.mark.parametrize("text", [
    "I don't have a lawyer", "I dont have a lawyer", "no, I don't have one yet",
    "not yet, that's why I'm calling", "I'm representing myself right now",
    "my lawyer quit last month", "nope, haven't hired anyone",
])
def test_no_lawyer_is_read_as_not_represented(law, text):
    chat = law()
    chat.send("custody case in Austin Texas, hearing next month")
    assert chat.ask.slot == "representation"
    chat.send(text)
    assert chat.state.slots["representation"] == "no"
    assert chat.ask.slot == "budget"


@pytest.mark.parametrize("text", ["yes I do", "I already have an attorney",
                                  "yes, my lawyer is handling it"])
def test_having_a_lawyer_is_read_as_represented(law, text):
    chat = law()
    chat.send("custody case in Austin Texas, hearing next month")
    chat.send(text)
    assert chat.state.slots["representation"] == "yes"
    assert chat.outcome == "not_qualified"


def test_volunteered_no_lawyer_without_an_apostrophe_is_not_a_decline(law):
    chat = law()
    chat.send("divorce in Travis County, no rush, i dont have a lawyer, budget 8000 dollars")
    assert chat.state.slots["representation"] == "no"
    assert chat.outcome == "qualified"


@pytest.mark.parametrize("text", ["I'm calling to schedule a consultation",
                                  "my husband and I are done, I want out",
                                  "my ex moved out of town and wants to take the kids"])
def test_a_new_matter_without_its_name_still_starts_intake(law, text):
    chat = law()
    chat.send(text)
    assert chat.state.bucket == "intake"
    assert "didn't catch" not in chat.said


@pytest.mark.parametrize("answer", ["a protective order", "I need a restraining order on him",
                                    "an order of protection"])
def test_a_protective_order_is_something_else_by_its_name(law, answer):
    chat = law()
    chat.send("I need help from a family lawyer")
    chat.send(answer)
    assert chat.state.slots["matter_type"] == "other"


@pytest.mark.parametrize("text", [
    "the custody order you got for me last year isn't being followed",
    "did the court accept the petition your office filed",
    "I paid the retainer in may, what's the latest",
    "does my paralegal have the bank statements yet",
    "is Mr. Lee still my lawyer with you, he hasn't called",
    "ya pague el anticipo, como va mi caso",
    "ustedes me representan en la custodia y me llego una carta del juez",
])
def test_a_client_of_the_firm_is_heard_by_what_the_firm_did_for_them(law, text):
    """The firm acted for them, holds their retainer or has their lawyer: an existing client,
    handed to a person, never qualified as a new matter."""
    chat = law()
    chat.send(text)
    assert chat.state.bucket == "existing_client"
    assert chat.transfer is not None


@pytest.mark.parametrize("text", [
    "my ex didn't bring our son back sunday and his phone is off",
    "she says she'll take the kids out of the country and I'll never find them",
    "I'm scared he'll snatch my daughter from school",
])
def test_children_taken_and_out_of_reach_are_an_emergency_in_plain_words(law, text):
    chat = law()
    chat.send(text)
    assert chat.state.bucket == "emergency"
    assert chat.transfer is not None and chat.transfer.urgent


@pytest.mark.parametrize("text", [
    "my ex wants to take the kids to another state for a job, can she",
    "she does not answer when I ask to see my kids, I want visitation",
])
def test_a_move_or_a_late_return_is_a_custody_matter_not_an_emergency(law, text):
    chat = law()
    chat.send(text)
    assert chat.state.bucket == "intake" and chat.transfer is None


@pytest.mark.parametrize("text", [
    "how much does a divorce with a house and two kids usually cost",
    "what do you charge for a custody case",
    "cuánto cobran por llevar un divorcio",
])
def test_a_question_about_cost_is_a_fee_question_whichever_matter_it_names(law, text):
    chat = law()
    chat.send(text)
    assert chat.state.bucket == "consultation_fee"
    assert chat.transfer is None


@pytest.mark.parametrize("text", [
    "my custody case is with your firm, the other mom filed something new",
    "the invoice you sent me has a charge twice",
    "your attorney told me to send the lease once I signed it, here it is",
    "necesito una copia de mi expediente",
])
def test_a_client_is_heard_by_the_matter_the_firm_holds_its_bill_and_its_lawyers_advice(law, text):
    chat = law()
    chat.send(text)
    assert chat.state.bucket == "existing_client"
    assert chat.transfer is not None
