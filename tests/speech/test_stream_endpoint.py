"""WS /voice/stream end to end: real espeak-ng Korean speech, a real WebSocket, real Vosk."""

from __future__ import annotations

import logging
import re

import numpy as np
import pytest

from ivr.sim import LiveServer
from ivr.sim.media_client import MediaClient, MediaStreamRejected
from ivr.speech.audio import ulaw_encode
from ivr.twilio.urls import stream_url
from ivr.web.security import websocket_url
from ivr.web.stream import use_hooks

BUSINESS = "polar-bear-hvac"
CALL = "CA" + "5" * 32
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture
def live(app, heard):
    use_hooks(app, heard.hooks())
    with LiveServer(app) as server:
        yield server


def open_stream(live, settings, token=None, **options) -> MediaClient:
    client = MediaClient(stream_url(settings.public_url), websocket_url(live.url) + "/voice/stream",
                         settings.auth_token if token is None else token, call_sid=CALL,
                         parameters={"business": BUSINESS, "call": CALL},
                         **{"pace": 0, **options})
    return client.open()


def test_korean_speech_on_the_stream_is_transcribed_and_reaches_the_voice_hook(
        live, runtime, settings, heard):
    runtime.store.set_call(BUSINESS, CALL, turn=3, slot="issue", grammar=None)
    with open_stream(live, settings) as client:
        client.silence(300)
        client.speak_text("안녕하세요", voice="ko")
        assert heard.done.wait(30), "no utterance reached the hook"
    business, call_sid, turn, text, confidence = heard.utterances[0]
    assert (business, call_sid, turn) == (BUSINESS, CALL, 3)
    assert HANGUL.search(text), f"expected Korean words, got {text!r}"
    assert 0.0 < confidence <= 1.0
    assert heard.speaking[0] == (3, True), "speech start is reported first (barge-in)"


def test_each_question_listens_with_its_own_grammar(live, runtime, settings, heard):
    runtime.store.set_call(BUSINESS, CALL, turn=1, grammar=["보일러", "고장"])
    with open_stream(live, settings) as client:
        client.speak_text("보일러 고장", voice="ko")
        assert heard.done.wait(30)
        heard.done.clear()
        runtime.store.set_call(BUSINESS, CALL, turn=2, grammar=["안녕하세요"])
        client.silence(400)
        client.speak_text("안녕하세요", voice="ko")
        assert heard.done.wait(30)
    (_, _, first_turn, first, _), (_, _, second_turn, second, _) = heard.utterances[:2]
    assert first_turn == 1 and set(first.split()) <= {"보일러", "고장"}
    assert second_turn == 2 and set(second.split()) == {"안녕하세요"}


def test_an_unsigned_stream_is_refused_before_the_upgrade(live, settings, heard):
    with pytest.raises(MediaStreamRejected) as unsigned:
        open_stream(live, settings, token="")
    with pytest.raises(MediaStreamRejected) as forged:
        open_stream(live, settings, token="not-the-account-token")
    assert unsigned.value.status == forged.value.status == 403


def test_malformed_messages_do_not_end_the_stream(live, runtime, settings, heard):
    runtime.store.set_call(BUSINESS, CALL, turn=4, grammar=["보일러", "고장"])
    with open_stream(live, settings) as client:
        client.send_raw("this is not json")
        client.send_raw('{"event": "media", "streamSid": "MZ1", "media": {"payload": "%%%"}}')
        client.send_raw('["an", "array"]')
        client.speak_text("보일러 고장", voice="ko")
        assert heard.done.wait(30)
        assert not client.closed.is_set()
    assert heard.utterances[0][2] == 4


def test_without_a_model_the_stream_stays_open_and_says_how_to_install_one(
        live, runtime, settings, heard, tmp_path, caplog):
    runtime.settings = settings.with_(vosk_model=tmp_path / "no-model-here")
    runtime.store.set_call(BUSINESS, CALL, turn=1, grammar=None)
    with caplog.at_level(logging.WARNING, logger="ivr.speech"), \
            open_stream(live, settings) as client:
        client.speak_text("보일러가 고장났어요", voice="ko")
        client.dtmf("1")
        client.silence(200)
        assert not client.closed.is_set(), "the socket must stay usable"
    assert heard.utterances == []
    assert any("ivr_models_install" in r.getMessage() for r in caplog.records)


def test_a_cough_is_not_an_answer_but_the_caller_is_no_longer_marked_speaking(
        live, runtime, settings, heard):
    runtime.store.set_call(BUSINESS, CALL, turn=2, grammar=None)
    cough = ulaw_encode((np.random.default_rng(1).standard_normal(800) * 3000).astype(np.int16))
    with open_stream(live, settings) as client:
        client.silence(200)
        client.speak_ulaw(cough)
        client.silence(100)
    assert heard.speaking == [(2, True), (2, False)]
    assert heard.utterances == []


def test_an_oversized_message_drops_only_that_stream(live, runtime, settings, heard):
    runtime.store.set_call(BUSINESS, CALL, turn=5, grammar=["네"])
    flood = open_stream(live, settings)
    flood.send_raw("x" * 200_000)
    assert flood.closed.wait(10), "the app closes a stream that floods it"
    flood.close()
    with open_stream(live, settings) as client:
        client.speak_text("네", voice="ko")
        assert heard.done.wait(30), "the next stream is served as usual"
