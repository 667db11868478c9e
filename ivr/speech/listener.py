"""One call's ear: mu-law frames in; "speech started" and finished utterances out.

Joins the pieces per frame: decode mu-law, measure energy, run the endpointer, feed Vosk. Vosk
only decodes while the caller speaks: quiet frames wait in a short pre-roll buffer that is fed
when speech starts (so the first syllable is not lost), which keeps an idle line nearly free
and lets one core carry many calls. Knows nothing of WebSockets, Redis or Flask.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ivr.speech.audio import FRAME_MS, dbfs, ulaw_decode
from ivr.speech.endpoint import Endpoint, EndpointConfig, Endpointer
from ivr.speech.vosk import Recognizer, Utterance

#: Audio kept from before the endpointer noticed speech, fed to Vosk when it does.
PREROLL_MS = 300

#: How often (in frames) the partial result is polled while the caller is quiet mid-utterance.
PARTIAL_EVERY = 4


@dataclass(frozen=True)
class SpeechStarted:
    """The caller began to speak (the app may cut its prompt short)."""

    at_ms: int


@dataclass(frozen=True)
class Heard:
    """A finished utterance and where in the stream it ended (maybe `empty`: just noise)."""

    utterance: Utterance
    started_ms: int
    ended_ms: int


RecognizerFactory = Callable[[Sequence[str] | None], Recognizer]


class Listener:
    """Endpointing plus recognition for one stream of 20 ms mu-law frames.

    Args:
        make_recognizer: builds a recogniser for a grammar (None = free recognition).
        grammar: the current question's expected phrases.
        config: endpointing rules.
    """

    def __init__(self, make_recognizer: RecognizerFactory, grammar: Sequence[str] | None = None,
                 config: EndpointConfig | None = None) -> None:
        self._make = make_recognizer
        self.endpointer = Endpointer(config)
        self.grammar = list(grammar) if grammar else None
        self.recognizer = make_recognizer(self.grammar)
        self._pending_grammar: tuple[list[str] | None] | None = None
        self._preroll: deque = deque(maxlen=max(1, PREROLL_MS // FRAME_MS))
        self._frames = 0
        self._started_ms = 0

    @property
    def speaking(self) -> bool:
        return self.endpointer.speaking

    @property
    def position_ms(self) -> int:
        """Stream time heard so far."""
        return self._frames * FRAME_MS

    def set_grammar(self, grammar: Sequence[str] | None) -> None:
        """Use a new question's grammar; mid-utterance the switch waits for the utterance end."""
        wanted = list(grammar) if grammar else None
        if wanted == self.grammar and self._pending_grammar is None:
            return
        if self.speaking:
            self._pending_grammar = (wanted,)
            return
        self._pending_grammar = None
        self.grammar = wanted
        self._switch(wanted)

    def feed(self, ulaw: bytes) -> list[SpeechStarted | Heard]:
        """Process one frame; returns what it changed (usually nothing)."""
        samples = ulaw_decode(ulaw)
        self._frames += 1
        was_speaking = self.speaking
        quiet = self.endpointer.trailing_quiet_ms
        partial = None
        if was_speaking and quiet and (quiet // FRAME_MS) % PARTIAL_EVERY == 0:
            partial = self.recognizer.partial()
        mark = self.endpointer.feed(dbfs(samples), partial)
        if not was_speaking:
            if mark is not Endpoint.STARTED:
                self._preroll.append(samples)
                return []
            for earlier in self._preroll:
                self.recognizer.accept(earlier)
            self._preroll.clear()
            self.recognizer.accept(samples)
            self._started_ms = self.position_ms - self.endpointer.config.start_ms
            return [SpeechStarted(at_ms=self.position_ms)]
        self.recognizer.accept(samples)
        if mark is Endpoint.FINAL:
            return self._finish()
        return []

    def release(self) -> None:
        """The stream is over: hand the recogniser back (see `Recognizer.release`)."""
        release = getattr(self.recognizer, "release", None)
        if release is not None:
            release()

    def _switch(self, grammar: list[str] | None) -> None:
        self.release()
        self.recognizer = self._make(grammar)

    def flush(self) -> list[Heard]:
        """End of stream: finalise an utterance in progress, if any."""
        if not self.speaking:
            return []
        self.endpointer.reset()
        return self._finish()

    def _finish(self) -> list[Heard]:
        utterance = self.recognizer.final()
        if self._pending_grammar is not None:
            (grammar,) = self._pending_grammar
            self._pending_grammar = None
            self.grammar = grammar
            self._switch(grammar)
        return [Heard(utterance=utterance, started_ms=self._started_ms,
                      ended_ms=self.position_ms)]
