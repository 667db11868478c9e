"""What a caller hears from the bot is what the record says they were told, word for word: the
disclosure, each prompt with its keypad choices, and the words before the transfer."""

from __future__ import annotations

from voice_calls import CALLER, LAW, conversation


def bot_lines(record: dict) -> list[str]:
    return [t["text"] for t in record["transcript"] if t["role"] == "bot"]


def test_every_prompt_the_law_firm_caller_heard_is_in_the_transcript_word_for_word(
        live_app, carrier, runtime):
    call = carrier.phone(CALLER).call(LAW)
    call.wait_for_gather()
    for key in ("1", "1", "1", "1", "2"):  # a new matter, divorce, Texas, two weeks, no lawyer
        call.press(key)
    call.press("3")                        # more than $10,000: put through to intake
    lines = bot_lines(conversation(runtime))
    assert "virtual assistant" in lines[0]
    assert "connecting you" in lines[-1].lower()
    assert call.heard[:len(lines)] == lines  # then the transfer's own hold words
    call.hangup()
