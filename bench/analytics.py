"""Analytics speed: the dashboard's numbers for a busy month, beside the floor.

A month of synthetic conversations (a mix of bot answers, transfers with staff verdicts,
repeat callers and unanswered questions in varied wording) is measured three ways: the pure
metrics (`ivr.analytics.metrics.compute`), grouping the unanswered questions (rapidfuzz), and the whole
`/api/metrics` body read from a real redis-server (both periods, handled marks). The floor is
reading the records at all: decoding their JSON. Run: `python -m bench.analytics [--sizes ...]`.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ivr.analytics import metrics
from ivr.analytics.period import Period, period_metrics
from ivr.app.wiring import build_runtime
from ivr.config.settings import PROJECT_ROOT, Settings
from ivr.store.records import Record, iso, new_conversation
from ivr.store.redis_server import EmbeddedRedis
from ivr.store.unanswered import group_questions

UNTIL = datetime(2026, 12, 1, tzinfo=UTC)
SINCE = UNTIL - timedelta(days=30)
BUCKETS = [("hours", "bot_only"), ("payment", "bot_only"), ("quote", "bot_first"),
           ("warranty", "bot_first"), ("emergency_repair", "human"), ("complaint", "human")]
QUESTIONS = ["do you sell gift cards", "can I pay in bitcoin", "do you fix pool heaters",
             "are your technicians licensed", "do you work on boats", "what brands do you carry"]


def month(size: int, seed: int = 7) -> list[Record]:
    """`size` conversations over 30 days (and a week before, for the previous period)."""
    rng = random.Random(seed)
    callers = [f"+1512555{n:04d}" for n in range(max(size // 3, 1))]
    records = []
    for _ in range(size):
        at = SINCE - timedelta(days=7) + timedelta(seconds=rng.uniform(0, 37 * 86400))
        bucket, route = rng.choice(BUCKETS)
        rec = new_conversation(business="Polar Bear HVAC", business_key="polar-bear-hvac",
                               channel=rng.choice(["voice", "sms"]), caller=rng.choice(callers),
                               flow="hvac", now=at)
        rec.update(bucket=bucket, route=route, ended_at=iso(at + timedelta(minutes=2)))
        if route == "human":
            rec["outcome"] = "transferred"
            rec["transfer"] = {"accepted": rng.random() < 0.9,
                               "time_to_human_s": round(rng.uniform(8, 140), 1)}
            rec["feedback"] = {"needed": rng.random() < 0.7} if rng.random() < 0.6 else None
        else:
            rec["outcome"] = "resolved"
        if rng.random() < 0.1:
            words = rng.choice(QUESTIONS).split()
            if rng.random() < 0.3:
                rng.shuffle(words)
            rec["unanswered"] = [{"question": " ".join(words) + "?", "at": iso(at)}]
        rec["transcript"] = [{"role": "caller", "text": "x" * 80, "at": iso(at)}] * 6
        records.append(rec)
    return records


def timed(fn, repeats: int) -> float:
    """Median milliseconds of `fn()`."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.analytics")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print("| conversations | floor: decode JSON ms | metrics ms | unanswered groups ms | "
          "/api/metrics from Redis ms |")
    print("|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp, EmbeddedRedis(Path(tmp), persist=False) as server:
        settings = Settings(redis_url=server.url, config_path=PROJECT_ROOT / "examples")
        runtime = build_runtime(settings, clock=lambda: UNTIL)
        for size in args.sizes:
            runtime.redis.flushdb()
            records = month(size)
            for rec in records:
                runtime.store.save(rec)
            raw = [json.dumps(r) for r in records]
            floor = timed(lambda raw=raw: [json.loads(r) for r in raw], args.repeats)
            pure = timed(lambda r=records: metrics.compute(r, SINCE, UNTIL), args.repeats)
            groups = timed(lambda r=records: group_questions(r), args.repeats)
            whole = timed(lambda: period_metrics(runtime, Period(SINCE, UNTIL),
                                                 ["polar-bear-hvac"]), args.repeats)
            print(f"| {size} | {floor:.1f} | {pure:.1f} | {groups:.1f} | {whole:.1f} |")
    print()
    print("Synthetic month at one business (plus the week before); ~10% of conversations leave "
          "an unanswered question in one of six wordings. Medians of "
          f"{args.repeats} runs.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
