"""When has the caller started, and when finished, speaking? A small pure state machine.

Vosk 0.3.45's own endpointer waits over a second after the caller stops before it finalises,
which a caller hears as the bot being slow. We decide ourselves, frame by frame (20 ms), from
two signals the stream already has:

- the frame's energy against an adaptive noise floor (a tiny VAD on the 8 kHz audio), and
- the recogniser's partial result: while it still changes the caller may not be done.

Speech starts after `start_ms` of loud frames (reported once as `STARTED`, so the app can cut
a prompt short: barge-in). It ends (`FINAL`) after `trailing_ms` of quiet once the partial has
been stable for `stable_ms` — or after `max_trailing_ms` of quiet whatever the partial does, or
when an utterance runs past `max_utterance_ms`. Pure: no numpy, no vosk, no clock; the caller
feeds numbers and gets events back, so every timing rule is unit-tested without audio.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Endpoint(enum.Enum):
    """What one frame changed."""

    STARTED = "started"  # the caller began to speak (barge-in)
    FINAL = "final"  # the utterance is over: finalise the recogniser now


@dataclass(frozen=True)
class EndpointConfig:
    """Timing and loudness rules (milliseconds; dB relative to full scale)."""

    frame_ms: int = 20
    #: Loud audio needed before we call it speech (shorter clicks and pops are ignored).
    start_ms: int = 60
    #: Quiet needed after speech before finalising (300–400 ms feels immediate yet rarely
    #: cuts a caller off between words).
    trailing_ms: int = 360
    #: The partial result must have stopped changing for this long...
    stable_ms: int = 200
    #: ...unless this much quiet has passed, when we finalise regardless.
    max_trailing_ms: int = 800
    #: A caller who never pauses is finalised after this long.
    max_utterance_ms: int = 15000
    #: Nothing quieter than this is speech, however quiet the line.
    min_speech_dbfs: float = -45.0
    #: Speech must stand this far above the line's noise floor.
    margin_db: float = 12.0
    #: Where the noise floor starts before the line has been heard.
    initial_floor_dbfs: float = -70.0
    #: How fast the noise floor follows quiet frames (0..1 per frame).
    floor_alpha: float = 0.05

    def frames(self, ms: int) -> int:
        """Whole frames covering `ms` (at least one)."""
        return max(1, -(-ms // self.frame_ms))


class Endpointer:
    """Feed one frame's energy (and, when polled, the partial text); get `Endpoint` events."""

    def __init__(self, config: EndpointConfig | None = None) -> None:
        self.config = config or EndpointConfig()
        self.floor = self.config.initial_floor_dbfs
        self.speaking = False
        self._loud_run = 0
        self._quiet = 0
        self._length = 0
        self._partial: str | None = None
        self._partial_age = 0

    @property
    def threshold(self) -> float:
        """The loudness a frame needs to count as speech right now."""
        return max(self.config.min_speech_dbfs, self.floor + self.config.margin_db)

    @property
    def trailing_quiet_ms(self) -> int:
        """Quiet heard since the caller's last loud frame (0 when not speaking)."""
        return self._quiet * self.config.frame_ms if self.speaking else 0

    def feed(self, energy_dbfs: float, partial: str | None = None) -> Endpoint | None:
        """Advance by one frame.

        Args:
            energy_dbfs: the frame's loudness (see `ivr.speech.audio.dbfs`).
            partial: the recogniser's partial text if it was polled for this frame; None
                means "not polled" and counts as unchanged.
        """
        loud = energy_dbfs >= self.threshold
        if not self.speaking:
            return self._idle(energy_dbfs, loud)
        return self._in_speech(loud, partial)

    def reset(self) -> None:
        """Forget any utterance in progress (the noise floor is kept)."""
        self.speaking = False
        self._loud_run = self._quiet = self._length = self._partial_age = 0
        self._partial = None

    def _idle(self, energy: float, loud: bool) -> Endpoint | None:
        c = self.config
        if not loud:
            self._loud_run = 0
            self.floor += c.floor_alpha * (energy - self.floor)
            return None
        self._loud_run += 1
        if self._loud_run < c.frames(c.start_ms):
            return None
        self.speaking = True
        self._length = self._loud_run
        self._quiet = 0
        self._partial, self._partial_age = None, 0
        return Endpoint.STARTED

    def _in_speech(self, loud: bool, partial: str | None) -> Endpoint | None:
        c = self.config
        self._length += 1
        self._quiet = 0 if loud else self._quiet + 1
        if partial is not None and partial != self._partial:
            self._partial, self._partial_age = partial, 0
        else:
            self._partial_age += 1
        quiet_ms = self._quiet * c.frame_ms
        stable = self._partial_age * c.frame_ms >= c.stable_ms
        done = quiet_ms >= c.trailing_ms and (stable or quiet_ms >= c.max_trailing_ms)
        if done or self._length * c.frame_ms >= c.max_utterance_ms:
            self.reset()
            return Endpoint.FINAL
        return None
