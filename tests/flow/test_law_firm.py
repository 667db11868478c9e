"""Hartley Family Law: qualify before anyone's phone rings; decline kindly with a referral."""

from __future__ import annotations

from flowchat import FRIDAY_NIGHT

from ivr.flow.actions import Transfer

ONE_MESSAGE = ("I need help with a custody case in Austin Texas, hearing is next month, "
               "no lawyer yet, I can spend about five grand")


def test_one_message_intake_is_qualified_and_transferred_without_more_questions(law):
    chat = law()
    chat.send(ONE_MESSAGE)
    assert chat.state.slots == {"matter_type": "custody", "jurisdiction": "TX",
                                "timeline": "next month", "representation": "no",
                                "budget": 5000}
    assert chat.ask is None
    transfer = chat.transfer
    assert isinstance(transfer, Transfer)
    assert transfer.skill == "intake" and transfer.reasons == ("qualified",)
    assert chat.outcome == "qualified"
    for fact in ("child custody", "Texas", "next month", "$5,000", "+15125550199"):
        assert fact in transfer.summary


def test_first_reply_says_it_is_a_virtual_assistant_of_the_firm(law):
    chat = law(channel="voice")
    chat.call()
    assert chat.said.startswith("Hi, this is the virtual assistant for Hartley Family Law")


def test_qualified_step_by_step_by_voice(law):
    chat = law(channel="voice")
    chat.call()
    chat.send("I'm going through a divorce")
    assert chat.ask.slot == "jurisdiction"
    assert chat.ask.confirm == "TX"  # suggested from the caller's area code, to confirm
    chat.send("yes")
    assert chat.ask.slot == "timeline"
    chat.send("we have a hearing within two weeks")
    assert chat.ask.slot == "representation"
    chat.send("no I don't")
    assert chat.ask.slot == "budget"
    chat.send("maybe ten thousand dollars")
    assert chat.transfer is not None and chat.transfer.reasons == ("qualified",)
    assert chat.state.turn == 5


def test_the_suggested_state_is_confirmed_never_assumed(law):
    chat = law(channel="voice")
    chat.call()
    chat.send("I need a divorce")
    assert "jurisdiction" not in chat.state.slots
    chat.send("no, it's in Oklahoma")
    assert chat.state.slots["jurisdiction"] == "OK"
    assert chat.outcome == "not_qualified"


def test_declining_the_suggestion_asks_the_plain_question(law):
    chat = law(channel="voice")
    chat.call()
    chat.send("custody")
    chat.send("no")
    assert chat.ask.slot == "jurisdiction" and chat.ask.confirm is None
    chat.send("Texas")
    assert chat.state.slots["jurisdiction"] == "TX"


def test_a_chicago_number_is_offered_illinois(law):
    chat = law(channel="voice", phone="+13125550123")
    chat.call()
    chat.send("help with child support")
    assert chat.ask.confirm == "IL"
    assert "Illinois" in chat.ask.prompt


def test_other_state_is_declined_with_a_referral_and_no_staff_disturbed(law):
    chat = law()
    chat.send("I need a divorce lawyer, the case is in Colorado")
    assert chat.outcome == "not_qualified"
    assert "Lawyer Referral Service" in chat.said
    assert chat.transfer is None and chat.queued is None


def test_already_represented_is_declined(law):
    chat = law()
    chat.send("custody question, in Texas, I already have a lawyer but want a second opinion")
    assert chat.state.slots["representation"] == "yes"
    assert chat.outcome == "not_qualified"
    assert chat.transfer is None


def test_budget_below_the_minimum_is_declined_politely(law):
    chat = law()
    chat.send("divorce in Houston, no rush, no lawyer, I can only afford about 500 dollars")
    assert chat.state.slots["budget"] == 500
    assert chat.outcome == "not_qualified"
    assert "TexasLawHelp.org" in chat.said
    assert chat.transfer is None


def test_decline_comes_as_soon_as_one_rule_fails(law):
    chat = law()
    chat.send("adoption")
    chat.send("Florida")
    assert chat.outcome == "not_qualified"
    assert "budget" not in chat.state.slots


def test_qualified_after_hours_is_queued_for_monday(law):
    chat = law(at=FRIDAY_NIGHT)
    chat.send(ONE_MESSAGE)
    assert chat.transfer is None
    assert chat.queued is not None
    assert "Monday after 8:30 AM" in chat.queued.confirmation
    assert chat.queued.skill == "intake"
    assert chat.outcome == "after_hours_queued"


def test_domestic_violence_reaches_emergency_staff_even_after_hours(law):
    chat = law(at=FRIDAY_NIGHT)
    chat.send("I need a protective order, my ex threatened me tonight")
    assert chat.transfer is not None and chat.transfer.urgent
    assert chat.transfer.skill == "emergency"
    assert "911" in " ".join(a.text for a in chat.last if hasattr(a, "text"))


def test_budget_by_keypad_menu_after_two_misses(law):
    chat = law(channel="voice")
    chat.call()
    chat.send("divorce in Texas, hearing next month, no lawyer")
    assert chat.ask.slot == "budget"
    chat.send("", kind="silence")
    chat.send("", kind="no_match")
    assert chat.ask.menu and [c.digit for c in chat.ask.choices] == ["1", "2", "3"]
    chat.send("2", kind="digits")
    assert chat.state.slots["budget"] == 5000
    assert chat.outcome == "qualified"


def test_a_qualified_lead_after_hours_is_still_qualified_when_queued(law):
    chat = law(at=FRIDAY_NIGHT)
    chat.send(ONE_MESSAGE)
    assert chat.outcome == "after_hours_queued"
    assert chat.state.qualification == {
        "result": "qualified", "reasons": ["jurisdiction", "representation", "budget"]}


def test_a_declined_lead_records_the_rule_that_failed(law):
    chat = law()
    chat.send(ONE_MESSAGE.replace("about five grand", "about five hundred dollars"))
    assert chat.outcome == "not_qualified"
    assert chat.state.qualification == {"result": "not_qualified", "reasons": ["budget"]}
