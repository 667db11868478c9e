"""The render loop of the one process that owns pyttsx3: `python -m ivr.speech.tts_worker`.

pyttsx3 is not thread-safe (two `init()`s from two threads hang one of them) and hangs in
forked children, so ivr renders in a single long-lived child started with a fresh interpreter.
It reads one JSON request per line on stdin — {"text", "path", "voice"?, "rate"?} — renders to
`path` with espeak-ng, waits until the file really exists and is non-empty (`save_to_file` can
return before it does), and answers one JSON line: {"ok": true} or {"ok": false, "error"}.
pyttsx3 prints to stdout, so the protocol runs on a private copy of the original stdout and
fd 1 is pointed at stderr.

pyttsx3 2.99's espeak driver writes the file when espeak reports the end of the message, before
adding the audio that came in that same callback: now and then a short text comes out as an
empty WAV. `keep_last_chunk` installs a callback that collects each chunk first and then lets
the driver do the rest. And when espeak still reports itself busy as the next render starts,
the driver's end-of-loop `stop()` cancels that render, leaving an empty file: so each render
first waits for espeak to go idle, and an empty result is rendered again (`ATTEMPTS`).
"""

from __future__ import annotations

import ctypes
import json
import os
import sys
import time
from pathlib import Path

#: How long to wait for the WAV to appear after runAndWait returns.
FILE_WAIT_S = 2.0

#: Renders of one request before reporting failure (see the module docstring).
ATTEMPTS = 3

#: Longest wait for espeak to finish a previous utterance before rendering.
IDLE_WAIT_S = 1.0


def _wait_for_file(path: Path) -> bool:
    deadline = time.monotonic() + FILE_WAIT_S
    last = -1
    while time.monotonic() < deadline:
        size = path.stat().st_size if path.exists() else -1
        if size >= 0 and size == last:  # written and no longer growing
            return size > 44  # more than a bare WAV header
        last = size
        time.sleep(0.005)
    return False


def _wait_idle() -> None:
    from pyttsx3.drivers import _espeak  # lazy: loads libespeak; only the render process needs it

    deadline = time.monotonic() + IDLE_WAIT_S
    while _espeak.IsPlaying() and time.monotonic() < deadline:
        time.sleep(0.005)


def render_once(engine: object, text: str, path: Path) -> bool:
    """One render of `text` to `path`; True when a WAV with audio appeared."""
    if path.exists():
        path.unlink()
    _wait_idle()
    engine.save_to_file(text, str(path))  # type: ignore[attr-defined]
    engine.runAndWait()  # type: ignore[attr-defined]
    return _wait_for_file(path)


def keep_last_chunk(engine: object) -> bool:
    """Make the espeak driver keep the final chunk of audio; False if the driver differs."""
    driver = getattr(getattr(engine, "proxy", None), "_driver", None)
    handler = getattr(driver, "_onSynth", None)
    if driver is None or handler is None or not hasattr(driver, "_data_buffer"):
        return False
    from pyttsx3.drivers import _espeak  # lazy: loads libespeak; only the render process needs it

    def on_synth(wav, numsamples, events):  # type: ignore[no-untyped-def]
        if numsamples > 0 and getattr(driver, "_speaking", False):
            driver._data_buffer += ctypes.string_at(wav, numsamples * ctypes.sizeof(ctypes.c_short))
        return handler(wav, 0, events)

    _espeak.SetSynthCallback(on_synth)
    return True


def main() -> None:
    replies = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    import pyttsx3  # lazy: loads libespeak, after stdout is moved aside for the replies

    engine = pyttsx3.init()
    keep_last_chunk(engine)
    default_voice = engine.getProperty("voice")
    default_rate = engine.getProperty("rate")
    replies.write(json.dumps({"ok": True, "ready": True}) + "\n")
    for line in sys.stdin:
        try:
            request = json.loads(line)
            path = Path(request["path"])
            engine.setProperty("voice", request.get("voice") or default_voice)
            engine.setProperty("rate", int(request.get("rate") or default_rate))
            done = any(render_once(engine, str(request["text"]), path) for _ in range(ATTEMPTS))
            reply = {"ok": True} if done else {"ok": False, "error": "espeak-ng produced no audio"}
        except Exception as exc:  # noqa: BLE001 - report, keep serving
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        replies.write(json.dumps(reply) + "\n")


if __name__ == "__main__":
    main()
