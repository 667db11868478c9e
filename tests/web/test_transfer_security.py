"""Transfer callbacks refuse forged requests and answer bad input with a clear 4xx."""

from __future__ import annotations

import pytest
from signing import signed_post

CALLBACKS = ("hold", "conference", "voicemail", "recorded", "recording-status", "whisper",
             "accept", "agent-status", "bridge-answered", "feedback")


@pytest.mark.parametrize("name", CALLBACKS)
def test_an_unsigned_transfer_callback_is_refused(client, name):
    reply = client.post(f"/transfer/{name}?b=polar-bear-hvac&h=conf-CA1",
                        data={"CallSid": "CA1", "Digits": "1"})
    assert reply.status_code == 403


@pytest.mark.parametrize("name", CALLBACKS)
def test_a_signed_callback_without_its_transfer_is_a_clear_400(client, name):
    reply = signed_post(client, f"/transfer/{name}", {"CallSid": "CA1"})
    assert reply.status_code == 400
    assert b"missing" in reply.data


def test_a_keypress_for_a_transfer_that_does_not_exist_gets_a_polite_goodbye(client):
    reply = signed_post(client, "/transfer/accept?b=polar-bear-hvac&h=conf-CA404",
                        {"CallSid": "CA9", "Digits": "1"})
    assert reply.status_code == 200
    assert b"no longer on the line" in reply.data and b"<Hangup" in reply.data


def test_whisper_audio_of_an_unknown_transfer_is_not_served(client):
    reply = client.get("/transfer/audio/cache/ab/abc.wav?b=polar-bear-hvac&h=conf-CA404")
    assert reply.status_code == 404
