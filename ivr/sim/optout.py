"""Twilio's own opt-out handling on a long code (default Opt-Out Management), on by default.

What Twilio does (its support article "Twilio support for opt-out keywords (SMS STOP
filtering)", and "Getting Started with Advanced Opt-Out"), and what the sim therefore does:
- a keyword counts only as the whole message (any case, surrounding spaces ignored);
- STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT (and REVOKE, OPTOUT) block every later text from
  that business number to the sender — a REST text gets HTTP 400 with error 21610, a TwiML reply
  is dropped (21610 in the debugger: `carrier.errors`) — and Twilio answers with its own
  confirmation;
- START, YES, UNSTOP lift the block with Twilio's confirmation (the sim answers them only when
  there was a block to lift: a "yes" answering a question is no keyword to a texter who never
  opted out);
- HELP, INFO get Twilio's help reply, unless the sender is opted out;
- the text is still forwarded to the Messaging URL; with Advanced Opt-Out (a Messaging Service)
  the webhook also carries `OptOutType` (STOP, START or HELP).

It is on by default because a long code, the number a small business buys, has it on; the
app's default (`sms.carrier_handles_keywords: true`) counts on it. A business whose number does
not answer keywords (a standalone short code) is `carrier.opt_out_management(False)`. Forged
webhooks (`signing=` other than "valid") never passed through Twilio, so they are not handled.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Literal

Keyword = Literal["stop", "start", "help"]

OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE",
                           "OPTOUT"})
OPT_IN_WORDS = frozenset({"START", "YES", "UNSTOP"})
HELP_WORDS = frozenset({"HELP", "INFO"})

#: Twilio's default replies on a long code.
STOP_REPLY = ("You have successfully been unsubscribed. You will not receive any more messages "
              "from this number. Reply START to resubscribe.")
START_REPLY = ("You have successfully been re-subscribed to messages from this number. Reply "
               "HELP for help. Reply STOP to unsubscribe. Msg&Data Rates May Apply.")
HELP_REPLY = "Reply STOP to unsubscribe. Msg&Data Rates May Apply."

#: Twilio's message for error 21610.
UNSUBSCRIBED = "Attempt to send to unsubscribed recipient"


def keyword(body: str) -> Keyword | None:
    """The opt-out keyword `body` is, as Twilio reads it (the whole message), or None."""
    word = body.strip().upper()
    if word in OPT_OUT_WORDS:
        return "stop"
    if word in OPT_IN_WORDS:
        return "start"
    if word in HELP_WORDS:
        return "help"
    return None


@dataclass
class OptOuts:
    """The carrier's opt-out list and how it answers keywords.

    Attributes:
        enabled: Twilio answers and blocks on keywords (a long code's default).
        advanced: Advanced Opt-Out: the webhook carries `OptOutType`.
        blocked: (business number, handset) pairs Twilio will not text.
    """

    enabled: bool = True
    advanced: bool = False
    blocked: set[tuple[str, str]] = field(default_factory=set)
    #: Every (from, to) a text was refused for with 21610, REST or TwiML, in order.
    refused: list[tuple[str, str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def opt_out(self, number: str, handset: str) -> None:
        """`handset` is on the list for `number` already: it texted STOP where the app could
        not see it (while the webhook was down, or before the number was the app's)."""
        with self._lock:
            self.blocked.add((number, handset))

    def blocks(self, from_: str, to: str) -> bool:
        """Whether a text from `from_` to `to` is refused (error 21610); a refusal is noted."""
        with self._lock:
            if (from_, to) not in self.blocked:
                return False
            self.refused.append((from_, to))
            return True

    def receive(self, sender: str, number: str, body: str) -> tuple[str | None, dict[str, str]]:
        """A handset `sender` texted `body` to the business `number`: apply the keyword.

        Returns Twilio's own reply (None: none) and the fields it adds to the webhook.
        """
        word = keyword(body) if self.enabled else None
        if word is None:
            return None, {}
        pair = (number, sender)
        with self._lock:
            was_blocked = pair in self.blocked
            if word == "stop":
                self.blocked.add(pair)
            elif word == "start":
                self.blocked.discard(pair)
        extra = {"OptOutType": word.upper()} if self.advanced else {}
        if word == "stop":
            return STOP_REPLY, extra
        if word == "start":
            return (START_REPLY if was_blocked else None), extra
        return (None if was_blocked else HELP_REPLY), extra
