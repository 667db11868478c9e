"""Hold audio for a caller waiting for a person: a soft, slow chime loop, made locally.

Twilio's default hold music lives on Twilio's servers; ours is generated once (numpy, no
download, no licence) and cached under `audio/`, so a self-hosted install holds callers with
audio it owns. Between loops the caller hears who is being rung (see `ivr.twilio.transfer.hold`).
"""

from __future__ import annotations

import io
import uuid
import wave
from pathlib import Path

import numpy as np

#: Telephony rate: Twilio plays 8 kHz audio without resampling.
RATE = 8000

#: Length of one loop, seconds; the reassurance is repeated after each loop.
LOOP_S = 12.0

#: A gentle pentatonic phrase (Hz), one note per second-and-a-half.
NOTES = (523.25, 659.25, 783.99, 659.25, 587.33, 698.46, 880.0, 698.46)

FILE_NAME = "hold.wav"


def hold_wav_bytes(seconds: float = LOOP_S) -> bytes:
    """A mono 16-bit 8 kHz WAV of soft decaying chimes."""
    total = int(RATE * seconds)
    signal = np.zeros(total)
    step = total // len(NOTES)
    t = np.arange(step) / RATE
    envelope = np.exp(-3.0 * t)
    for i, freq in enumerate(NOTES):
        tone = np.sin(2 * np.pi * freq * t) + 0.3 * np.sin(2 * np.pi * freq * 2 * t)
        signal[i * step:(i + 1) * step] = tone * envelope
    pcm = (signal / np.max(np.abs(signal)) * 0.25 * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()


def hold_file(audio_dir: Path) -> Path:
    """The hold loop under `audio_dir`, generated on first use."""
    path = Path(audio_dir) / FILE_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".hold-{uuid.uuid4().hex}.tmp")
        tmp.write_bytes(hold_wav_bytes())
        tmp.replace(path)
    return path
