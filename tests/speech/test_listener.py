"""One stream's ear: speech start and end found on the phone frames, words from real Vosk."""

from __future__ import annotations

from ivr.speech.audio import FRAME_BYTES, silence
from ivr.speech.listener import Heard, Listener, SpeechStarted
from ivr.speech.tts import synthesize_ulaw
from ivr.speech.vosk import Recognizer


def listen(listener: Listener, line: bytes) -> list[SpeechStarted | Heard]:
    changes = []
    for i in range(0, len(line) - FRAME_BYTES + 1, FRAME_BYTES):
        changes += listener.feed(line[i:i + FRAME_BYTES])
    return changes


def test_a_short_answer_is_heard_whole_including_its_first_syllable(ko_model):
    listener = Listener(lambda g: Recognizer(ko_model, g), ["네", "아니요"])
    changes = listen(listener, silence(600) + synthesize_ulaw("아니요", "ko") + silence(600))
    assert [type(c) for c in changes] == [SpeechStarted, Heard]
    started, heard = changes
    assert heard.utterance.text == "아니요"
    assert 550 <= heard.started_ms <= 700  # espeak starts voicing just after our 600 ms
    assert heard.started_ms < started.at_ms < heard.ended_ms


def test_a_new_question_grammar_waits_for_the_current_utterance_to_end(ko_model):
    listener = Listener(lambda g: Recognizer(ko_model, g), ["네", "아니요"])
    answer = synthesize_ulaw("네", "ko")
    changes = listen(listener, silence(300) + answer[:1600])
    assert listener.speaking and isinstance(changes[-1], SpeechStarted)
    listener.set_grammar(["보일러", "고장"])  # the turn moved on mid-word
    changes = listen(listener, answer[1600:] + silence(600))
    assert changes[-1].utterance.text == "네"  # finished under the grammar it began with
    assert listener.grammar == ["보일러", "고장"]
    changes = listen(listener, synthesize_ulaw("보일러", "ko") + silence(600))
    assert set(changes[-1].utterance.text.split()) <= {"보일러", "고장"}
    listener.release()
