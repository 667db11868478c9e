"""Spoken answers: words heard by Twilio's recogniser on a `speech: twilio` business's Gather
(the sim posts typed words as SpeechResult there, and only there), and one answer per question
when the keypad and the speech stream both answer."""

from __future__ import annotations

import threading

from signing import signed_post
from twilio_speech import heard_by_twilio
from voice_calls import (
    CALLER,
    LAW,
    LAW_KEY,
    assert_no_application_error,
    caller_lines,
    conversation,
    voice_form,
)

from ivr.conversation import voice
from ivr.conversation.voice_hold import stored_next
from ivr.sim.wait import wait_for


def test_spoken_answers_fill_the_law_firm_questions(live_app, carrier, runtime):
    heard_by_twilio(runtime)
    call = carrier.phone(CALLER).call(LAW)
    call.wait_for_gather()
    assert "state" in " ".join(call.say("I'm getting a divorce")).lower()
    assert "court date" in " ".join(call.say("Texas")).lower()
    record = conversation(runtime)
    assert record["slots"]["matter_type"] == "divorce"
    assert record["slots"]["jurisdiction"] == "TX"
    spoken = [t for t in record["transcript"] if t["role"] == "caller"]
    assert [t["text"] for t in spoken] == ["I'm getting a divorce", "Texas"]
    assert all(t["confidence"] == 0.9 for t in spoken)
    assert_no_application_error(carrier, call)
    call.hangup()


def test_a_doubtful_answer_is_confirmed_before_it_counts(live_app, carrier, runtime):
    heard_by_twilio(runtime)
    call = carrier.phone(CALLER).call(LAW)
    call.wait_for_gather()
    call.say("I'm getting a divorce")
    heard = " ".join(call.say("Texas", confidence=0.3))
    assert "I heard Texas. Is that right?" in heard
    assert "court date" in " ".join(call.press("1")).lower()
    assert conversation(runtime)["slots"]["jurisdiction"] == "TX"
    call.hangup()


def test_speech_arriving_after_the_keypad_answered_changes_nothing(live_app, carrier, runtime):
    call = carrier.phone(CALLER).call(LAW)
    call.wait_for_gather()
    call.press("1")                                             # a new legal matter (turn 1)
    late = voice.on_speech(runtime, LAW_KEY, call.sid, 1, "what are your hours", 0.95)
    assert late is False
    record = conversation(runtime)
    assert caller_lines(record) == ["1"]
    assert record["bucket"] == "intake"
    assert "divorce" in " ".join(call.wait_for_gather()["prompt"])
    call.hangup()


def test_keypad_after_a_spoken_answer_follows_the_spoken_one(client, runtime):
    sid = "CA" + "a" * 32
    signed_post(client, "/voice/incoming", voice_form(sid))
    assert voice.on_speech(runtime, LAW_KEY, sid, 1, "I need help with custody", 0.92) is True
    stored = stored_next(runtime, runtime.directory.by_key(LAW_KEY), sid, 1)
    late_keys = signed_post(client, f"/voice/gather?business={LAW_KEY}&turn=1",
                            {"CallSid": sid, "Digits": "3"})
    assert late_keys.status_code == 200
    assert late_keys.get_data(as_text=True) == stored        # the caller just moves on
    record = conversation(runtime)
    assert caller_lines(record) == ["I need help with custody"]
    assert record["bucket"] == "intake"


def test_keypad_and_speech_racing_for_one_question_act_once(live_app, carrier, runtime):
    call = carrier.phone(CALLER).call(LAW)
    call.wait_for_gather()
    start = threading.Barrier(2)
    spoke: list[bool] = []

    def speak() -> None:
        start.wait()
        spoke.append(voice.on_speech(runtime, LAW_KEY, call.sid, 1, "what are your hours", 0.95))

    talker = threading.Thread(target=speak)
    talker.start()
    start.wait()
    call.press("1")
    talker.join(10)
    call.settle()
    record = conversation(runtime)
    assert len(caller_lines(record)) == 1                       # one answer acted
    assert runtime.store.get_call(LAW_KEY, call.sid)["turn"] == 2  # one next question
    assert call.wait_for_gather()["action"].endswith("turn=2")
    assert_no_application_error(carrier, call)
    call.hangup()


def test_a_gather_timing_out_while_the_caller_is_mid_sentence_waits_for_the_words(
        live_app, carrier, runtime):
    carrier.pause_scale = 1.0                                   # real one-second hold rounds
    call = carrier.phone(CALLER).call(LAW)
    call.wait_for_gather()
    voice.mark_speaking(runtime, LAW_KEY, call.sid, 1, True)   # the stream hears talking
    call.silence()                                              # ... as the Gather times out
    assert voice.on_speech(runtime, LAW_KEY, call.sid, 1, "I need a divorce lawyer", 0.9)
    assert "state" in " ".join(call.wait_for_gather()["prompt"]).lower()
    record = conversation(runtime)
    assert caller_lines(record) == ["I need a divorce lawyer"]  # not counted as silence
    assert record["slots"]["matter_type"] == "divorce"
    assert_no_application_error(carrier, call)
    call.hangup()


def test_talking_over_a_prompt_stops_it_and_the_keypad_still_answers(live_app, carrier,
                                                                      runtime):
    call = carrier.phone(CALLER).call(LAW)
    call.wait_for_gather()
    voice.mark_speaking(runtime, LAW_KEY, call.sid, 1, True)   # the caller starts talking
    listening = wait_for(lambda: call.waiting and call.waiting.kind == "gather"
                         and call.twiml_log[-1][0].startswith("https://ivr.test/voice/listen")
                         and call.waiting or None, 5, "the prompt to stop")
    assert listening.info["prompt"] == []                       # nothing talks over them
    assert listening.info["action"].endswith("turn=1")          # still the same question
    voice.mark_speaking(runtime, LAW_KEY, call.sid, 1, False)
    assert "divorce" in " ".join(call.press("1")).lower()       # keys still work
    assert caller_lines(conversation(runtime)) == ["1"]
    assert_no_application_error(carrier, call)
    call.hangup()
