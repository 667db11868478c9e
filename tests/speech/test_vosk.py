"""The recogniser adapter with the real Korean model: one model per process, grammars it can
use, the rate it listens at, and a clear message when no model is installed."""

from __future__ import annotations

import pytest

from ivr.speech.audio import silence, ulaw_decode
from ivr.speech.tts import synthesize_ulaw
from ivr.speech.vosk import ModelMissing, Recognizer, model_rate, shared_model, usable_grammar


def test_the_korean_model_listens_at_16_khz_so_phone_audio_is_upsampled(ko_model):
    # Its mfcc.conf names no rate (Kaldi's default, 16 kHz) and a 7.6 kHz filterbank top that
    # 8 kHz audio cannot fill; like the small English model, it gets 16 kHz from us.
    assert model_rate(ko_model) == 16000
    assert Recognizer(ko_model).rate == 16000


def test_every_call_shares_one_loaded_model(ko_model):
    assert shared_model(ko_model) is shared_model(ko_model)
    assert Recognizer(ko_model).model is Recognizer(ko_model, ["네"]).model


def test_grammar_phrases_the_model_cannot_say_are_dropped_not_sent_to_vosk(ko_model):
    model = shared_model(ko_model)
    assert usable_grammar(model, ["네", "보일러 고장", "furnace"]) == ["네", "보일러 고장"]
    assert usable_grammar(model, ["furnace", "[unk]"]) is None  # nothing left: listen freely
    assert usable_grammar(model, None) is None


def test_a_spoken_answer_within_the_grammar_comes_back_as_those_words(ko_model):
    recognizer = Recognizer(ko_model, ["네", "아니요"])
    line = ulaw_decode(silence(200) + synthesize_ulaw("네", voice="ko") + silence(300))
    for i in range(0, line.size, 160):
        recognizer.accept(line[i:i + 160])
    heard = recognizer.final()
    assert heard.text == "네" and heard.confidence > 0.5


def test_a_missing_model_says_how_to_install_one(tmp_path):
    with pytest.raises(ModelMissing, match="ivr models install"):
        Recognizer(tmp_path / "vosk-model-small-en-us-0.15")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelMissing, match="not a Vosk model"):
        shared_model(tmp_path / "empty")
