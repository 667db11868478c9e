"""Rendering spoken summaries with pyttsx3 (espeak-ng) in its own process, cached by text."""

from __future__ import annotations

import signal

import pytest

from ivr.speech import tts
from ivr.speech.audio import read_wav

SUMMARY = "Urgent. Call for Polar Bear HVAC from Jordan. About: emergency repair. Press 1."


def test_a_summary_renders_to_telephone_wav_once_and_is_served_from_cache(settings):
    path = tts.render(SUMMARY, settings=settings)
    assert path.is_relative_to(settings.audio_dir / "cache")
    samples, rate = read_wav(path)
    assert rate == 8000 and samples.size > 8000  # over a second of 8 kHz speech
    assert path.read_bytes()[20:22] == b"\x07\x00"  # WAVE_FORMAT_MULAW
    first_render = path.stat().st_mtime_ns
    again = tts.render(SUMMARY, settings=settings)
    assert again == path and again.stat().st_mtime_ns == first_render  # not re-rendered


def test_voice_and_text_each_get_their_own_cached_file(settings):
    english = tts.render("Press one to take this call.", settings=settings)
    korean = tts.render("Press one to take this call.", settings=settings, voice="ko")
    other = tts.render("Press two to pass.", settings=settings)
    assert len({english, korean, other}) == 3


def test_short_renders_back_to_back_all_produce_audio(tmp_path):
    paths = [tts.render(f"Caller {n} is waiting.", audio_dir=tmp_path) for n in range(8)]
    assert all(read_wav(p)[0].size > 2000 for p in paths)


def test_nothing_to_say_raises_render_failed_so_the_caller_falls_back_to_say(settings):
    with pytest.raises(tts.RenderFailed):
        tts.render("   ", settings=settings)


def test_korean_speech_for_the_simulator_comes_out_as_phone_frames():
    ulaw = tts.synthesize_ulaw("안녕하세요", voice="ko")
    assert len(ulaw) > 4000  # over half a second at 8 kHz, one byte per sample


def test_a_dead_render_process_is_replaced_on_the_next_render(tmp_path):
    tts.render("Warm up.", audio_dir=tmp_path)
    process = tts.renderer()._proc
    assert process is not None
    process.kill()
    process.wait()
    path = tts.render("Still talking after a crash.", audio_dir=tmp_path)
    assert read_wav(path)[0].size > 2000


class _Stopped(Exception):
    """What rq's death penalty does to a job past its timeout: an exception raised in the
    thread, by a signal, wherever the job happens to be."""


def test_a_render_stopped_midway_does_not_hand_its_late_reply_to_the_next_render(tmp_path):
    tts.render("Warm up.", audio_dir=tmp_path)  # the render process is running

    def stop(_signum, _frame):
        raise _Stopped

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, 0.05)  # well inside a minute-long summary's render
    try:
        with pytest.raises(_Stopped):
            tts.render("A summary that goes on and on. " * 120, audio_dir=tmp_path)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    short = tts.render("Gas smell at the Ortiz house.", audio_dir=tmp_path)
    samples, rate = read_wav(short)
    assert 0.5 < samples.size / rate < 5  # this text's audio, not the long one's


def test_spanish_text_is_rendered_with_a_spanish_voice(settings):
    text = "Para español, oprima nueve."
    spanish = tts.render(text, settings=settings, language="es")
    english = tts.render(text, settings=settings)

    assert tts.voice_for("es") == "roa/es-419" and tts.voice_for("en") is None
    assert spanish == tts.cache_path(settings.audio_dir, text, "roa/es-419")
    assert spanish != english and spanish.read_bytes() != english.read_bytes()
