"""The flow's actions as text messages: what a texter reads, and which words are keywords."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from twilio.twiml.messaging_response import MessagingResponse

from ivr.flow.actions import (
    Ask,
    Choice,
    End,
    NotifyStaff,
    QueueFollowUp,
    Say,
    Transfer,
    Unanswered,
)
from ivr.twilio.messaging import (
    MAX_MESSAGE_CHARS,
    bodies,
    clip,
    disclose,
    keyword,
    menu_of,
    messaging_twiml,
    reply_texts,
)

MENU = (Choice("1", "a heating problem", "heating"), Choice("2", "a cooling problem", "cooling"))


@pytest.mark.parametrize(("body", "expected"), [
    ("STOP", "stop"), (" stop ", "stop"), ("\tStopAll\n", "stop"), ("unsubscribe", "stop"),
    ("Stop!", None), ("STOP.", None), ("help?", None),
    ("START", "start"), ("unstop", "start"), ("Yes", "start"),
    ("HELP", "help"), ("info", "help"),
    ("stop texting me", None), ("please help", None), ("", None), ("startle", None),
])
def test_only_a_keyword_alone_counts(body, expected):
    assert keyword(body) == expected


@pytest.mark.parametrize(("body", "opt_out_type", "expected"), [
    ("ARRETEZ", "STOP", "stop"), ("Stop!", "stop", "stop"), ("ALTO", "START", "start"),
    ("AYUDA", "HELP", "help"), ("STOP", "", "stop"),
])
def test_twilios_opt_out_type_decides_when_present(body, opt_out_type, expected):
    """Advanced Opt-Out's custom or localised keywords reach us only as OptOutType."""
    assert keyword(body, opt_out_type) == expected


def test_a_menu_question_lists_numbered_replies():
    [text] = reply_texts([Ask("issue", "What's going on?", choices=MENU)])
    assert text == "What's going on? Reply 1 for a heating problem, 2 for a cooling problem."
    assert menu_of([Ask("issue", "What's going on?", choices=MENU)]) == {
        "1": "a heating problem", "2": "a cooling problem"}


def test_only_the_last_question_offers_a_menu():
    assert menu_of([Ask("issue", "?", choices=MENU), Ask("town", "Which town?")]) == {}


def test_a_transfer_names_the_person_who_will_reach_out():
    texts = reply_texts([Say("Got it."), Transfer("intake", ("qualified",), "summary")],
                        handoff="Dana Ortiz")
    assert texts == ["Got it.",
                     "Thanks — I'm passing this to Dana, who will call you in a minute."]


def test_a_transfer_nobody_was_reached_for_promises_the_team():
    [text] = reply_texts([Transfer("intake", (), "s")], handoff=None)
    assert "our team" in text


def test_bookkeeping_actions_send_nothing():
    assert reply_texts([NotifyStaff("s"), Unanswered("q"), End("resolved")]) == []


def test_an_after_hours_follow_up_confirms_when_to_expect_a_reply():
    [text] = reply_texts([QueueFollowUp("s", confirmation="We'll text you by 9 AM.")])
    assert text == "We'll text you by 9 AM."


def test_the_first_reply_says_it_is_automated():
    assert disclose(["How can I help?"], "Polar Bear HVAC")[0].startswith(
        "Hi, this is the automated assistant for Polar Bear HVAC")
    assert disclose(["Hi, I'm the virtual assistant."], "X") == ["Hi, I'm the virtual assistant."]


def test_short_texts_share_one_message_and_long_ones_are_split_at_words():
    assert bodies(["one", "two"]) == ["one\ntwo"]
    long = " ".join(["word"] * 1000)
    parts = bodies([long])
    assert len(parts) > 1
    assert all(len(p) <= MAX_MESSAGE_CHARS for p in parts)
    assert " ".join(parts).split() == long.split()


def test_a_very_long_body_is_cut_safely():
    assert len(clip("x" * 100_000)) == 1600
    assert clip("  hi\x00 there ") == "hi there"


def test_twiml_escapes_text_and_an_empty_reply_has_no_message():
    root = ET.fromstring(messaging_twiml(["5 < 6 & \"quotes\""]))
    assert [m.text for m in root.iter("Message")] == ["5 < 6 & \"quotes\""]
    assert list(ET.fromstring(messaging_twiml([])).iter("Message")) == []


@pytest.mark.parametrize("texts", [
    [], [""], ["Hi"], ["5 < 6 & \"quotes\" 'apostrophes' > 4"],
    ["line one\nline two", "second text"], ["x " * 1000], ["é ü ñ 🙂 \t tab", "&amp; twice"],
])
def test_twiml_is_byte_for_byte_what_twilio_s_library_writes(texts):
    """The reply is written out directly (it is every text turn's): it must be exactly the
    XML twilio's own `MessagingResponse` makes of the same bodies."""
    response = MessagingResponse()
    for body in bodies(texts):
        response.message(body)
    assert messaging_twiml(texts) == str(response)


def test_a_follow_up_without_its_own_confirmation_uses_the_queue_s():
    [text] = reply_texts([QueueFollowUp("s")], follow_up="We'll get back to you Monday.")
    assert text == "We'll get back to you Monday."


def test_a_menu_the_prompt_already_lists_is_not_listed_twice():
    prompt = "Sorry, I didn't get that. Reply with a number: 1 for a heating problem, 2 for a cooling problem."
    [text] = reply_texts([Ask("issue", prompt, choices=MENU, menu=True)])
    assert text == prompt


def test_the_named_handoff_replaces_the_flows_unnamed_one():
    generic = "Thanks. Someone from our team will call you in a moment."
    actions = [Say("Call 911 if you are in danger."), Say(generic, handoff=True),
               Transfer("emergency", (), "s")]
    assert reply_texts(actions, handoff="Dana Ortiz") == [
        "Call 911 if you are in danger.",
        "Thanks — I'm passing this to Dana, who will call you in a minute."]
    assert generic in reply_texts(actions, handoff=None)
