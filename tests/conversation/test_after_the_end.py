"""After the end: a texter who writes again soon is not greeted and told it's a bot twice.

A bot-only answer closes a text conversation at once, so a "thanks" that follows used to open
a new one: the greeting and the automated-assistant disclosure again, for a thank-you.
"""

from __future__ import annotations

from datetime import timedelta

from ivr.analytics import metrics
from ivr.conversation.sms import Text, answer

HVAC = "+15125550200"
TEXTER = "+15125550199"
_sids = iter(range(10_000))


def text(runtime, body: str) -> list[str]:
    business = runtime.directory.by_number(HVAC)
    return answer(runtime, business, Text(TEXTER, f"SM{next(_sids):032d}", body))


def ask_the_hours(runtime) -> None:
    first = " ".join(text(runtime, "what are your hours?"))
    assert "virtual assistant" in first and "Monday to Friday" in first  # greeted once
    assert runtime.conversations.current(runtime.directory.by_number(HVAC), "sms",
                                         TEXTER) is None  # answered and closed


def test_thanks_after_the_end_gets_a_short_reply_not_the_greeting(runtime, clock):
    ask_the_hours(runtime)
    clock.set(clock.now + timedelta(minutes=2))
    assert text(runtime, "thanks!") == ["You're welcome!"]


def test_ok_or_no_after_the_end_gets_no_reply(runtime, clock):
    ask_the_hours(runtime)
    clock.set(clock.now + timedelta(minutes=1))
    assert text(runtime, "ok") == []
    clock.set(clock.now + timedelta(minutes=1))
    assert text(runtime, "no") == []


def records_of_the_texter(runtime, clock) -> list[dict]:
    business = runtime.directory.by_number(HVAC)
    return runtime.store.conversations([business.key], since=clock.now - timedelta(days=7),
                                       phone=TEXTER)


def test_thanks_after_the_end_is_no_new_resolved_conversation_in_the_figures(runtime, clock):
    ask_the_hours(runtime)
    start = clock.now - timedelta(minutes=1)
    clock.set(clock.now + timedelta(minutes=2))
    text(runtime, "thanks!")
    clock.set(clock.now + timedelta(minutes=1))
    text(runtime, "ok")
    records = records_of_the_texter(runtime, clock)
    assert len(records) == 1  # one conversation, not three "resolved" ones
    figures = metrics.compute(records, start, clock.now + timedelta(minutes=1))
    assert figures["conversations"] == 1
    assert figures["repeat_contact_rate_48h"] == 0  # a thank-you is no coming back
    lines = [(t["role"], t["text"]) for t in records[0]["transcript"]]
    assert ("caller", "thanks!") in lines and ("bot", "You're welcome!") in lines
    assert ("caller", "ok") in lines  # kept on the conversation it answers


def test_a_new_question_the_next_day_is_not_greeted_twice(runtime, clock):
    ask_the_hours(runtime)
    clock.set(clock.now + timedelta(days=1))
    reply = " ".join(text(runtime, "do you service Round Rock?"))
    assert "Round Rock" in reply
    assert "virtual assistant" not in reply and "automated" not in reply.lower()


def test_after_the_repeat_window_the_texter_is_greeted_again(runtime, clock):
    ask_the_hours(runtime)
    clock.set(clock.now + timedelta(days=3))
    reply = " ".join(text(runtime, "do you service Round Rock?"))
    assert "virtual assistant" in reply
