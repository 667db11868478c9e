"""Handsets: the people on the carrier's network — texters, callers and on-call staff.

A `Phone` texts and calls the app, keeps an inbox, and (when seated as an agent) answers the
calls the app places according to a behaviour: accept, pass, no_answer, busy, voicemail or
manual (the test drives the answered call itself).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from ivr.sim import lifecycle
from ivr.sim.messaging import Message, text_app
from ivr.sim.wait import settle, wait_for

if TYPE_CHECKING:
    from ivr.sim.call import Call
    from ivr.sim.carrier import Carrier

Behaviour = Literal["accept", "pass", "no_answer", "busy", "voicemail", "manual"]
BEHAVIOURS = ("accept", "pass", "no_answer", "busy", "voicemail", "manual")
#: Twilio's AnsweredBy values (answering machine detection).
ANSWERED_BY = ("human", "machine_start", "machine_end_beep", "machine_end_silence",
               "machine_end_other", "fax", "unknown")


class Phone:
    """One number's handset.

    Attributes:
        number: E.164.
        inbox: every text this phone received, in order.
        calls: every call placed to or from this phone, in order.
        behaviour: how it answers calls the app places (None: it never answers).
        keys: what it presses at successive <Gather>s of an answered call ("1" = press 1 at the
            first; a list for several gathers); after that its gathers time out silently.
    """

    def __init__(self, carrier: Carrier, number: str) -> None:
        self.carrier = carrier
        self.number = number
        self.inbox: list[Message] = []
        self.calls: list[Call] = []
        self.behaviour: Behaviour | None = None
        self.keys: list[str] = []
        #: What answering machine detection reports for this seat (None: what its behaviour
        #: sounds like: human, or a machine for `voicemail`).
        self.answered_by: str | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Phone({self.number!r}, behaviour={self.behaviour!r})"

    # --- SMS -----------------------------------------------------------------------------
    def receive(self, message: Message) -> None:
        with self._lock:
            self.inbox.append(message)

    @property
    def texts(self) -> list[str]:
        """The bodies of every text received, in order."""
        return [m.body for m in list(self.inbox)]

    def text(self, to: str, body: str, media: Sequence[str] | None = None,
             sid: str | None = None, *, expect: int = 0, settle_s: float | None = None,
             timeout: float = 10.0, signing: str = "valid",
             extra: Mapping[str, str | list[str]] | None = None) -> list[str]:
        """Text the app at `to`; return the bodies that reached this phone in reply.

        Replies are the TwiML <Message>s plus texts the app sends by REST while handling it,
        collected until nothing new arrives for `settle_s` seconds (default
        `carrier.settle_s`). With `expect=n`, first wait (up to `timeout`) for at least n.

        Args:
            sid: reuse a MessageSid to replay a retried webhook.
            signing: "valid", "missing" or "wrong" (to check forged requests are refused).
            extra: further webhook fields (OptOutType; a list value is a repeated field).
        """
        before = len(self.inbox)
        text_app(self.carrier, self.number, to, body, list(media or []), sid, signing, extra)
        if expect:
            wait_for(lambda: len(self.inbox) - before >= expect, timeout,
                     f"{expect} text(s) to {self.number}")
        quiet = self.carrier.settle_s if settle_s is None else settle_s
        settle(lambda: len(self.inbox), quiet)
        return [m.body for m in self.inbox[before:]]

    def wait_for_text(self, contains: str = "", timeout: float = 5.0,
                      since: int = 0) -> Message:
        """The first text (from index `since`) whose body contains `contains`."""
        def found() -> Message | None:
            for message in list(self.inbox)[since:]:
                if contains.lower() in message.body.lower():
                    return message
            return None
        return wait_for(found, timeout, f"a text to {self.number} containing {contains!r}")

    # --- voice ---------------------------------------------------------------------------
    def call(self, to: str, on_stream: Callable[..., object] | None = None) -> Call:
        """Call the app at `to`; the call runs in its own thread. Returns at once."""
        return lifecycle.start_inbound(self.carrier, self, to, on_stream)

    def add_call(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    @property
    def heard(self) -> list[str]:
        """Everything heard on every call of this phone, in order."""
        return [line for call in list(self.calls) for line in list(call.heard)]

    def wait_for_call(self, timeout: float = 5.0, index: int = 0) -> Call:
        """The `index`-th call of this phone, once it exists."""
        return wait_for(lambda: self.calls[index] if len(self.calls) > index else None,
                        timeout, f"call #{index + 1} for {self.number}")

    def seat(self, behaviour: Behaviour = "accept", keys: str | Sequence[str] = "1",
             answered_by: str | None = None) -> Phone:
        """Make this phone an on-call seat that answers the app's calls as `behaviour`.

        `answered_by`: what answering machine detection reports when the app asked for it —
        e.g. "unknown", which Twilio sends when it could not tell (a person who said nothing,
        a noisy line); default: "human", or a machine for `voicemail`.
        """
        if behaviour not in BEHAVIOURS:
            raise ValueError(f"unknown behaviour {behaviour!r}; one of {BEHAVIOURS}")
        if answered_by is not None and answered_by not in ANSWERED_BY:
            raise ValueError(f"unknown AnsweredBy {answered_by!r}; one of {ANSWERED_BY}")
        self.behaviour = behaviour
        self.answered_by = answered_by
        self.keys = [keys] if isinstance(keys, str) else list(keys)
        return self
