"""A texter who answers follow-up questions, for end-to-end SMS tests through the carrier sim."""

from __future__ import annotations

from jobs_support import settle

#: Seconds to wait for more replies after the last one; replies arrive within the webhook's own
#: response (TwiML and texts sent while handling it), so a short settle is enough.
QUICK = 0.05


def converse(phone, to: str, first: str, answers: dict[str, str], turns: int = 8) -> list[str]:
    """Text `first` to `to`, then answer each question whose words match a key of `answers`.

    Returns every text the phone received during the conversation, in order.
    """
    received = phone.text(to, first, settle_s=QUICK)
    for _ in range(turns):
        last = received[-1].lower() if received else ""
        reply = next((a for q, a in answers.items() if q in last), None)
        if reply is None:
            break
        received += phone.text(to, reply, settle_s=QUICK)
    return received


def handoff_texts(runtime, carrier, staff: str, record: dict) -> list[str]:
    """The summaries `staff` was texted about this conversation, once the worker has sent what
    the webhook queued. (When nobody then answers the call-back, a "Callback request" follows:
    that is not a summary, and when it arrives depends on the ringing.)"""
    settle(runtime)
    return [t for t in carrier.agent(staff).texts if f"Conversation {record['id']}" in t]


def bot_lines(runtime, phone: str) -> list[list[str]]:
    """The bot's lines in each of `phone`'s conversations (in no set order: the tests' clock
    may start two in the same millisecond)."""
    return [[t["text"] for t in r["transcript"] if t["role"] == "bot"]
            for r in runtime.store.conversations(phone=phone)]


def as_lines(messages: list[str]) -> list[str]:
    """The texts a phone received, one line each (a reply's texts share a message, a line
    apiece), to compare with the transcript's lines."""
    return [line for message in messages for line in message.split("\n")]
