"""What the person on a line can do — press keys, talk (typed), leave a message, stay silent,
hang up — and the waits that make a test deterministic: until the call reaches a gather, settles,
or reaches a status. Mixed into `Call`, which owns the state these act on.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self

from ivr.sim.wait import WaitTimeout

#: What the executor may be blocked on; a call waiting on one of these is "settled".
RESTING = ("gather", "record", "dial", "conference", "bridged", "connect", "pause", "ringing")
#: Confidence the sim reports for typed speech (`call.say`).
TYPED_SPEECH_CONFIDENCE = 0.9


class SpeechNotGathered(RuntimeError):
    """`call.say` at a `<Gather>` that does not take speech: Twilio would post nothing, so a
    test that typed words there would pass where a real call's words reach no one."""


def hears_speech(gather: dict[str, Any]) -> bool:
    """Whether Twilio's recogniser listens at this `<Gather>` (its `input` names `speech`;
    the default is `dtmf`)."""
    return "speech" in str(gather.get("input", "dtmf")).split()


def refuse_typed_speech(gather: dict[str, Any]) -> None:
    """Raise `SpeechNotGathered`, naming the two ways a real caller's words reach the app."""
    if not hears_speech(gather):
        raise SpeechNotGathered(
            f"call.say: this <Gather input=\"{gather.get('input', 'dtmf')}\"> takes keys only, "
            "and Twilio posts no SpeechResult to it. Words reach the app either by Twilio's "
            "recogniser (a business with `speech: twilio`: its Gathers are `input=\"dtmf "
            "speech\"`) or as audio over the call's Media Stream "
            "(ivr.sim.media_client.MediaStreams: `speak_text`). Or press keys.")


@dataclass
class Input:
    """Something the person on the line did: keys, typed speech, or a recorded message."""

    digits: str | None = None
    speech: str | None = None
    confidence: float = TYPED_SPEECH_CONFIDENCE
    audio: bytes | None = None
    hangup_after: bool = False


@dataclass
class Waiting:
    """What the executor is blocked on right now."""

    kind: str
    info: dict[str, Any]
    token: int


