"""Media Streams messages: Twilio's JSON becomes typed events; anything else is a clear error."""

from __future__ import annotations

import base64
import json

import pytest

from ivr.twilio.media import (
    Connected,
    Dtmf,
    Mark,
    Media,
    MediaStreamError,
    Start,
    Stop,
    clear_message,
    mark_message,
    parse_message,
)

STREAM = "MZ" + "1" * 32
CALL = "CA" + "2" * 32

# As Twilio documents them (https://www.twilio.com/docs/voice/media-streams/websocket-messages).
START = {
    "event": "start", "sequenceNumber": "1", "streamSid": STREAM,
    "start": {"accountSid": "AC" + "3" * 32, "streamSid": STREAM, "callSid": CALL,
              "tracks": ["inbound"],
              "customParameters": {"business": "polar-bear-hvac", "call": CALL},
              "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1}},
}
MEDIA = {"event": "media", "sequenceNumber": "3", "streamSid": STREAM,
         "media": {"track": "inbound", "chunk": "1", "timestamp": "5",
                   "payload": base64.b64encode(b"\xff" * 160).decode()}}


def test_start_carries_the_call_and_the_parameters_the_app_put_in_the_twiml():
    start = parse_message(json.dumps(START))
    assert isinstance(start, Start)
    assert start.call_sid == CALL and start.stream_sid == STREAM
    assert start.custom_parameters == {"business": "polar-bear-hvac", "call": CALL}
    assert start.media_format.sample_rate == 8000 and start.tracks == ("inbound",)


def test_media_frames_decode_to_mu_law_bytes():
    media = parse_message(json.dumps(MEDIA))
    assert isinstance(media, Media)
    assert media.payload == b"\xff" * 160
    assert (media.chunk, media.timestamp, media.sequence_number) == (1, 5, 3)


def test_the_other_events_parse():
    assert isinstance(parse_message('{"event": "connected", "protocol": "Call", '
                                    '"version": "1.0.0"}'), Connected)
    mark = parse_message(json.dumps({"event": "mark", "streamSid": STREAM,
                                     "sequenceNumber": "4", "mark": {"name": "prompt-1"}}))
    assert mark == Mark(stream_sid=STREAM, name="prompt-1", sequence_number=4)
    dtmf = parse_message(json.dumps({"event": "dtmf", "streamSid": STREAM, "sequenceNumber": "5",
                                     "dtmf": {"track": "inbound_track", "digit": "1"}}))
    assert isinstance(dtmf, Dtmf) and dtmf.digit == "1"
    stop = parse_message(json.dumps({"event": "stop", "streamSid": STREAM, "sequenceNumber": "6",
                                     "stop": {"accountSid": "AC1", "callSid": CALL}}))
    assert stop == Stop(stream_sid=STREAM, call_sid=CALL, account_sid="AC1", sequence_number=6)


@pytest.mark.parametrize("raw, problem", [
    ("not json at all", "not JSON"),
    (b"\xff\xfe", "not JSON"),
    ("[1, 2]", "JSON object"),
    ('{"event": "media", "media": {"payload": ""}}', "streamSid"),
    (json.dumps({**MEDIA, "media": {"payload": "%%%not base64"}}), "base64"),
    (json.dumps({**MEDIA, "media": "frame"}), "'media' object"),
    (json.dumps({**START, "start": {**START["start"], "callSid": ""}}), "callSid"),
    (json.dumps({**START, "start": {**START["start"], "customParameters": ["x"]}}), "malformed"),
    (json.dumps({**MEDIA, "sequenceNumber": "three"}), "number"),
    ('{"event": "dance", "streamSid": "MZ1"}', "unknown event"),
])
def test_malformed_messages_raise_a_typed_error_not_a_crash(raw, problem):
    with pytest.raises(MediaStreamError, match=problem):
        parse_message(raw)


def test_outgoing_mark_and_clear_are_what_twilio_expects():
    assert json.loads(mark_message(STREAM, "prompt-1")) == {
        "event": "mark", "streamSid": STREAM, "mark": {"name": "prompt-1"}}
    assert json.loads(clear_message(STREAM)) == {"event": "clear", "streamSid": STREAM}
