"""A live call's Media Stream: which question is asked, what the caller said, who to tell.

The WebSocket endpoint hands each parsed message here. On `start` it reads the call's
`business` and `call` parameters (put in `<Stream><Parameter>` by the voice turn logic) and the
current question (`turn`, `slot`, `grammar`) from Redis; it re-reads that between utterances
and rebuilds the recogniser when the turn moves on. The hooks are the voice turn logic's,
injected by the web layer: a finished utterance goes to `on_speech(runtime, business_key,
call_sid, turn, text, confidence)`; speech starting and stopping goes to `on_speaking(runtime,
business_key, call_sid, turn, speaking)` so a Gather timeout mid-sentence waits for the words. Hooks run on one helper thread per stream, in order,
so a slow REST redirect never stalls the audio. Without a model the stream is drained and the
keypad carries the call. Flask-free, so the benchmark drives it without a socket.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import redis

from ivr.logs import event
from ivr.speech.audio import FRAME_BYTES
from ivr.speech.listener import Heard, Listener, SpeechStarted
from ivr.speech.vosk import ModelMissing, Recognizer
from ivr.twilio.media import Media, Start

log = logging.getLogger("ivr.speech")

#: Frames (20 ms each) between looks at the call's current question while the caller is quiet.
POLL_FRAMES = 10

#: How far decoding may fall behind the live call before it is logged (once per stream): the
#: sign that this machine carries more talking callers than its cores can decode.
BEHIND_WARN_MS = 2000

SpeechHook = Callable[[Any, str, str, int, str, float], object]
SpeakingHook = Callable[[Any, str, str, int, bool], object]

#: Model paths already reported missing (the hint is logged once per path, not per call).
_model_warned: set[str] = set()
_warn_lock = threading.Lock()


@dataclass
class SpeechHooks:
    """Where a stream reports to: the web layer passes the voice turn logic's hooks
    (`ivr.web.stream.voice_hooks`); speech knows nothing of the conversation."""

    on_speech: SpeechHook | None = None
    on_speaking: SpeakingHook | None = None


class CallStream:
    """The speech side of one call's Media Stream.

    Args:
        runtime: the process Runtime (settings.vosk_model, store).
        hooks: where utterances go; `ivr.web.stream.voice_hooks()` in production.
    """

    def __init__(self, runtime: Any, hooks: SpeechHooks) -> None:
        self.runtime = runtime
        self.hooks = hooks
        self.business = ""
        self.call_sid = ""
        self.turn: int | None = None
        #: The caller's language as the current question was asked in it, and the language
        #: the listener's model hears (they differ for a moment after the caller chose Spanish).
        self.language = "en"
        self._listening_in = "en"
        self.listener: Listener | None = None
        self.heard: list[Heard] = []
        self._speech_turn: int | None = None
        self._frames = 0
        self._rest = b""
        self._clock_start: float | None = None
        self._warned_behind = False
        self._hooks = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ivr-speech-hook")

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self, start: Start) -> None:
        """The stream began: whose call it is, what is being asked, and a recogniser for it."""
        if self.listener is not None:  # a repeated `start`: begin again, do not leak
            self.listener.release()
            self.listener = None
        params = start.custom_parameters
        self.business = params.get("business", "")
        self.call_sid = params.get("call") or params.get("conversation") or start.call_sid
        grammar = self._refresh()
        self.listener = self._listen(grammar)
        event("speech.stream_started", log, business=self.business or "-", sid=self.call_sid,
              turn=self.turn if self.turn is not None else "-",
              listening="yes" if self.listener else "no_model")

    def _listen(self, grammar: list[str] | None) -> Listener | None:
        """A listener with the model of the caller's language, or None when this machine has
        none (the caller then answers by keypad; logged once per model with the fix)."""
        self._listening_in = self.language
        model = self.runtime.settings.speech_model(self.language)
        try:
            return Listener(lambda g: Recognizer(model, g), grammar)
        except ModelMissing as exc:
            with _warn_lock:
                first = str(model) not in _model_warned
                _model_warned.add(str(model))
            if first:
                fix = "ivr_models_install_es" if self.language == "es" else "ivr_models_install"
                event("speech.model_missing", log, logging.WARNING, model=str(model),
                      language=self.language, hint=f"run_`{fix}`", detail=str(exc))
            return None

    def media(self, media: Media) -> None:
        """One media message (normally one 20 ms frame; other sizes are re-framed)."""
        if self.listener is None or not media.track.startswith("inbound"):
            return
        self._check_pace(media.timestamp)
        data = self._rest + media.payload
        cut = len(data) - len(data) % FRAME_BYTES
        self._rest = data[cut:]
        for i in range(0, cut, FRAME_BYTES):
            self._frame(data[i:i + FRAME_BYTES])

    def stop(self, wait: bool = True) -> None:
        """End of stream: report an utterance in progress and let the hooks finish."""
        if self.listener is not None:
            for heard in self.listener.flush():
                self._report(heard)
            self.listener.release()
            self.listener = None
        self._hooks.shutdown(wait=wait)
        event("speech.stream_stopped", log, business=self.business or "-", sid=self.call_sid,
              utterances=len(self.heard))

    def _check_pace(self, timestamp_ms: int) -> None:
        """Log once if frames are handled well after they were spoken (decoding too slow)."""
        now = time.monotonic()
        if self._clock_start is None:
            self._clock_start = now - timestamp_ms / 1000
            return
        behind_ms = (now - self._clock_start) * 1000 - timestamp_ms
        if behind_ms > BEHIND_WARN_MS and not self._warned_behind:
            self._warned_behind = True
            event("speech.behind", log, logging.WARNING, business=self.business or "-",
                  sid=self.call_sid, behind_ms=int(behind_ms))

    # -- per frame ----------------------------------------------------------------------------
    def _frame(self, frame: bytes) -> None:
        listener = self.listener
        assert listener is not None
        self._frames += 1
        if not listener.speaking and self._frames % POLL_FRAMES == 0:
            grammar = self._refresh()
            if self.language != self._listening_in:  # the caller chose another language
                listener.release()
                self.listener = self._listen(grammar)
                event("speech.language_changed", log, business=self.business or "-",
                      sid=self.call_sid, language=self.language,
                      listening="yes" if self.listener else "no_model")
                if self.listener is None:
                    return
                listener = self.listener
            else:
                listener.set_grammar(grammar)
        for change in listener.feed(frame):
            if isinstance(change, SpeechStarted):
                self._speech_turn = self.turn
                self._call(self.hooks.on_speaking, self._speech_turn, True)
            else:
                self._report(change)

    def _report(self, heard: Heard) -> None:
        """The caller stopped: say so, and pass on what they said — unless it was only noise.

        Speech the recogniser could not place (only `[unk]`) is passed on with empty text, so
        the flow re-asks; a cough or a click is not an answer and is dropped.
        """
        turn = self._speech_turn if self._speech_turn is not None else self.turn
        utterance = heard.utterance
        self._call(self.hooks.on_speaking, turn, False)
        if utterance.empty:
            return
        self.heard.append(heard)
        event("speech.heard", log, business=self.business or "-", sid=self.call_sid,
              turn=turn if turn is not None else "-", words=len(utterance.words),
              unknown=utterance.unknown, confidence=utterance.confidence)
        self._call(self.hooks.on_speech, turn, utterance.text, utterance.confidence)

    def _call(self, hook: Callable[..., object] | None, turn: int | None, *args: Any) -> None:
        if hook is None or turn is None or not self.business:
            return

        def run() -> None:
            try:
                hook(self.runtime, self.business, self.call_sid, turn, *args)
            except Exception as exc:  # noqa: BLE001 - a hook failure must not end the stream
                event("speech.hook_failed", log, logging.ERROR, business=self.business,
                      sid=self.call_sid, hook=getattr(hook, "__name__", "?"),
                      error=type(exc).__name__)

        try:
            self._hooks.submit(run)
        except RuntimeError:  # executor already shut down (stream ending)
            run()

    def _refresh(self) -> list[str] | None:
        """Re-read the call's current question; returns its grammar.

        Polled every few frames: the question's number alone is read, and its grammar
        (kilobytes) only when the number has changed.
        """
        current = self.listener.grammar if self.listener else None
        if not self.business:
            return current
        store = self.runtime.store
        try:
            turn = store.get_call(self.business, self.call_sid, "turn").get("turn")
            if self.listener is not None and turn == self.turn:
                return current
            call = store.get_call(self.business, self.call_sid, "turn", "grammar", "language")
        except (redis.RedisError, ValueError):
            return current
        turn = call.get("turn")
        language = call.get("language")
        self.language = language if isinstance(language, str) and language else self.language
        self.turn = int(turn) if isinstance(turn, int | str) and str(turn).isdigit() else None
        grammar = call.get("grammar")
        if isinstance(grammar, list) and all(isinstance(p, str) for p in grammar):
            return grammar or None
        return None
