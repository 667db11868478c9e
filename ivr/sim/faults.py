"""Carrier faults a test can ask for: numbers Twilio refuses to text or call, and outages.

Both are answered the way Twilio's REST API answers them — an HTTP error carrying Twilio's error
JSON (`code`, `message`, `more_info`, `status`) — so the app's twilio library raises the same
`TwilioRestException` it raises against Twilio, and the app's handling of a refused staff number
(try the next person) or an outage (retry with backoff) is exercised for real.

    carrier.faults.refuse("+15125550111", code=21614)   # not a mobile: every text to it fails
    carrier.faults.fail_messages(1, status=500)          # the next text attempt gets a 500
    carrier.faults.fail_messages(1, to="+15125550199")   # ... the next one to that number
    carrier.faults.refuse_calls("+15125550211")          # every call to it fails (21211)
    carrier.faults.slow_rest(10.0)                       # every REST answer takes 10 s
    carrier.faults.slow_rest(0)                          # ... and the API is quick again
    carrier.faults.slow_webhook("/voice/incoming")       # its answer comes after 15 s
    carrier.faults.fail_webhook("/voice/incoming", 502)  # a proxy answers 502 instead
    carrier.faults.overtaken_webhook("/voice/incoming")  # it arrives after the fallback's
    stall = carrier.faults.stalled_webhook("/sms/incoming")  # the app outworks the 15 s
    carrier.faults.duplicate_callbacks()                 # every status callback comes twice
    carrier.faults.reorder_callbacks()                   # ... and the later ones come first
    carrier.faults.park_callbacks(call.sid, room.sid)    # theirs wait for ...
    carrier.release_callbacks()                          # ... this: others overtake them

A slow API (`slow_rest`) waits before it carries a request out, and carries it out even when
the client gave up meanwhile — as Twilio does: a call whose create timed out may still ring.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from ivr.sim.couriers import CallbackFaults
from ivr.sim.fallback import Stall
from ivr.sim.rest import RestError

#: Twilio's errors for a destination it will not text (HTTP 400), by error code.
REFUSALS = {
    21211: "The 'To' number {to} is not a valid phone number.",
    21408: "Permission to send an SMS has not been enabled for the region indicated by the "
           "'To' number: {to}.",
    21610: "Attempt to send to unsubscribed recipient",
    21612: "The 'To' phone number: {to}, is not currently reachable using the 'From' phone "
           "number via SMS.",
    21614: "'To' number {to} is not a valid mobile number",
}

#: Twilio's errors for a destination it will not call (HTTP 400), by error code.
CALL_REFUSALS = {
    21211: "Invalid 'To' Phone Number: {to}",
    21215: "Account not authorized to call {to}. Perhaps you need to enable some international "
           "permissions.",
    21217: "Phone number does not appear to be valid: {to}",
}

#: Twilio's answers while its API is overloaded or down, by HTTP status: (error code, message).
OUTAGES = {
    429: (20429, "Too Many Requests"),
    500: (20500, "An internal server error has occurred"),
    503: (20503, "Service Unavailable"),
}


class Faults:
    """What the carrier refuses or fails right now; consulted before a text is created."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.refused: dict[str, int] = {}
        self.refused_calls: dict[str, int] = {}
        self._outages: deque[int] = deque()
        self._outages_to: dict[str, deque[int]] = {}
        self._slow_s = 0.0
        self._slow_left: int | None = None
        #: How status callbacks are delivered (ivr/sim/couriers.py reads it).
        self.callbacks = CallbackFaults()
        self._webhooks: dict[str, deque[str | int | Stall]] = {}
        #: Requests held on the way to the app (`overtaken_webhook`) until the fallback they
        #: caused has been answered (ivr/sim/fallback.py delivers them then).
        self.held: list[Callable[[], object]] = []

    def slow_webhook(self, path: str, count: int = 1) -> None:
        """The app's answers to the next `count` requests for `path` come after Twilio's 15 s
        limit: each is delivered and acted on, but the carrier has given up (error 11205) and
        falls back (ivr/sim/fallback.py) — without a test waiting 15 s."""
        with self._lock:
            self._webhooks.setdefault(path, deque()).extend(["late"] * count)

    def overtaken_webhook(self, path: str, count: int = 1) -> None:
        """The next `count` requests for `path` reach the app only after Twilio fell back (a
        proxy's queue held them past the 15 s limit): the fallback is requested and answered
        first, then the held request arrives, and its answer is discarded (error 11205)."""
        with self._lock:
            self._webhooks.setdefault(path, deque()).extend(["overtaken"] * count)

    def stalled_webhook(self, path: str) -> Stall:
        """The next request for `path` reaches the app at once, and the app is still working
        on it when Twilio's 15 s run out (a slow primary: its work straddles the fallback's).
        Returns the `Stall` to set `working` on when the app is held up; the fallback is
        requested then, and `overtaken` is set once it has answered."""
        stall = Stall()
        with self._lock:
            self._webhooks.setdefault(path, deque()).append(stall)
        return stall

    def take_held(self) -> list[Callable[[], Any]]:
        """The held requests, to deliver now (each once)."""
        with self._lock:
            held, self.held = self.held, []
        return held

    def fail_webhook(self, path: str, status: int = 502, count: int = 1) -> None:
        """The next `count` requests for `path` are answered `status` in front of the app (a
        proxy while the app restarts): the app never sees them (error 11200)."""
        with self._lock:
            self._webhooks.setdefault(path, deque()).extend([status] * count)

    def webhook_fault(self, url: str) -> str | int | Stall | None:
        """The fault the request for `url` meets now ("late", "overtaken", an HTTP status, a
        `Stall`, or None)."""
        with self._lock:
            queue = self._webhooks.get(urlsplit(url).path)
            return queue.popleft() if queue else None

    def duplicate_callbacks(self, on: bool = True) -> None:
        """Deliver every status callback (call progress, conference events, message and
        recording status) twice, each a fresh request: Twilio promises at-least-once."""
        self.callbacks.duplicate = on

    def reorder_callbacks(self, on: bool = True, hold_s: float | None = None) -> None:
        """Deliver the status callbacks about one call, conference or message newest first
        (a "completed" before its "in-progress"): Twilio promises no order. They are held
        until none has come about that resource for `hold_s` (default 0.3 s)."""
        self.callbacks.reorder = on
        if hold_s is not None:
            self.callbacks.hold_s = hold_s

    def park_callbacks(self, *sids: str) -> None:
        """Keep every status callback about these calls or conferences until the test calls
        `carrier.release_callbacks()`: Twilio keeps no order across resources, so an agent's
        leg may report "completed" before the conference reports who joined and left."""
        self.callbacks.parked.update(sids)

    def slow_rest(self, seconds: float, count: int | None = None) -> None:
        """Make the REST API answer after `seconds` (0: quick again): the next `count`
        requests, or every request until changed. Each is carried out when its wait ends,
        whether or not its client is still waiting (Twilio acts on what it received)."""
        with self._lock:
            self._slow_s, self._slow_left = max(0.0, seconds), count

    def rest_delay(self) -> float:
        """Seconds the REST request arriving now waits before it is carried out (counts it)."""
        with self._lock:
            if self._slow_s <= 0 or self._slow_left == 0:
                return 0.0
            if self._slow_left is not None:
                self._slow_left -= 1
            return self._slow_s

    def delay_rest(self) -> None:
        """Wait as a slow API would before carrying out the request arriving now."""
        delay = self.rest_delay()
        if delay:
            time.sleep(delay)

    def refuse(self, number: str, code: int = 21614) -> None:
        """Refuse every text to `number` with Twilio error `code` (see REFUSALS)."""
        if code not in REFUSALS:
            raise ValueError(f"unknown refusal code {code}; one of {sorted(REFUSALS)}")
        with self._lock:
            self.refused[number] = code

    def refuse_calls(self, number: str, code: int = 21211) -> None:
        """Refuse every call to `number` with Twilio error `code` (see CALL_REFUSALS)."""
        if code not in CALL_REFUSALS:
            raise ValueError(f"unknown call refusal code {code}; one of {sorted(CALL_REFUSALS)}")
        with self._lock:
            self.refused_calls[number] = code

    def fail_messages(self, count: int = 1, status: int = 500, to: str | None = None) -> None:
        """Fail the next `count` attempts to send a text with HTTP `status` (see OUTAGES); with
        `to`, only attempts to that number (a test then need not know what else is sent first)."""
        if status not in OUTAGES:
            raise ValueError(f"unknown outage status {status}; one of {sorted(OUTAGES)}")
        with self._lock:
            queue = self._outages if to is None else self._outages_to.setdefault(to, deque())
            queue.extend([status] * count)

    def outages_left(self, to: str | None = None) -> int:
        """Failures still waiting for the next texts (to `to`, or to anyone)."""
        with self._lock:
            return len(self._outages if to is None else self._outages_to.get(to, ()))

    def check_message(self, to: str) -> None:
        """Raise the RestError Twilio would answer a text to `to` with now, if any."""
        with self._lock:
            mine = self._outages_to.get(to)
            status = (mine.popleft() if mine else
                      self._outages.popleft() if self._outages else None)
            refusal = self.refused.get(to)
        if status is not None:
            code, message = OUTAGES[status]
            raise RestError(status, code, message)
        if refusal is not None:
            raise RestError(400, refusal, REFUSALS[refusal].format(to=to))

    def check_call(self, to: str) -> None:
        """Raise the RestError Twilio would answer a call to `to` with, if it refuses it."""
        with self._lock:
            refusal = self.refused_calls.get(to)
        if refusal is not None:
            raise RestError(400, refusal, CALL_REFUSALS[refusal].format(to=to))
