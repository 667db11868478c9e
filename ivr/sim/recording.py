"""Recordings made by <Record>: the caller's audio kept as a WAV the app can fetch by REST.

`RecordingUrl` points at the carrier's REST API (like api.twilio.com); appending ".wav" (or
nothing) downloads the media, and the JSON resource lives at ".json".
"""

from __future__ import annotations

import io
import math
import struct
import wave
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from ivr.sim.ids import API_VERSION, new_sid, now, rfc2822

if TYPE_CHECKING:
    from ivr.sim.carrier import Carrier

#: Telephone audio: 8 kHz, 16-bit, mono.
RATE = 8000


def tone(seconds: float = 1.0, hz: float = 440.0) -> bytes:
    """A plain tone as 8 kHz 16-bit PCM: the default "message" a test leaves."""
    samples = int(RATE * seconds)
    return b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * hz * i / RATE)))
                    for i in range(samples))


def as_wav(audio: bytes) -> tuple[bytes, float]:
    """WAV bytes and duration for `audio` (a WAV file, or raw 8 kHz 16-bit mono PCM)."""
    if audio[:4] == b"RIFF":
        with wave.open(io.BytesIO(audio)) as wav:
            return audio, wav.getnframes() / float(wav.getframerate())
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(audio)
    return buffer.getvalue(), len(audio) / (2.0 * RATE)


@dataclass
class Recording:
    """Twilio's Recording resource plus the audio."""

    call_sid: str
    wav: bytes
    duration: float
    sid: str = field(default_factory=lambda: new_sid("RE"))
    source: str = "RecordVerb"
    status: str = "completed"
    conference_sid: str | None = None
    deleted: bool = False
    date_created: datetime = field(default_factory=now)

    def media_url(self, carrier: Carrier) -> str:
        """`RecordingUrl` as Twilio sends it: no extension."""
        return f"{carrier.api_base}{carrier.base_path}/Recordings/{self.sid}"

    def to_json(self, carrier: Carrier) -> dict[str, object]:
        uri = f"{carrier.base_path}/Recordings/{self.sid}.json"
        return {
            "sid": self.sid, "account_sid": carrier.account_sid, "api_version": API_VERSION,
            "call_sid": self.call_sid, "conference_sid": self.conference_sid,
            "date_created": rfc2822(self.date_created), "date_updated": rfc2822(self.date_created),
            "start_time": rfc2822(self.date_created), "duration": str(round(self.duration)),
            "channels": 1, "source": self.source, "status": self.status, "price": None,
            "price_unit": "USD", "error_code": None, "encryption_details": None,
            "media_url": self.media_url(carrier), "uri": uri,
            "subresource_uris": {"transcriptions": uri.replace(".json", "/Transcriptions.json")},
        }
