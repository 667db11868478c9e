"""STOP, START and HELP by text: carrier keywords are honoured before any flow runs.

On a long code Twilio answers STOP, START and HELP itself, so by default we do not answer them
a second time; a business whose carrier does not (`sms: {carrier_handles_keywords: false}`)
gets our replies, or its own wording.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from signing import messages, signed_post, sms_form

from ivr.config.business import SmsKeywords
from ivr.config.directory import Directory
from ivr.handoff.outbound import OptedOut, send_sms

LAW = "+15125550100"
TEXTER = "+15125550199"


def text(client, body: str, **kw):
    return signed_post(client, "/sms/incoming", sms_form(body, sender=TEXTER, to=LAW, **kw))


def conversations_of(runtime, phone: str = TEXTER):
    return runtime.store.conversations(phone=phone)


def answering_keywords(runtime, **wording: str) -> None:
    """The law firm answers HELP and START itself (its carrier's keyword replies are off)."""
    runtime.directory = Directory([
        replace(b, sms=SmsKeywords(carrier_handles_keywords=False, **wording))
        if b.key == "hartley-family-law" else b for b in runtime.directory])


@pytest.fixture
def own_replies(runtime):
    answering_keywords(runtime)


@pytest.mark.parametrize("word", ["STOP", "stop", " Stop ", "STOPALL", "unsubscribe", "Cancel",
                                  "END", "quit"])
def test_stop_word_alone_opts_out_without_a_reply_from_us(client, runtime, word):
    response = text(client, word)
    assert response.status_code == 200
    assert messages(response.data) == []  # Twilio itself sends the required confirmation
    [record] = conversations_of(runtime)
    assert record["outcome"] == "opted_out"
    assert record["ended_at"] is not None
    assert runtime.store.opted_out("hartley-family-law", TEXTER)


def test_help_is_not_an_opt_out(client, runtime):
    text(client, "HELP")
    assert not runtime.store.opted_out("hartley-family-law", TEXTER)
    assert conversations_of(runtime) == []


def test_nothing_more_is_texted_to_an_opted_out_number(client, runtime):
    text(client, "STOP")
    assert messages(text(client, "hello? is anyone there").data) == []
    assert messages(text(client, "HELP").data) == []
    with pytest.raises(OptedOut):
        send_sms(runtime, "hartley-family-law", TEXTER, "Your consultation is tomorrow")


def test_start_opts_back_in_with_a_confirmation(client, runtime, own_replies):
    text(client, "STOP")
    [reply] = messages(text(client, "start").data)
    assert "Hartley Family Law" in reply and "STOP" in reply
    assert not runtime.store.opted_out("hartley-family-law", TEXTER)


@pytest.mark.parametrize("word", ["UNSTOP", "yes"])
def test_other_opt_in_words_lift_an_opt_out(client, runtime, own_replies, word):
    text(client, "quit")
    assert messages(text(client, word).data)
    assert not runtime.store.opted_out("hartley-family-law", TEXTER)


def test_opting_out_of_one_business_leaves_the_others_alone(client, runtime):
    text(client, "STOP")
    assert not runtime.store.opted_out("polar-bear-hvac", TEXTER)


@pytest.mark.parametrize("word", ["HELP", "help", "Info"])
def test_help_names_the_business_and_how_to_reach_a_person(client, runtime, own_replies,
                                                            word):
    [reply] = messages(text(client, word).data)
    assert "Hartley Family Law" in reply
    assert "automated assistant" in reply
    assert "+15125550100" in reply  # the number to call for a person
    assert "STOP" in reply


def test_a_retried_stop_acts_once(client, runtime):
    form = sms_form("STOP", sender=TEXTER, to=LAW)
    first = signed_post(client, "/sms/incoming", form)
    again = signed_post(client, "/sms/incoming", form)
    assert first.data == again.data
    [record] = conversations_of(runtime)
    assert [t["text"] for t in record["transcript"]] == ["STOP"]


def test_help_on_a_long_code_gets_one_reply_not_two(client, runtime):
    """Twilio answers HELP on a long code itself; our answer made the texter's second."""
    assert messages(text(client, "HELP").data) == []
    assert messages(text(client, "info", OptOutType="HELP").data) == []
    assert conversations_of(runtime) == []


def test_start_on_a_long_code_opts_back_in_without_a_second_confirmation(client, runtime):
    text(client, "STOP")
    assert messages(text(client, "START").data) == []
    assert not runtime.store.opted_out("hartley-family-law", TEXTER)


def test_a_business_can_word_its_own_help_and_start_replies(client, runtime):
    answering_keywords(runtime, help_reply="{name} help desk: call {contact}. STOP to end.",
                       start_reply="Welcome back to {name}!")
    assert messages(text(client, "HELP").data) == [
        "Hartley Family Law help desk: call +15125550100. STOP to end."]
    text(client, "STOP")
    assert messages(text(client, "START").data) == ["Welcome back to Hartley Family Law!"]


@pytest.mark.parametrize("body", ["STOP!", "Stop.", "stop please", "STOP STOP"])
def test_stop_with_punctuation_is_not_an_opt_out(client, runtime, body):
    """Twilio does not block "STOP!" (not exactly a keyword), so neither may we: we would
    silence a texter who can still be reached and who is mid-conversation."""
    assert messages(text(client, body).data)
    assert not runtime.store.opted_out("hartley-family-law", TEXTER)
    assert all(r["outcome"] != "opted_out" for r in conversations_of(runtime))


def test_a_texter_twilio_opted_out_by_a_custom_keyword_is_never_texted(client, runtime):
    """Advanced Opt-Out: a custom or localised keyword reaches us only as OptOutType=STOP.
    Twilio blocks the number from then on; texting it anyway fails (21610) every time."""
    assert messages(text(client, "ARRETEZ", OptOutType="STOP").data) == []
    assert runtime.store.opted_out("hartley-family-law", TEXTER)
    [record] = conversations_of(runtime)
    assert record["outcome"] == "opted_out"
    assert messages(text(client, "I need a divorce lawyer").data) == []
    with pytest.raises(OptedOut):
        send_sms(runtime, "hartley-family-law", TEXTER, "Your consultation is tomorrow")
    text(client, "REPRENDRE", OptOutType="START")
    assert not runtime.store.opted_out("hartley-family-law", TEXTER)


def test_a_keyword_twilio_did_not_take_as_one_is_a_normal_text(client, runtime):
    """OptOutType decides when present: a message Twilio tags as HELP is not an opt-out even
    if it reads like one under another account's keywords."""
    text(client, "STOP", OptOutType="HELP")
    assert not runtime.store.opted_out("hartley-family-law", TEXTER)
