"""A business with `speech: twilio` lets Twilio's recogniser hear its callers (issue 18): each
question is a `<Gather input="dtmf speech">` in the caller's language, no Media Stream carries
the audio to us, and the words Twilio posts (SpeechResult, Confidence) route the call as Vosk's
would. Nothing of ours has to be installed for it: no speech model, no public WebSocket.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from jobs_support import business_dir
from twilio_speech import TWILIO_SPEECH, heard_by_twilio
from voice_calls import (
    CALLER,
    HVAC,
    LAW,
    LAW_KEY,
    assert_no_application_error,
    caller_lines,
    conversation,
    korean_model,
)

from ivr.app.wiring import build_runtime
from ivr.config.directory import Directory


def test_its_questions_take_keys_or_words_in_english_with_the_menu_as_hints(
        live_app, carrier, runtime):
    runtime.settings = runtime.settings.with_(vosk_model=korean_model())  # a model is there
    heard_by_twilio(runtime, LAW_KEY)
    call = carrier.phone(CALLER).call(LAW)
    gather = call.wait_for_gather()
    assert gather["input"] == "dtmf speech" and gather["language"] == "en-US"
    assert gather["speechTimeout"] == "auto"
    assert "divorce" in gather["hints"].split(", ")             # the menu's own words
    assert call.streams == []                                   # no audio comes to us
    assert_no_application_error(carrier, call)
    call.hangup()


def test_the_callers_words_route_the_call_without_a_speech_model(live_app, carrier, runtime,
                                                                 caplog):
    assert not runtime.settings.vosk_model.is_dir()
    heard_by_twilio(runtime)
    with caplog.at_level(logging.INFO, logger="ivr.conversation.voice"):
        call = carrier.phone(CALLER).call(HVAC)
        call.wait_for_gather()
    assert "ivr_models_install" not in caplog.text              # nothing to install
    heard = " ".join(call.say("what are your hours"))
    assert "Monday to Friday" in heard
    record = conversation(runtime)
    assert (record["bucket"], record["route"]) == ("hours", "bot_only")
    assert caller_lines(record) == ["what are your hours"]
    assert [t["confidence"] for t in record["transcript"] if t["role"] == "caller"] == [0.9]
    assert_no_application_error(carrier, call)
    call.hangup()


def test_a_caller_who_takes_spanish_is_heard_in_spanish(live_app, carrier, runtime):
    heard_by_twilio(runtime, LAW_KEY)
    runtime.directory = Directory([replace(b, languages=("en", "es")) if b.key == LAW_KEY
                                   else b for b in runtime.directory])
    call = carrier.phone(CALLER).call(LAW)
    assert call.wait_for_gather()["language"] == "en-US"
    call.press("9")                                             # para español
    again = call.wait_for_gather()
    assert again["input"] == "dtmf speech" and again["language"] == "es-US"
    call.say("tengo un caso de custodia")
    record = conversation(runtime)
    assert record["language"] == "es"
    assert caller_lines(record)[-1] == "tengo un caso de custodia"
    assert_no_application_error(carrier, call)
    call.hangup()


def test_an_http_public_url_is_no_warning_when_twilio_hears_every_caller(settings, redis_conn,
                                                                         caplog, tmp_path):
    """No business wants a Media Stream, so one Twilio would refuse costs no caller's words."""
    config = business_dir(tmp_path, **TWILIO_SPEECH)
    with caplog.at_level(logging.WARNING, logger="ivr.app"):
        build_runtime(settings.with_(public_url="http://desk.example.com", config_path=config),
                      connection=redis_conn).close()
    assert "streams_off" not in caplog.text