class LineControls:
    """The person's side of a call (see `Call` for the attributes used here)."""

    _cv: threading.Condition
    _inputs: deque[Input]
    _waiting: Waiting | None
    _control: Any
    heard: list[str]
    status: str
    carrier: Any

    @property
    def ended(self) -> bool:  # pragma: no cover - defined by Call
        raise NotImplementedError

    def end(self, status: str = "completed") -> None:  # pragma: no cover - defined by Call
        raise NotImplementedError

    def hangup(self, wait: bool = True, timeout: float = 5.0) -> None:
        """The person hangs up; with `wait`, returns once the call has ended and its status
        callbacks have reached the app."""
        if self.ended:
            return
        self.end("canceled" if self.status in ("queued", "ringing") else "completed")
        if wait:
            self.wait_until("ended", timeout)

    def _deliver(self, item: Input, kinds: tuple[str, ...], timeout: float,
                 settle: bool = True,
                 check: Callable[[dict[str, Any]], None] | None = None) -> list[str]:
        """Give `item` to the executor at its next wait of one of `kinds`; return what was
        heard until the call settled again (without `settle`: until the input was taken, so a
        test can act while the answer is still being spoken). `check` may refuse the wait
        it would be given to (raising), looking at its attributes."""
        self.wait_for(kinds, timeout)
        with self._cv:
            if self._waiting is None or self._waiting.kind not in kinds:
                return self._deliver(item, kinds, timeout, settle, check)
            if check is not None:
                check(self._waiting.info)
            token = self._waiting.token
            before = len(self.heard)
            self._inputs.append(item)
            self._cv.notify_all()
            deadline = time.monotonic() + timeout
            while self._inputs or (self._waiting is not None and self._waiting.token == token):
                if self.ended or time.monotonic() > deadline:
                    break
                self._cv.wait(0.05)
        if settle:
            self.settle(timeout)
        return self.heard[before:]

    def press(self, digits: str, timeout: float = 10.0, settle: bool = True) -> list[str]:
        """Press keys at the current (or next) <Gather>; returns what was heard next.

        The keys are one complete entry: the sim posts them at once (trimmed at finishOnKey
        and numDigits) rather than waiting out the gather's timeout.
        """
        return self._deliver(Input(digits=digits), ("gather",), timeout, settle)

    def say(self, words: str, confidence: float = TYPED_SPEECH_CONFIDENCE,
            timeout: float = 10.0, settle: bool = True) -> list[str]:
        """Typed speech, as Twilio's recogniser would post it: SpeechResult/Confidence to the
        current <Gather>'s action, which must take speech (`input` naming `speech`). At a
        keypad-only Gather it raises `SpeechNotGathered`, as Twilio posts nothing there (real
        words then reach the app as audio over the Media Stream: `media_client.py`)."""
        return self._deliver(Input(speech=words, confidence=confidence), ("gather",), timeout,
                             settle, check=refuse_typed_speech)

    def leave_message(self, audio: bytes | None = None, hangup: bool = False,
                      timeout: float = 10.0) -> list[str]:
        """Speak into the current <Record> (`audio`: WAV bytes or 8 kHz 16-bit PCM; default a
        one-second tone), then press finishOnKey — or hang up when `hangup`."""
        return self._deliver(Input(audio=audio or b"", hangup_after=hangup), ("record",),
                             timeout)

    def silence(self, timeout: float = 10.0) -> list[str]:
        """Say nothing: the current <Gather>/<Record> times out now."""
        return self._deliver(Input(), ("gather", "record"), timeout)

    # --- waiting -------------------------------------------------------------------------------
    def wait_for(self, kinds: tuple[str, ...] | str, timeout: float = 10.0) -> Waiting:
        """Wait until the executor blocks on one of `kinds` ("gather", "record", …)."""
        kinds = (kinds,) if isinstance(kinds, str) else kinds
        deadline = time.monotonic() + timeout
        with self._cv:
            while self._waiting is None or self._waiting.kind not in kinds or self._inputs:
                if self.ended:
                    raise WaitTimeout(f"{self} ended before reaching {'/'.join(kinds)}; "
                                      f"heard {self.heard[-3:]} errors {self.errors}")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise WaitTimeout(f"{self} did not reach {'/'.join(kinds)} in {timeout}s; "
                                      f"waiting on {self._waiting and self._waiting.kind}")
                self._cv.wait(min(remaining, 0.05))
            return self._waiting

    def wait_for_gather(self, timeout: float = 10.0) -> dict[str, Any]:
        """Wait for a <Gather>; return its attributes plus "prompt" (the texts it spoke)."""
        return self.wait_for("gather", timeout).info

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until the call rests (blocked on the caller or another leg) or has ended."""
        deadline = time.monotonic() + timeout
        with self._cv:
            while not self.ended and (self._waiting is None or self._inputs
                                      or self._waiting.kind not in RESTING
                                      or self._control is not None):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise WaitTimeout(f"{self} did not settle in {timeout}s")
                self._cv.wait(min(remaining, 0.05))

    def wait_until(self, status: str, timeout: float = 10.0, drain: bool = True) -> Self:
        """Wait for `status` ("in-progress", "completed", … or "ended" for any final one).

        For a final status, also wait (with `drain`) until the status callbacks queued so far
        have reached the app, so a test can check what the app made of the call's end.
        """
        deadline = time.monotonic() + timeout
        with self._cv:
            while not (self.status == status or (status == "ended" and self.ended)):
                if self.ended and status != "ended":
                    raise WaitTimeout(f"{self} ended as {self.status}, not {status}")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise WaitTimeout(f"{self} is {self.status}, not {status} after {timeout}s")
                self._cv.wait(min(remaining, 0.05))
        if drain and self.ended:
            self.carrier.drain(max(timeout, 20.0), key=self.sid)
        return self

