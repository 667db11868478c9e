"""Record mode (`speech: record`, for deployments without WebSockets): each spoken answer is a
recording the app fetches through TWILIO_API_BASE and transcribes with real Vosk in an rq job,
while the caller holds; the keypad works as before."""

from __future__ import annotations

import re
import shutil
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from voice_calls import (
    CALLER,
    DANA,
    LAW,
    LAW_KEY,
    assert_no_application_error,
    caller_lines,
    conversation,
    korean_model,
)

from ivr.config.settings import PROJECT_ROOT
from ivr.conversation.recorded_answers import fetch_recording, media_url
from ivr.jobs.retention import purge
from ivr.jobs.worker import make_worker
from ivr.sim.recording import Recording
from ivr.sim.wait import wait_for
from ivr.speech.audio import PHONE_RATE, ulaw_decode, wav_bytes
from ivr.speech.tts import synthesize_ulaw

HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def loaded_model() -> Path:
    return korean_model()


@pytest.fixture
def settings(settings, tmp_path, loaded_model, request):
    """Hartley Family Law, configured for record mode (recordings deleted once transcribed,
    unless a test passes `keep` as its param), with a speech model installed."""
    config = tmp_path / "businesses"
    config.mkdir()
    source = (PROJECT_ROOT / "examples" / "hartley_family_law.yaml").read_text()
    delete = "false" if getattr(request, "param", None) == "keep" else "true"
    (config / "hartley.yaml").write_text(f"{source}\nspeech: record\ndelete_recordings: {delete}\n")
    shutil.copy(PROJECT_ROOT / "examples" / "orders.csv", config / "orders.csv")
    return settings.with_(config_path=config, vosk_model=loaded_model)


def spoken_wav(text: str) -> bytes:
    """What the caller says, as the phone line carries it (espeak-ng, 8 kHz)."""
    return wav_bytes(ulaw_decode(synthesize_ulaw(text, "ko")), PHONE_RATE)


def test_a_recorded_answer_is_transcribed_and_moves_the_call_on(live_app, carrier, runtime):
    carrier.pause_scale = 1.0                                   # a real second per hold round
    call = carrier.phone(CALLER).call(LAW)
    call.wait_for_gather()
    assert call.streams == []                                   # no WebSocket in record mode
    record_verb = call.wait_for("record").info
    assert record_verb["playBeep"] == "false"
    assert record_verb["action"].endswith("/voice/recorded?business=hartley-family-law&turn=1")
    call.leave_message(spoken_wav("이혼이요"))
    assert "One moment." in call.heard                          # holding, not dead air
    make_worker(runtime, inline=True).work(burst=True)
    record = wait_for(lambda: (lambda r: r if len(r["transcript"]) > 2 else None)(
        conversation(runtime)), 10, "the transcript to reach the flow")
    answer = next(t for t in record["transcript"] if t["role"] == "caller")
    assert HANGUL.search(answer["text"]), answer
    assert 0.0 <= answer["confidence"] <= 1.0
    assert all(r.deleted for r in carrier.recordings.values())  # delete_recordings: true
    # The job redirected the live call to the next step: the next question's keypad window.
    wait_for(lambda: call.waiting and call.waiting.kind in ("gather", "record")
             and "turn=2" in call.waiting.info["action"] or None, 10, "the next question")
    assert_no_application_error(carrier, call)
    call.hangup()


@pytest.mark.parametrize("settings", ["keep"], indirect=True)
def test_kept_answer_recordings_are_deleted_with_the_conversation_at_retention(
        live_app, carrier, runtime, clock):
    call = carrier.phone(CALLER).call(LAW)
    call.wait_for("record")
    call.leave_message(spoken_wav("이혼이요"))
    record = wait_for(lambda: (lambda r: r if r.get("recordings") else None)(
        conversation(runtime)), 15, "the transcribed answer's recording to be listed")
    [sid] = record["recordings"]
    assert not carrier.recordings[sid].deleted                  # kept: delete_recordings: false
    call.hangup()
    business = runtime.directory.by_key(record["business_key"])
    clock.set(clock() + timedelta(days=business.retention_days + 1))
    assert purge(runtime)["records"] == 1
    assert carrier.recordings[sid].deleted                      # gone with its conversation


@pytest.mark.no_worker
def test_a_caller_is_not_left_holding_when_no_worker_transcribes_the_answer(live_app, carrier,
                                                                           runtime):
    call = carrier.phone(CALLER).call(LAW)
    call.wait_for("record")
    call.leave_message(spoken_wav("이혼이요"))                   # ... and no worker is running
    dana = carrier.phone(DANA).wait_for_call(timeout=15)        # the hold gives up: a person
    assert dana.to == DANA
    assert "connect you with someone" in " ".join(call.heard)
    make_worker(runtime, inline=True).work(burst=True)          # the late transcription ...
    assert caller_lines(conversation(runtime)) == []            # ... changes nothing
    assert dana.status != "canceled"                            # and never pulls the caller back
    assert_no_application_error(carrier, call)
    call.hangup()


def test_in_record_mode_the_keypad_still_answers_during_the_prompt(live_app, carrier, runtime):
    call = carrier.phone(CALLER).call(LAW)
    call.wait_for_gather()
    heard = " ".join(call.press("3"))                           # our hours and address
    assert "West 15th Street" in heard
    assert conversation(runtime)["bucket"] == "hours"
    call.hangup()


def test_recordings_are_fetched_through_the_configured_api_base(settings):
    twilio_url = ("https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1")
    assert media_url(settings, twilio_url) == (
        settings.api_base + "/2010-04-01/Accounts/AC1/Recordings/RE1.wav")
    assert media_url(settings, "http://127.0.0.1:9/x/RE2.mp3") == "http://127.0.0.1:9/x/RE2.mp3"


def test_a_recording_not_ready_yet_is_fetched_once_it_is(live_app, carrier, runtime):
    """Twilio answers 404 for a moment after a recording ends; the job waits for it."""
    wav = spoken_wav("이혼이요")
    late = Recording("CA" + "e" * 32, wav, 0.7)
    url = late.media_url(carrier)
    threading.Timer(0.6, lambda: carrier.recordings.__setitem__(late.sid, late)).start()
    assert fetch_recording(runtime.settings, url) == wav


def test_saying_nothing_at_the_recording_is_treated_as_silence(live_app, carrier, runtime):
    call = carrier.phone(CALLER).call(LAW)
    first = " ".join(call.wait_for_gather()["prompt"])
    call.wait_for("record")
    again = " ".join(call.silence())
    assert again and again != first
    assert runtime.store.get_call(LAW_KEY, call.sid)["turn"] == 2
    call.hangup()
