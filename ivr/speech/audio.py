"""Telephone audio as numpy arrays: G.711 mu-law, resampling, WAV files, frames and energy.

Twilio carries calls as mu-law 8 kHz mono in 20 ms frames (160 bytes); Vosk wants 16-bit PCM
at its model's rate (16 kHz for the small models); espeak-ng renders 22.05 kHz PCM and Twilio's
<Play> wants telephone WAV. Every conversion between those lives here, pure (no I/O except the
WAV helpers), so the recogniser, the renderer and the simulator share one tested copy.
Python 3.13 removed `audioop`, hence numpy (and libsoxr for resampling buffers).
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import soxr

#: Twilio's telephone sample rate.
PHONE_RATE = 8000

#: Twilio sends (and expects) one frame per 20 ms.
FRAME_MS = 20

#: Bytes in one 20 ms mu-law frame at 8 kHz (one byte per sample).
FRAME_BYTES = PHONE_RATE * FRAME_MS // 1000

#: The mu-law byte for a zero sample: what a silent line carries.
ULAW_SILENCE = 0xFF

#: Energy reported for digital silence (rms 0), instead of -inf.
FLOOR_DBFS = -96.0

_BIAS = 0x84
_CLIP = 32635
_WAVE_PCM = 1
_WAVE_ULAW = 7
_WAVE_EXTENSIBLE = 0xFFFE


def _build_decode_table() -> np.ndarray:
    u = ~np.arange(256, dtype=np.int32) & 0xFF
    exponent = (u >> 4) & 0x07
    mantissa = u & 0x0F
    magnitude = (((mantissa << 3) + _BIAS) << exponent) - _BIAS
    return np.where(u & 0x80, -magnitude, magnitude).astype(np.int16)


def _build_encode_table() -> np.ndarray:
    x = np.arange(-32768, 32768, dtype=np.int32)
    sign = np.where(x < 0, 0x80, 0)
    magnitude = np.minimum(np.abs(x), _CLIP) + _BIAS
    exponent = np.floor(np.log2(magnitude >> 7)).astype(np.int32)  # magnitude >> 7 is 1..255
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return (~(sign | (exponent << 4) | mantissa) & 0xFF).astype(np.uint8)


_DECODE = _build_decode_table()
_ENCODE = _build_encode_table()


def ulaw_decode(data: bytes) -> np.ndarray:
    """ITU G.711 mu-law bytes → int16 samples."""
    return _DECODE[np.frombuffer(data, dtype=np.uint8)]


def ulaw_encode(samples: np.ndarray) -> bytes:
    """int16 samples → ITU G.711 mu-law bytes."""
    index = np.asarray(samples, dtype=np.int32) + 32768
    return _ENCODE[index].tobytes()


def to_int16(samples: np.ndarray) -> np.ndarray:
    """Round and clip float samples to int16."""
    return np.clip(np.rint(samples), -32768, 32767).astype(np.int16)


def resample(samples: np.ndarray, src_rate: int, dst_rate: int) -> np.ndarray:
    """Resample a whole buffer (int16 in, int16 out) with libsoxr.

    Its band-limited filter keeps espeak's 22 kHz audio from aliasing onto the phone band, at
    about a tenth of the CPU of a numpy windowed-sinc (a whisper is rendered per transfer).
    """
    samples = np.asarray(samples)
    if src_rate == dst_rate or samples.size == 0:
        return samples.astype(np.int16, copy=True)
    return soxr.resample(samples.astype(np.int16, copy=False), src_rate, dst_rate, quality="HQ")


class StreamResampler:
    """Upsamples a stream frame by frame without clicks at the frame edges.

    Linear interpolation that carries the last sample of each frame into the next, so a call's
    20 ms frames come out as one continuous signal at the model's rate.
    """

    def __init__(self, src_rate: int, dst_rate: int) -> None:
        if dst_rate < src_rate:
            raise ValueError("StreamResampler only upsamples (use resample() for buffers)")
        self.src_rate = src_rate
        self.dst_rate = dst_rate
        self._step = src_rate / dst_rate
        self._seen = 0  # input samples consumed so far
        self._next = 0.0  # time of the next output sample, in input-sample units
        self._last = 0.0

    def feed(self, samples: np.ndarray) -> np.ndarray:
        """The resampled continuation of the stream for one more frame."""
        x = np.asarray(samples, dtype=np.float64)
        if self.src_rate == self.dst_rate or x.size == 0:
            return to_int16(x)
        if self._seen:
            series, base = np.concatenate(([self._last], x)), self._seen - 1
        else:
            series, base = x, 0
        top = self._seen + x.size - 1
        positions = np.arange(self._next, top + 1e-9, self._step)
        out = np.interp(positions, base + np.arange(series.size), series)
        if positions.size:
            self._next = positions[-1] + self._step
        self._seen += x.size
        self._last = float(x[-1])
        return to_int16(out)


def dbfs(samples: np.ndarray) -> float:
    """Loudness of a frame in dB relative to full scale (FLOOR_DBFS for digital silence)."""
    x = np.asarray(samples, dtype=np.float64)
    if x.size == 0:
        return FLOOR_DBFS
    rms = float(np.sqrt(np.mean(x * x)))
    return max(FLOOR_DBFS, 20 * np.log10(rms / 32768)) if rms > 0 else FLOOR_DBFS


def silence(ms: int, rate: int = PHONE_RATE) -> bytes:
    """`ms` milliseconds of mu-law silence."""
    return bytes([ULAW_SILENCE]) * (rate * ms // 1000)


def silence_frame() -> bytes:
    """One 20 ms mu-law frame of silence."""
    return silence(FRAME_MS)


def frames(data: bytes, size: int = FRAME_BYTES) -> list[bytes]:
    """Cut mu-law audio into frames of `size` bytes, padding the last with silence."""
    out = [data[i:i + size] for i in range(0, len(data), size)]
    if out and len(out[-1]) < size:
        out[-1] = out[-1] + bytes([ULAW_SILENCE]) * (size - len(out[-1]))
    return out


# -- WAV files -------------------------------------------------------------------------------
def _riff(fmt: bytes, data: bytes, extra_chunks: bytes = b"") -> bytes:
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + extra_chunks
    body += b"data" + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")
    return b"RIFF" + struct.pack("<I", len(body)) + body


def wav_bytes(samples: np.ndarray, rate: int) -> bytes:
    """A 16-bit PCM mono WAV file's bytes."""
    data = np.asarray(samples, dtype="<i2").tobytes()
    fmt = struct.pack("<HHIIHH", _WAVE_PCM, 1, rate, rate * 2, 2, 16)
    return _riff(fmt, data)


