"""STOP, START and HELP by text: carrier keywords are honoured before any flow runs."""

from __future__ import annotations

import pytest
from signing import messages, signed_post, sms_form

from ivr.handoff.outbound import OptedOut, send_sms

LAW = "+15125550100"
TEXTER = "+15125550199"


def text(client, body: str, **kw):
    return signed_post(client, "/sms/incoming", sms_form(body, sender=TEXTER, to=LAW, **kw))


def conversations_of(runtime, phone: str = TEXTER):
    return runtime.store.conversations(phone=phone)


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


def test_start_opts_back_in_with_a_confirmation(client, runtime):
    text(client, "STOP")
    [reply] = messages(text(client, "start").data)
    assert "Hartley Family Law" in reply and "STOP" in reply
    assert not runtime.store.opted_out("hartley-family-law", TEXTER)


@pytest.mark.parametrize("word", ["UNSTOP", "yes"])
def test_other_opt_in_words_lift_an_opt_out(client, runtime, word):
    text(client, "quit")
    assert messages(text(client, word).data)
    assert not runtime.store.opted_out("hartley-family-law", TEXTER)


def test_opting_out_of_one_business_leaves_the_others_alone(client, runtime):
    text(client, "STOP")
    assert not runtime.store.opted_out("polar-bear-hvac", TEXTER)


@pytest.mark.parametrize("word", ["HELP", "help", "Info"])
def test_help_names_the_business_and_how_to_reach_a_person(client, runtime, word):
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
