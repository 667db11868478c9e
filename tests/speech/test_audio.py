"""Telephone audio conversions: what Twilio sends must reach Vosk intact, and back."""

from __future__ import annotations

import numpy as np
import pytest

from ivr.speech import audio


def tone(freq: float, rate: int, seconds: float = 0.5, level: float = 8000) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (level * np.sin(2 * np.pi * freq * t)).astype(np.int16)


def test_mu_law_round_trip_keeps_every_code_and_stays_within_g711_steps():
    codes = bytes(c for c in range(256) if c != 0x7F)  # 0x7F is "negative zero", same as 0xFF
    assert audio.ulaw_encode(audio.ulaw_decode(codes)) == codes
    everything = np.arange(-32768, 32768, dtype=np.int16)
    back = audio.ulaw_decode(audio.ulaw_encode(everything)).astype(int)
    error = np.abs(back - everything.astype(int))
    assert error[np.abs(everything.astype(int)) < 1000].max() <= 32  # fine steps when quiet
    assert error.max() <= 1024  # the coarsest G.711 segment


def test_mu_law_matches_the_g711_reference_values():
    assert audio.ulaw_encode(np.array([0], dtype=np.int16)) == b"\xff"
    assert list(audio.ulaw_decode(b"\x00\x80\xff\x7f")) == [-32124, 32124, 0, 0]


def test_a_phone_frame_upsampled_frame_by_frame_is_one_continuous_16k_signal():
    phone = tone(440, 8000, 1.0)
    resampler = audio.StreamResampler(8000, 16000)
    out = np.concatenate([resampler.feed(phone[i:i + 160]) for i in range(0, phone.size, 160)])
    assert abs(out.size - 16000) <= 1
    reference = 8000 * np.sin(2 * np.pi * 440 * np.arange(out.size) / 16000)
    assert np.max(np.abs(out - reference)) < 200  # no clicks at the 20 ms frame edges


def test_downsampling_espeak_audio_to_the_phone_rate_drops_what_the_line_cannot_carry():
    speech_band = audio.resample(tone(440, 22050), 22050, 8000)
    above_nyquist = audio.resample(tone(6000, 22050), 22050, 8000)
    assert speech_band.size == pytest.approx(4000, abs=1)
    assert audio.dbfs(speech_band[200:-200]) > -16
    assert audio.dbfs(above_nyquist[200:-200]) < -40  # filtered, not aliased to 2 kHz


def test_wav_files_round_trip_as_pcm_and_as_telephone_mu_law(tmp_path):
    samples = tone(300, 16000)
    pcm_path = audio.write_wav(tmp_path / "pcm.wav", samples, 16000)
    read, rate = audio.read_wav(pcm_path)
    assert rate == 16000 and np.array_equal(read, samples)
    ulaw = audio.to_phone_ulaw(samples, 16000)
    phone_path = audio.write_ulaw_wav(tmp_path / "phone.wav", ulaw)
    read, rate = audio.read_wav(phone_path)
    assert rate == 8000 and np.array_equal(read, audio.ulaw_decode(ulaw))


def test_a_file_that_is_not_a_wav_is_refused_clearly(tmp_path):
    bogus = tmp_path / "bogus.wav"
    bogus.write_bytes(b"ID3 this is an mp3")
    with pytest.raises(ValueError, match="not a WAV"):
        audio.read_wav(bogus)


def test_silence_and_framing_follow_twilios_20_ms_frames():
    assert audio.FRAME_BYTES == 160
    assert audio.silence_frame() == b"\xff" * 160
    chunks = audio.frames(b"\x00" * 400)
    assert [len(c) for c in chunks] == [160, 160, 160]
    assert chunks[-1].endswith(b"\xff" * 80)
    assert audio.dbfs(audio.ulaw_decode(audio.silence_frame())) == audio.FLOOR_DBFS