def ulaw_wav_bytes(ulaw: bytes, rate: int = PHONE_RATE) -> bytes:
    """A mu-law mono WAV file's bytes (what Twilio <Play> takes for telephone audio)."""
    fmt = struct.pack("<HHIIHHH", _WAVE_ULAW, 1, rate, rate, 1, 8, 0)
    fact = b"fact" + struct.pack("<II", 4, len(ulaw))
    return _riff(fmt, ulaw, fact)


def write_wav(path: Path, samples: np.ndarray, rate: int) -> Path:
    """Write 16-bit PCM mono WAV."""
    Path(path).write_bytes(wav_bytes(samples, rate))
    return Path(path)


def write_ulaw_wav(path: Path, ulaw: bytes, rate: int = PHONE_RATE) -> Path:
    """Write mu-law mono WAV."""
    Path(path).write_bytes(ulaw_wav_bytes(ulaw, rate))
    return Path(path)


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Read a PCM (8/16/32-bit) or mu-law WAV as int16 mono samples and its rate.

    Raises:
        ValueError: not a WAV file, or an encoding this reader does not handle.
    """
    raw = Path(path).read_bytes()
    if len(raw) < 12 or raw[:4] != b"RIFF" or raw[8:12] != b"WAVE":
        raise ValueError(f"{path}: not a WAV file")
    fmt: tuple[int, ...] | None = None
    data: bytes | None = None
    pos = 12
    while pos + 8 <= len(raw):
        chunk, size = raw[pos:pos + 4], struct.unpack("<I", raw[pos + 4:pos + 8])[0]
        body = raw[pos + 8:pos + 8 + size]
        if chunk == b"fmt ":
            fmt = struct.unpack("<HHIIHH", body[:16])
            if fmt[0] == _WAVE_EXTENSIBLE and len(body) >= 26:
                fmt = (struct.unpack("<H", body[24:26])[0], *fmt[1:])
        elif chunk == b"data":
            data = body
        pos += 8 + size + (size % 2)
    if fmt is None or data is None:
        raise ValueError(f"{path}: WAV without fmt or data chunk")
    tag, channels, rate, _, _, bits = fmt
    if tag == _WAVE_ULAW:
        samples = ulaw_decode(data)
    elif tag == _WAVE_PCM and bits == 16:
        samples = np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2").astype(np.int16)
    elif tag == _WAVE_PCM and bits == 8:
        samples = ((np.frombuffer(data, dtype=np.uint8).astype(np.int16) - 128) << 8)
    elif tag == _WAVE_PCM and bits == 32:
        wide = np.frombuffer(data[: len(data) // 4 * 4], dtype="<i4")
        samples = (wide >> 16).astype(np.int16)
    else:
        raise ValueError(f"{path}: unsupported WAV encoding (format {tag}, {bits} bits)")
    if channels > 1:
        usable = samples[: samples.size // channels * channels].reshape(-1, channels)
        samples = to_int16(usable.astype(np.float64).mean(axis=1))
    return samples, rate


def to_phone_ulaw(samples: np.ndarray, rate: int) -> bytes:
    """Any mono int16 audio → 8 kHz mu-law bytes for the phone line."""
    return ulaw_encode(resample(samples, rate, PHONE_RATE))
