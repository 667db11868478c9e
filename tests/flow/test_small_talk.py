"""Greetings, "okay" and "sorry, what?" get a warm answer, never a "Sorry, I didn't catch that",
never count towards the keypad menu or a handover, and never land in the unanswered log."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text", ["hi", "hello", "Good morning!", "hey there", "hi, anyone there?"])
def test_a_greeting_is_answered_warmly_with_the_opening_question(hvac, text):
    chat = hvac()
    chat.send(text)
    assert "Sorry" not in chat.said
    assert "How can I help you today?" in chat.said
    assert chat.ask.slot == "intent" and chat.state.attempts == 0
    assert chat.unanswered == []


def test_how_are_you_gets_a_friendly_reply_not_the_unanswered_log(law):
    chat = law(channel="voice")
    chat.call()
    chat.send("hi, how are you?")
    assert chat.said.startswith("I'm doing well, thanks for asking!")
    assert chat.unanswered == [] and chat.state.attempts == 0


def test_hello_on_a_call_gets_a_hello_back(hvac):
    chat = hvac(channel="voice")
    chat.call()
    chat.send("hello?")
    assert chat.said.startswith("Hello! How can I help you today?")


@pytest.mark.parametrize("text", ["ok", "okay", "sure"])
def test_an_acknowledgement_at_the_opening_question_does_not_end_the_conversation(shop, text):
    chat = shop()
    chat.send(text)
    assert chat.outcome is None
    assert chat.ask.slot == "intent" and chat.state.attempts == 0


def test_small_talk_while_a_question_is_open_asks_it_again_without_a_strike(hvac):
    chat = hvac(channel="voice")
    chat.call()
    chat.send("can I get a quote")
    assert chat.ask.slot == "system"
    chat.send("sorry, what?")
    assert chat.ask.slot == "system" and not chat.ask.menu
    assert chat.state.attempts == 0
    chat.send("ok")
    assert chat.ask.slot == "system" and chat.state.attempts == 0
    chat.send("heat pump")
    assert chat.state.slots["system"] == "heat_pump"


def test_a_greeting_then_the_problem_is_understood(hvac):
    chat = hvac()
    chat.send("hi")
    chat.send("my thermostat is blank")
    assert chat.state.bucket == "emergency_repair"


def test_a_greeting_with_a_request_is_the_request(hvac):
    chat = hvac()
    chat.send("Hi! my furnace is making a loud noise")
    assert chat.state.bucket == "emergency_repair"
    assert chat.transfer is not None


def test_endless_small_talk_still_reaches_the_keypad_menu(hvac):
    chat = hvac(channel="voice")
    chat.call()
    for _ in range(4):
        chat.send("okay")
    assert chat.state.attempts == 1
    chat.send("", kind="no_match")
    assert chat.ask.menu


def test_thanks_after_an_answer_still_closes_politely(shop):
    chat = shop(channel="voice")
    chat.call()
    chat.send("is the lavender soap vegan")
    chat.send("thanks")
    assert chat.outcome == "resolved"
