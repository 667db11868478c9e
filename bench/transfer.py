"""Warm-transfer timings: escalation decision → agent leg requested, and whisper rendering.

`python -m bench.transfer` starts a private redis-server, the app on a loopback server and the
carrier simulator (agent phones just ring, so no other work competes), then measures:

- escalation decision → agent leg requested: `start_call_transfer` from entry until Twilio's
  REST API (the simulator) has accepted the agent's call — the part of time-to-human we control;
- the floor beside it: one bare `calls.create` through the same REST client;
- whisper rendering with pyttsx3/espeak-ng: the first render (render process starting), cold
  renders of new summaries, and cached lookups of a summary already rendered.

Prints a Markdown table; exits 1 if any run errored.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import traceback
from pathlib import Path

import redis

RUNS = 20


def ms(samples: list[float]) -> tuple[str, str]:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return f"{statistics.median(ordered) * 1000:.1f}", f"{p90 * 1000:.1f}"


def measure_transfers(tmp: Path) -> list[tuple[str, list[float]]]:
    from ivr.app.wiring import build_runtime
    from ivr.config.settings import PROJECT_ROOT, Settings
    from ivr.conversation.service import Turn
    from ivr.flow.actions import Transfer
    from ivr.flow.state import State
    from ivr.handoff.transfer import start_call_transfer
    from ivr.sim import Carrier, LiveServer
    from ivr.store.records import new_conversation
    from ivr.store.redis_server import EmbeddedRedis
    from ivr.web import create_app

    account, token = "AC" + "0" * 31 + "9", "bench-auth-token"
    server = EmbeddedRedis(tmp / "redis", persist=False).start()
    carrier = Carrier(account, token, no_answer_s=60.0).start()
    live = None
    try:
        settings = Settings(account_sid=account, auth_token=token, api_base=carrier.api_base,
                            public_url="http://ivr.bench", redis_url=server.url,
                            config_path=PROJECT_ROOT / "examples", api_token="bench",
                            var_dir=tmp / "var", audio_dir=tmp / "audio")
        runtime = build_runtime(settings, connection=redis.Redis.from_url(server.url))
        live = LiveServer(create_app(runtime=runtime)).start()
        carrier.connect(app_url=live.url, public_url=settings.public_url)
        business = runtime.directory.by_number("+15125550200")
        assert business is not None
        action = Transfer(skill="emergency", reasons=("emergency",), urgent=True,
                          summary="Gas smell, furnace out, caller at home with a baby.")
        decision, floor = [], []
        for i in range(RUNS + 2):
            record = new_conversation(business=business.name, business_key=business.key,
                                      channel="voice", caller="+15125550199",
                                      flow=business.flow_name, now=runtime.clock())
            record["slots"], record["bucket"] = {"town": "Round Rock"}, "emergency_repair"
            runtime.store.save(record)
            sid = f"CA{i:032x}"
            turn = Turn(actions=[action], record=record, state=State(), key=sid)
            started = time.perf_counter()
            start_call_transfer(runtime, business, turn, sid)
            took = time.perf_counter() - started
            started = time.perf_counter()
            runtime.twilio.calls.create(to="+15125550212", from_=business.numbers[0],
                                        url="http://ivr.bench/transfer/whisper")
            bare = time.perf_counter() - started
            if i >= 2:  # the first runs warm up connections and imports
                decision.append(took)
                floor.append(bare)
        return [("escalation decision → agent leg requested", decision),
                ("floor: one bare REST calls.create", floor)]
    finally:
        carrier.stop()
        if live is not None:
            live.stop()
        server.stop()


def measure_rendering(tmp: Path) -> list[tuple[str, list[float]]]:
    from ivr.config.settings import Settings
    from ivr.handoff.summary import render

    settings = Settings(audio_dir=tmp / "render")
    started = time.perf_counter()
    if render(settings, "Warming up the render process.") is None:
        raise RuntimeError("whisper rendering failed (is espeak-ng installed?)")
    first = [time.perf_counter() - started]
    cold, cached = [], []
    for i in range(RUNS):
        text = (f"Urgent. Call for Polar Bear HVAC from a caller, 5 1 2, 5 5 5, 0 1 {i}. "
                "About: emergency repair. Details: town: Round Rock. Reasons: emergency. "
                "Bot confidence 82 percent. They said: I smell gas and the furnace is out.")
        started = time.perf_counter()
        path = render(settings, text)
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        again = render(settings, text)
        cached.append(time.perf_counter() - started)
        if path is None or again != path:
            raise RuntimeError("whisper rendering returned no file or a different file")
    return [("whisper render, first short text (render process starts)", first),
            ("whisper render, cold (new summary)", cold),
            ("whisper render, cached", cached)]


def main() -> int:
    rows: list[tuple[str, list[float]]] = []
    failed = False
    with tempfile.TemporaryDirectory(prefix="ivr-bench-transfer-") as tmp:
        for part in (measure_transfers, measure_rendering):
            try:
                rows += part(Path(tmp))
            except Exception:
                traceback.print_exc()
                failed = True
    print("| measure | runs | median ms | p90 ms |")
    print("|---|---:|---:|---:|")
    for name, samples in rows:
        median, p90 = ms(samples)
        print(f"| {name} | {len(samples)} | {median} | {p90} |")
    return 1 if failed or not rows else 0


if __name__ == "__main__":
    sys.exit(main())
