"""The bot's confidence: Vosk says 1.0 for words forced out of a grammar; we do not believe it."""

from __future__ import annotations

from ivr.speech.confidence import best_match, turn_confidence

YES_NO = ["yes", "no", "[unk]"]


def test_a_clean_in_grammar_answer_keeps_vosks_confidence():
    assert turn_confidence([("yes", 0.97)], YES_NO) == 0.97


def test_speech_outside_the_grammar_lowers_confidence_even_when_vosk_says_one():
    assert turn_confidence([("[unk]", 1.0), ("[unk]", 1.0), ("no", 1.0)], YES_NO) == 0.333
    assert turn_confidence([("[unk]", 1.0)], YES_NO) == 0.0


def test_a_partial_match_of_a_longer_phrase_is_not_full_confidence():
    grammar = ["two thousand", "three thousand", "[unk]"]
    assert best_match("thousand", grammar) == ("two thousand", 0.8)
    assert turn_confidence([("thousand", 1.0)], grammar) == 0.8


def test_free_recognition_uses_the_word_confidences():
    assert turn_confidence([("my", 0.9), ("furnace", 0.5)], None) == 0.7


def test_nothing_heard_is_zero():
    assert turn_confidence([], YES_NO) == 0.0
