"""English accuracy, run only where IVR_VOSK_MODEL names an English model (none is obtainable
in CI: no package registry carries one). espeak-ng speaks, the phone line (8 kHz mu-law)
carries it, Vosk listens as it would on a call."""

from __future__ import annotations

import pytest

from ivr.speech.audio import FRAME_BYTES, silence
from ivr.speech.listener import Listener
from ivr.speech.tts import synthesize_ulaw
from ivr.speech.vosk import Recognizer


def hear(model, text: str, grammar: list[str] | None = None) -> str:
    listener = Listener(lambda g: Recognizer(model, g), grammar)
    line = silence(300) + synthesize_ulaw(text, "gmw/en-us") + silence(800)
    words = []
    for i in range(0, len(line) - FRAME_BYTES + 1, FRAME_BYTES):
        for change in listener.feed(line[i:i + FRAME_BYTES]):
            if hasattr(change, "utterance"):
                words.append(change.utterance.text)
    listener.release()
    return " ".join(words)


@pytest.mark.parametrize("said, expected", [
    ("yes", "yes"), ("no", "no"), ("my furnace stopped working", "furnace"),
    ("I smell gas", "gas"),
])
def test_common_answers_are_understood_over_the_phone_line(english_model, said, expected):
    assert expected in hear(english_model, said).split()


def test_a_question_grammar_keeps_answers_to_the_expected_phrases(english_model):
    text = hear(english_model, "I think it is yes", ["yes", "no"])
    assert set(text.split()) <= {"yes", "no"} and "yes" in text
