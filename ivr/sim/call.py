"""One call leg: its Twilio resource fields, what its person heard, and the controls a test (or a
seat's autopilot) uses — press, say, leave a message, stay silent, hang up.

The leg's TwiML runs on its own thread (`executor.py`); this object is the meeting point.
Every blocking verb waits through `block()`, where a REST update or a hangup interrupts it, so
"the app redirects the live call" works wherever the call happens to be.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ivr.sim.controls import Input, LineControls, Waiting
from ivr.sim.ids import API_VERSION, now, rfc2822

if TYPE_CHECKING:
    from ivr.sim.carrier import Carrier
    from ivr.sim.conference import Conference
    from ivr.sim.fallback import Fallback
    from ivr.sim.phone import Phone
    from ivr.sim.streams import Stream

#: Statuses after which a call is over.
FINAL = ("completed", "busy", "no-answer", "canceled", "failed")


@dataclass
class Document:
    """The next TwiML to run: fetched from `url` (with extra `params`) or given inline."""

    url: str = ""
    method: str = "POST"
    params: dict[str, str] = field(default_factory=dict)
    twiml: str | None = None


class Interrupted(Exception):
    """A REST update replaced the running document."""

    def __init__(self, document: Document) -> None:
        super().__init__(document.url or "inline twiml")
        self.document = document


class HungUp(Exception):
    """The call ended under the executor (caller hangup, REST completion, carrier stop)."""

    def __init__(self, status: str = "completed") -> None:
        super().__init__(status)
        self.status = status


class Call(LineControls):
    """A call leg (Twilio's Call resource plus the sim's view of the line).

    Attributes:
        heard: what this leg's person heard, in order: <Say> texts, "[play URL]", "[beep]"…
        twiml_log: every TwiML document the leg received, as (url, text).
        streams: Media Streams started on this leg (`Stream`).
        errors: what went wrong that a caller would notice (application errors).
        on_stream: `handler(stream)` run when a <Stream> starts (default: carrier.on_stream);
            it must return promptly (start its own thread to feed audio).
        bridge: the leg this one is bridged to by <Dial><Number>, if any.
        conference: the conference this leg is in, if any.
    """

    def __init__(self, carrier: Carrier, sid: str, from_: str, to: str, direction: str,
                 phone: Phone | None = None, parent: Call | None = None) -> None:
        self.carrier = carrier
        self.sid = sid
        self.from_ = from_
        self.to = to
        self.direction = direction
        self.phone = phone
        self.parent = parent
        self.status = "queued"
        self.answered_by: str | None = None
        self.heard: list[str] = []
        self.twiml_log: list[tuple[str, str]] = []
        self.streams: list[Stream] = []
        self.errors: list[str] = []
        self.on_stream: Callable[..., object] | None = None
        self.bridge: Call | None = None
        self.conference: Conference | None = None
        self.status_callback: str | None = None
        #: Where a failed fetch of this call's TwiML goes (ivr/sim/fallback.py); None: nowhere.
        self.fallback: Fallback | None = None
        self.status_method = "POST"
        self.status_events: tuple[str, ...] = ("completed",)
        self.autopilot: deque[str] | None = None
        self.date_created: datetime = now()
        self.start_time: datetime | None = None
        self.end_time: datetime | None = None
        self._cv = threading.Condition(threading.RLock())
        self._inputs: deque[Input] = deque()
        self._control: Interrupted | HungUp | None = None
        self._waiting: Waiting | None = None
        self._tokens = 0
        self._sequence = 0

    def __repr__(self) -> str:
        return f"Call({self.sid[:10]}… {self.from_}->{self.to} {self.status})"

    # --- state -------------------------------------------------------------------------------
    @property
    def ended(self) -> bool:
        return self.status in FINAL

    @property
    def duration(self) -> int:
        if not self.start_time:
            return 0
        return int(((self.end_time or now()) - self.start_time).total_seconds())

    @property
    def waiting(self) -> Waiting | None:
        return self._waiting

    @property
    def peers(self) -> list[Call]:
        """The legs this one can talk to right now (bridge partner or conference members)."""
        if self.bridge is not None and not self.bridge.ended:
            return [self.bridge]
        if self.conference is not None and self.conference.status == "in-progress":
            return [p.call for p in self.conference.current() if p.call is not self]
        return []

    def connected_to(self, other: Call) -> bool:
        """Whether this leg and `other` can hear each other now."""
        return other in self.peers

    def next_sequence(self) -> int:
        self._sequence += 1
        return self._sequence - 1

    def poke(self) -> None:
        """Wake the executor to re-check its condition (another leg changed)."""
        with self._cv:
            self._cv.notify_all()

    # --- executor side -----------------------------------------------------------------------
    def block(self, kind: str, timeout: float | None, info: dict[str, Any] | None = None,
              accepts_input: bool = False,
              until: Callable[[], bool] | None = None) -> Input | None:
        """Wait as `kind` until input (if accepted), `until()` holds, or `timeout` passes.

        Raises:
            Interrupted: a REST update arrived (the caller continues with its document).
            HungUp: the call ended.
        """
        deadline = None if timeout is None else time.monotonic() + max(0.0, timeout)
        with self._cv:
            self._tokens += 1
            self._waiting = Waiting(kind, info or {}, self._tokens)
            self._cv.notify_all()
            try:
                while True:
                    self.checkpoint()
                    if accepts_input and self._inputs:
                        return self._inputs.popleft()
                    if until is not None and until():
                        return None
                    if deadline is not None:
                        remaining = deadline - time.monotonic()
                        if remaining <= 0:
                            return None
                    else:
                        remaining = 0.5
                    self._cv.wait(min(remaining, 0.5))
            finally:
                self._waiting = None
                self._cv.notify_all()

    def checkpoint(self) -> None:
        """Raise a pending update or hangup (called between verbs and while waiting)."""
        with self._cv:
            control = self._control
            if isinstance(control, HungUp):
                raise control
            if control is not None:
                self._control = None
                raise control
            if self.carrier.stopping:
                raise HungUp("completed")

    # --- control side (tests, REST, other legs) ----------------------------------------------
    def interrupt(self, document: Document) -> None:
        """Replace whatever the call is doing with `document` (REST update with Url/Twiml)."""
        with self._cv:
            if not isinstance(self._control, HungUp):
                self._control = Interrupted(document)
            self._cv.notify_all()

    def end(self, status: str = "completed") -> None:
        """End the leg from outside (REST Status=completed/canceled, conference end, stop)."""
        with self._cv:
            if not isinstance(self._control, HungUp):
                self._control = HungUp(status)
            self._cv.notify_all()

    def set_status(self, status: str) -> None:
        with self._cv:
            self.status = status
            if status == "in-progress" and self.start_time is None:
                self.start_time = now()
            if status in FINAL and self.end_time is None:
                self.end_time = now()
            self._cv.notify_all()

    # --- REST ----------------------------------------------------------------------------------
    def to_json(self) -> dict[str, object]:
        base = self.carrier.base_path
        uri = f"{base}/Calls/{self.sid}.json"
        return {
            "sid": self.sid, "account_sid": self.carrier.account_sid, "api_version": API_VERSION,
            "to": self.to, "to_formatted": self.to, "from": self.from_,
            "from_formatted": self.from_, "status": self.status, "direction": self.direction,
            "answered_by": self.answered_by, "parent_call_sid": self.parent.sid
            if self.parent else None, "caller_name": None, "forwarded_from": None,
            "group_sid": None, "phone_number_sid": None, "trunk_sid": None, "queue_time": "0",
            "price": None, "price_unit": "USD", "duration": str(self.duration)
            if self.ended else None,
            "date_created": rfc2822(self.date_created), "date_updated": rfc2822(now()),
            "start_time": rfc2822(self.start_time), "end_time": rfc2822(self.end_time),
            "uri": uri, "subresource_uris": {
                "recordings": uri.replace(".json", "/Recordings.json"),
                "notifications": uri.replace(".json", "/Notifications.json")},
        }
