"""Twilio Media Streams JSON ↔ typed events, at the edge (Pipecat's serializer lesson).

Twilio sends `connected`, `start`, `media`, `mark`, `dtmf` (only for <Connect><Stream>) and
`stop` messages over the WebSocket; nothing past this module sees carrier JSON. Malformed input
raises `MediaStreamError` (a ValueError) so the endpoint can log and carry on instead of
crashing. The builders write the messages the app sends (`mark`, `clear`, outbound `media`)
and those the carrier simulator plays Twilio with.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any


class MediaStreamError(ValueError):
    """A Media Streams message that is not valid JSON or not the shape Twilio sends."""


@dataclass(frozen=True)
class MediaFormat:
    encoding: str = "audio/x-mulaw"
    sample_rate: int = 8000
    channels: int = 1


@dataclass(frozen=True)
class Connected:
    protocol: str = "Call"
    version: str = "1.0.0"


@dataclass(frozen=True)
class Start:
    """The stream began: who it belongs to and the <Parameter>s the app put in the TwiML."""

    stream_sid: str
    call_sid: str
    account_sid: str = ""
    tracks: tuple[str, ...] = ("inbound",)
    custom_parameters: dict[str, str] = field(default_factory=dict)
    media_format: MediaFormat = field(default_factory=MediaFormat)
    sequence_number: int = 0


@dataclass(frozen=True)
class Media:
    """One 20 ms frame of mu-law audio."""

    stream_sid: str
    payload: bytes
    track: str = "inbound"
    chunk: int = 0
    timestamp: int = 0
    sequence_number: int = 0


@dataclass(frozen=True)
class Mark:
    stream_sid: str
    name: str
    sequence_number: int = 0


@dataclass(frozen=True)
class Dtmf:
    stream_sid: str
    digit: str
    track: str = "inbound_track"
    sequence_number: int = 0


@dataclass(frozen=True)
class Stop:
    stream_sid: str
    call_sid: str = ""
    account_sid: str = ""
    sequence_number: int = 0


Message = Connected | Start | Media | Mark | Dtmf | Stop


def _part(message: dict[str, Any], key: str) -> dict[str, Any]:
    value = message.get(key)
    if not isinstance(value, dict):
        raise MediaStreamError(f"{message.get('event')} message without a '{key}' object")
    return value


def _text(obj: dict[str, Any], key: str, required: bool = True) -> str:
    value = obj.get(key, "")
    if not isinstance(value, str) or (required and not value):
        raise MediaStreamError(f"'{key}' must be a non-empty string")
    return value


def _int(obj: dict[str, Any], key: str) -> int:
    value = obj.get(key, 0)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise MediaStreamError(f"'{key}' must be a number, got {value!r}") from None


def parse_message(raw: str | bytes) -> Message:
    """One WebSocket text message → a typed event.

    Raises:
        MediaStreamError: not JSON, not an object, an unknown event, or a missing field.
    """
    try:
        message = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MediaStreamError(f"not JSON: {exc}") from None
    if not isinstance(message, dict):
        raise MediaStreamError("a message must be a JSON object")
    kind = message.get("event")
    seq = _int(message, "sequenceNumber")
    if kind == "connected":
        return Connected(protocol=str(message.get("protocol", "Call")),
                         version=str(message.get("version", "")))
    sid = _text(message, "streamSid")
    if kind == "media":
        media = _part(message, "media")
        try:
            payload = base64.b64decode(_text(media, "payload", required=False), validate=True)
        except (binascii.Error, ValueError):
            raise MediaStreamError("media payload is not base64") from None
        return Media(stream_sid=sid, payload=payload, track=str(media.get("track", "inbound")),
                     chunk=_int(media, "chunk"), timestamp=_int(media, "timestamp"),
                     sequence_number=seq)
    if kind == "start":
        start = _part(message, "start")
        params = start.get("customParameters") or {}
        fmt = start.get("mediaFormat") or {}
        tracks = start.get("tracks") or ["inbound"]
        if not isinstance(params, dict) or not isinstance(fmt, dict) or not isinstance(
                tracks, list):
            raise MediaStreamError("start: customParameters, mediaFormat or tracks malformed")
        return Start(stream_sid=sid, call_sid=_text(start, "callSid"),
                     account_sid=str(start.get("accountSid", "")),
                     tracks=tuple(str(t) for t in tracks),
                     custom_parameters={str(k): str(v) for k, v in params.items()},
                     media_format=MediaFormat(encoding=str(fmt.get("encoding", "audio/x-mulaw")),
                                              sample_rate=_int(fmt, "sampleRate") or 8000,
                                              channels=_int(fmt, "channels") or 1),
                     sequence_number=seq)
    if kind == "mark":
        return Mark(stream_sid=sid, name=str(_part(message, "mark").get("name", "")),
                    sequence_number=seq)
    if kind == "dtmf":
        dtmf = _part(message, "dtmf")
        return Dtmf(stream_sid=sid, digit=_text(dtmf, "digit"),
                    track=str(dtmf.get("track", "inbound_track")), sequence_number=seq)
    if kind == "stop":
        stop = message.get("stop") if isinstance(message.get("stop"), dict) else {}
        return Stop(stream_sid=sid, call_sid=str(stop.get("callSid", "")),
                    account_sid=str(stop.get("accountSid", "")), sequence_number=seq)
    raise MediaStreamError(f"unknown event {kind!r}")


# -- what the app sends back (bidirectional streams) ------------------------------------------
def mark_message(stream_sid: str, name: str) -> str:
    """Ask Twilio to echo `name` back once the audio sent before it has played."""
    return json.dumps({"event": "mark", "streamSid": stream_sid, "mark": {"name": name}})


def clear_message(stream_sid: str) -> str:
    """Drop audio queued for playback (barge-in on a <Connect><Stream>)."""
    return json.dumps({"event": "clear", "streamSid": stream_sid})


def media_message(stream_sid: str, ulaw: bytes) -> str:
    """Outbound audio for the caller to hear (bidirectional streams only)."""
    return json.dumps({"event": "media", "streamSid": stream_sid,
                       "media": {"payload": base64.b64encode(ulaw).decode()}})


# -- what Twilio sends (the carrier simulator plays this part) --------------------------------
def connected_message() -> str:
    return json.dumps({"event": "connected", "protocol": "Call", "version": "1.0.0"})


def start_message(start: Start) -> str:
    fmt = start.media_format
    return json.dumps({
        "event": "start", "sequenceNumber": str(start.sequence_number),
        "streamSid": start.stream_sid,
        "start": {"accountSid": start.account_sid, "streamSid": start.stream_sid,
                  "callSid": start.call_sid, "tracks": list(start.tracks),
                  "customParameters": dict(start.custom_parameters),
                  "mediaFormat": {"encoding": fmt.encoding, "sampleRate": fmt.sample_rate,
                                  "channels": fmt.channels}},
    })


def inbound_media_message(media: Media) -> str:
    return json.dumps({
        "event": "media", "sequenceNumber": str(media.sequence_number),
        "streamSid": media.stream_sid,
        "media": {"track": media.track, "chunk": str(media.chunk),
                  "timestamp": str(media.timestamp),
                  "payload": base64.b64encode(media.payload).decode()},
    })


def dtmf_message(dtmf: Dtmf) -> str:
    return json.dumps({"event": "dtmf", "sequenceNumber": str(dtmf.sequence_number),
                       "streamSid": dtmf.stream_sid,
                       "dtmf": {"track": dtmf.track, "digit": dtmf.digit}})


def stop_message(stop: Stop) -> str:
    return json.dumps({"event": "stop", "sequenceNumber": str(stop.sequence_number),
                       "streamSid": stop.stream_sid,
                       "stop": {"accountSid": stop.account_sid, "callSid": stop.call_sid}})
