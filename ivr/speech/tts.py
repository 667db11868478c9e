"""Text → telephone WAV with pyttsx3 (espeak-ng), rendered in one dedicated process, cached.

Used for the agent's spoken summary (the whisper) and optionally for prompts. Every render goes
through one long-lived child (`ivr.speech.tts_worker`) because pyttsx3 hangs when two threads
initialise it and in forked children; requests are serialised by a lock and bounded by a
timeout, after which the child is killed and replaced. The result is converted to 8 kHz mono
mu-law WAV (Twilio <Play> takes audio/wav) and cached under `audio/cache/` by the sha256 of
(voice, text), so a summary or prompt is rendered once. Failures raise `RenderFailed`, and the
caller falls back to <Say>.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import logging
import os
import queue
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from ivr.logs import event
from ivr.speech.audio import read_wav, to_phone_ulaw, ulaw_wav_bytes

log = logging.getLogger("ivr.tts")

#: Seconds one render may take before the render process is replaced (espeak-ng needs ~13 ms
#: for a 3-second summary; starting the process takes well under a second).
RENDER_TIMEOUT_S = 10.0

#: The longest text rendered (a summary, not a book).
MAX_CHARS = 4000

#: Words per minute for phone audio: a little slower than espeak's 175 (pyttsx3 sets 200),
#: because a summary heard once over a phone line must be understood the first time.
PHONE_RATE_WPM = 165

#: Cache folder under settings.audio_dir.
CACHE_DIR = "cache"

#: The espeak-ng voice for text in each customer language; English keeps espeak's default.
#: Latin-American Spanish: the customers are in Texas, and Castilian would sound foreign.
VOICES: dict[str, str] = {"es": "roa/es-419"}


def voice_for(language: str | None) -> str | None:
    """The espeak-ng voice that reads `language` ("es" -> "roa/es-419"; None: the default),
    so Spanish text is never read with English letter-to-sound rules."""
    return VOICES.get(language or "")


class RenderFailed(RuntimeError):
    """Text could not be rendered to audio; use <Say> instead."""


class Renderer:
    """The one pyttsx3 process of this ivr process, started on first use."""

    def __init__(self, timeout: float = RENDER_TIMEOUT_S) -> None:
        self.timeout = timeout
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[str] | None = None
        self._replies: queue.Queue[str | None] = queue.Queue()

    def render_raw(self, text: str, path: Path, voice: str | None = None,
                   rate: int | None = None) -> Path:
        """espeak-ng's own WAV (22.05 kHz PCM) of `text` at `path`."""
        request = json.dumps({"text": text, "path": str(path), "voice": voice, "rate": rate})
        with self._lock:
            try:
                proc = self._ensure()
                assert proc.stdin is not None
                proc.stdin.write(request + "\n")
                proc.stdin.flush()
                reply = self._reply()
            except BaseException as exc:
                # Whatever stopped us mid-request (a failure, or a job's timeout raised in
                # this thread), the process still owes that reply: only a fresh process keeps
                # the next render from reading it as its own.
                self._kill()
                if isinstance(exc, (OSError, RenderFailed)):
                    raise RenderFailed(f"render process failed: {exc}") from exc
                raise
        if not reply.get("ok"):
            raise RenderFailed(str(reply.get("error", "unknown render error")))
        if not path.exists() or path.stat().st_size <= 44:
            raise RenderFailed("render produced no audio")
        return path

    def close(self) -> None:
        with self._lock:
            self._kill()

    def _ensure(self) -> subprocess.Popen[str]:
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        self._kill()
        self._replies = replies = queue.Queue()
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        proc = subprocess.Popen([sys.executable, "-m", "ivr.speech.tts_worker"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True, encoding="utf-8",
                                env=env, close_fds=True)
        self._proc = proc

        def read() -> None:
            assert proc.stdout is not None
            try:
                for line in proc.stdout:
                    replies.put(line)
            except (OSError, ValueError):  # closed by _kill
                pass
            replies.put(None)

        threading.Thread(target=read, name="ivr-tts-replies", daemon=True).start()
        ready = self._reply()
        if not ready.get("ready"):
            self._kill()
            raise RenderFailed("render process did not start")
        event("tts.started", log, pid=proc.pid)
        return proc

    def _reply(self) -> dict[str, Any]:
        try:
            line = self._replies.get(timeout=self.timeout)
        except queue.Empty:
            raise RenderFailed(f"no reply within {self.timeout:g}s") from None
        if line is None:
            raise RenderFailed("render process exited")
        return json.loads(line)

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        for action in (proc.stdin.close if proc.stdin else None, proc.kill,
                       lambda: proc.wait(timeout=5),
                       proc.stdout.close if proc.stdout else None):
            if action is None:
                continue
            with contextlib.suppress(OSError, ValueError, subprocess.TimeoutExpired):
                action()


_renderer: Renderer | None = None
_renderer_lock = threading.Lock()


def renderer() -> Renderer:
    """The process's shared Renderer."""
    global _renderer
    with _renderer_lock:
        if _renderer is None:
            _renderer = Renderer()
            atexit.register(_renderer.close)
        return _renderer


def cache_path(audio_dir: Path, text: str, voice: str | None = None,
               rate: int = PHONE_RATE_WPM) -> Path:
    """Where the telephone WAV of (voice, rate, text) lives: audio/cache/ab/abcdef....wav."""
    digest = hashlib.sha256(f"{voice or 'default'}\0{rate}\0{text}".encode()).hexdigest()
    return Path(audio_dir) / CACHE_DIR / digest[:2] / f"{digest}.wav"


def _checked(text: str) -> str:
    text = " ".join(str(text).split())
    if not text:
        raise RenderFailed("nothing to say")
    if len(text) > MAX_CHARS:
        raise RenderFailed(f"text longer than {MAX_CHARS} characters")
    return text


def synthesize_ulaw(text: str, voice: str | None = None, rate: int | None = None) -> bytes:
    """8 kHz mu-law audio of `text` in an espeak-ng voice (e.g. "ko"), uncached.

    The carrier simulator speaks with this over a Media Stream.
    """
    text = _checked(text)
    with tempfile.TemporaryDirectory(prefix="ivr-tts-") as tmp:
        raw = renderer().render_raw(text, Path(tmp) / "raw.wav", voice, rate)
        try:
            samples, sample_rate = read_wav(raw)
        except ValueError as exc:
            raise RenderFailed(str(exc)) from exc
    return to_phone_ulaw(samples, sample_rate)


def render(text: str, settings: Any = None, *, audio_dir: Path | None = None,
           voice: str | None = None, rate: int = PHONE_RATE_WPM,
           language: str | None = None) -> Path:
    """The cached telephone WAV (8 kHz mu-law) of `text`, rendering it on first use.

    Args:
        text: what to say.
        settings: the process Settings (its `audio_dir` holds the cache), or...
        audio_dir: ...the audio folder directly.
        voice: an espeak-ng voice id ("gmw/en-us", "ko"); None is espeak's default.
        rate: words per minute.
        language: the language of `text` ("es"): picks its voice when `voice` is not given.

    Raises:
        RenderFailed: nothing could be rendered; fall back to <Say>.
    """
    text = _checked(text)
    voice = voice or voice_for(language)
    base = audio_dir if audio_dir is not None else getattr(settings, "audio_dir", None)
    if base is None:
        raise TypeError("render needs settings or audio_dir")
    path = cache_path(Path(base), text, voice, rate)
    if path.exists() and path.stat().st_size > 44:
        return path
    ulaw = synthesize_ulaw(text, voice, rate)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            handle.write(ulaw_wav_bytes(ulaw))
        os.replace(tmp, path)
    except OSError as exc:
        raise RenderFailed(f"cannot write {path}: {exc}") from exc
    return path
