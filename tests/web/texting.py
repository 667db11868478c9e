"""A texter who answers follow-up questions, for end-to-end SMS tests through the carrier sim."""

from __future__ import annotations

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
