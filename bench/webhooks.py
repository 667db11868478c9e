"""Webhook turns (SMS and voice) at 8 and 32 concurrent conversations, beside the floor.

The floor is the least a stateful webhook must do (`bench.floor_app`: check the signature, claim
the webhook once with SET NX, GET the ~2 KB conversation, SET it back with a TTL, fixed TwiML),
under the same gunicorn settings with a redis-server of its own; ratios compare the product with
it. Targets (issue 21): p99 within 1.5x of the floor and p50 within 2x, at least 500 turns/s on
2 cores. The two are driven in alternating slices, so both meet
the same noise from the machine's neighbours. Server CPU per turn (from /proc, every server
process: gunicorn workers, redis-server, and the `ivr worker` with its render process, which
runs the texts, spoken summaries and digests the turns queue; each slice waits for that work to
finish) is the figure least disturbed by other load on the machine.
Run: `python -m bench.webhooks [--seconds N] [--rounds N] [--workers N --threads N]`.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import redis
from rq.registry import StartedJobRegistry

from bench.loadgen import Target, pooled, run
from bench.servers import (
    AUTH_TOKEN,
    THREADS,
    WORKERS,
    CpuMeter,
    Product,
    floor_server,
    process_tree,
    product_server,
    queued_jobs,
)
from ivr.jobs.queues import QUEUE_NAMES

BUSINESS = "+15125550200"  # Polar Bear HVAC (examples/)
#: Conversations behind the paced row (enough that the pace, not they, sets the rate).
PACED_CONVERSATIONS = 16


@dataclass(frozen=True)
class Side:
    """One server under test: where to send turns, its CPU meters (one per group of its
    processes; their sum is its CPU), and how to wait for the work its turns left queued (the
    floor queues none)."""

    target: Target
    parts: dict[str, CpuMeter]
    settle: Callable[[], None] = lambda: None


def drained(redis_url: str, timeout: float = 60.0) -> Callable[[], None]:
    """Waits until the `ivr worker` has run every job that is due, so each slice's CPU
    includes the texts, renders and digests its own turns queued (and no earlier slice's)."""
    conn = redis.Redis.from_url(redis_url)

    def settle() -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not queued_jobs(conn) and not any(
                    StartedJobRegistry(name, connection=conn).count for name in QUEUE_NAMES):
                return
            time.sleep(0.05)
        raise RuntimeError(f"the worker did not catch up within {timeout:g} s")

    return settle


def product_side(served: Product) -> Side:
    """A running `ivr serve` (with its `ivr worker`) as a side to drive: its CPU is its web
    processes', its redis-server's and its worker's with the render process."""
    worker_pid = served.worker.pid if served.worker else 0
    return Side(Target(served.url, served.url, AUTH_TOKEN, BUSINESS), {
        "web": CpuMeter(lambda: served.web_pids),
        "redis": CpuMeter(lambda: [served.redis_pid]),
        "worker": CpuMeter(lambda: process_tree(worker_pid))}, drained(served.redis_url))


def measured(side: Side, kind: str, conc: int, seconds: float, seed: int,
             rate: float | None = None) -> dict:
    """One run: the load generator's figures plus the servers' CPU seconds, the queued work
    the turns left included."""
    for meter in side.parts.values():
        meter.start()
    harness = time.process_time()  # this process: the load generator and carrier simulator
    result = run(side.target, kind, conc, seconds, seed, rate)
    caught_up = time.monotonic()
    side.settle()
    result["settle_s"] = time.monotonic() - caught_up
    result["harness_s"] = time.process_time() - harness
    result["parts_s"] = {name: meter.stop() for name, meter in side.parts.items()}
    result["cpu_s"] = sum(result["parts_s"].values())
    return result


def row(floor: Side, ours: Side, kind: str, conc: int, seconds: float, rounds: int,
        seeds: Iterator[int], rate: float | None = None) -> tuple[dict, dict]:
    """The floor and the product driven in alternating slices (floor first, then ours first,
    ...), `seconds` each in all, so a noisy neighbour or a slow minute lands on both alike.
    Returns (ours, floor), each pooled over its slices with CPU milliseconds per turn."""
    slices: dict[int, list[dict]] = {0: [], 1: []}
    for number in range(rounds):
        order = (0, 1) if number % 2 == 0 else (1, 0)
        for side in order:
            slices[side].append(measured((floor, ours)[side], kind, conc, seconds / rounds,
                                         next(seeds), rate))
    results = []
    for side in (1, 0):
        result = pooled(slices[side])
        result["cpu_ms"] = (sum(r["cpu_s"] for r in slices[side]) * 1000
                            / max(1, result["turns"]))
        result["parts_ms"] = {name: sum(r["parts_s"][name] for r in slices[side]) * 1000
                              / max(1, result["turns"]) for name in slices[side][0]["parts_s"]}
        result["harness_ms"] = (sum(r["harness_s"] for r in slices[side]) * 1000
                                / max(1, result["turns"]))
        # What the machine sustains: the turns over the time until their queued work was done.
        busy = result["seconds"] + sum(r["settle_s"] for r in slices[side])
        result["sustained_turns_per_s"] = result["turns"] / busy if busy else 0.0
        results.append(result)
    return results[0], results[1]


def rates(result: dict) -> str:
    """Pooled turns per second, with the slowest and fastest slice's."""
    return (f"{result['turns_per_s']:.0f} ({result['slowest_turns_per_s']:.0f}–"
            f"{result['fastest_turns_per_s']:.0f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.webhooks")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=4,
                        help="alternating floor/ivr slices per row (the seconds are split)")
    parser.add_argument("--concurrency", type=int, nargs="*", default=[8, 32])
    parser.add_argument("--paced", type=float, default=100.0,
                        help="also a row at this many turns/s in all (0: none): the wait a "
                             "caller hears on an ordinary day, not in a flood")
    parser.add_argument("--channels", nargs="*", choices=("sms", "voice"),
                        default=["sms", "voice"])
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn workers (both)")
    parser.add_argument("--threads", type=int, default=THREADS, help="threads per worker (both)")
    args = parser.parse_args(argv)
    rows = []
    errored = False
    seeds = itertools.count(1)  # every slice its own callers: nobody continues a conversation
    with floor_server(args.workers, args.threads) as (floor_url, floor_pid, floor_redis), \
            product_server(worker=True, workers=args.workers, threads=args.threads) as served:
        floor = Target(floor_url, floor_url, AUTH_TOKEN, BUSINESS)
        ours_side = product_side(served)
        product = ours_side.target
        floor_side = Side(floor, {"web": CpuMeter(lambda: process_tree(floor_pid)),
                                  "redis": CpuMeter(lambda: [floor_redis])})
        for kind in ("sms", "voice"):  # warm every worker's imports and flow caches
            run(product, kind, 16, 2.0, next(seeds))
            run(floor, kind, 16, 1.0, next(seeds))
        ours_side.settle()
        for kind in args.channels:
            loads: list[tuple[str, int, float | None]] = [
                (str(conc), conc, None) for conc in args.concurrency]
            if args.paced:
                loads.append((f"{PACED_CONVERSATIONS}, paced to {args.paced:g}/s",
                               PACED_CONVERSATIONS, args.paced))
            for label, conc, pace in loads:
                ours, base = row(floor_side, ours_side, kind, conc, args.seconds, args.rounds,
                                 seeds, pace)
                errored |= bool(ours["errors"] or base["errors"])
                rows.append((kind, label, ours, base))
    print("| channel | conversations | ivr p50 ms | ivr p99 ms | ivr turns/s (slices) "
          "| ivr sustained turns/s | ivr CPU ms/turn | floor p50 ms | floor p99 ms "
          "| floor turns/s (slices) | floor CPU ms/turn | p50 ratio | p99 ratio | throughput ratio "
          "| errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for kind, conc, ours, base in rows:
        p50_ratio = ours["p50_ms"] / base["p50_ms"] if base["p50_ms"] else float("nan")
        p99_ratio = ours["p99_ms"] / base["p99_ms"] if base["p99_ms"] else float("nan")
        tput_ratio = ours["turns_per_s"] / base["turns_per_s"] if base["turns_per_s"] else 0
        print(f"| {kind} | {conc} | {ours['p50_ms']:.1f} | {ours['p99_ms']:.1f} | "
              f"{rates(ours)} | {ours['sustained_turns_per_s']:.0f} | {ours['cpu_ms']:.2f} | "
              f"{base['p50_ms']:.1f} | "
              f"{base['p99_ms']:.1f} | {rates(base)} | {base['cpu_ms']:.2f} | "
              f"{p50_ratio:.2f}x | {p99_ratio:.2f}x | {tput_ratio:.2f}x | {ours['errors'] + base['errors']} |")
    print()
    print("Where ivr's CPU per turn goes (ms):")
    print()
    cores = os.cpu_count() or 1
    print("| channel | conversations | gunicorn (web) | redis-server | `ivr worker` and its "
          f"render process | all | turns/s this CPU allows on {cores} cores | "
          "load generator and carrier simulator (not ivr) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind, conc, ours, _base in rows:
        parts = ours["parts_ms"]
        print(f"| {kind} | {conc} | {parts['web']:.2f} | {parts['redis']:.2f} | "
              f"{parts['worker']:.2f} | {ours['cpu_ms']:.2f} | "
              f"{cores * 1000 / ours['cpu_ms']:.0f} | {ours['harness_ms']:.2f} |")
    print()
    print("Turns/s this CPU allows: the cores' CPU seconds over ivr's CPU per turn, what the "
          "machine would carry with nothing else on it. Here the load generator and the "
          "carrier simulator (Twilio's part, elsewhere in production) take their share of the "
          "same cores, so the measured rates are lower.")
    print()
    print("The floor: check the signature, claim the webhook with SET NX, GET the ~2 KB "
          "conversation, SET it back with a TTL (its own redis-server, its CPU counted); "
          "ivr's text path must come within 2x of it at p50 and 1.5x at p99.")
    print()
    print(f"gunicorn gthread, {args.workers} workers x {args.threads} threads (access log on) "
          "for both, plus one `ivr worker` for the jobs the turns queue (its CPU counted). "
          f"Each row drives the floor and ivr {args.seconds:g} s each, in {args.rounds} "
          "alternating slices (turns/s pooled; in brackets the slowest and fastest slice), so "
          "both meet the same noise; the load generator and the carrier simulator share the "
          "same cores. In the paced rows all conversations together keep to that rate, "
          "so latency there is what one turn takes when the machine is not saturated. "
          "After each ivr slice the worker finishes the jobs its turns queued; "
          "sustained turns/s counts that time too, and CPU per turn includes that work. "
          "The business (Polar Bear HVAC, examples/) is open around the clock for the run, "
          "so every run meets the open-hours mix whatever the hour. "
          "Voice calls answer by keypad (each webhook, including the final status callback, "
          "is a turn); three calls in eight reach a warm transfer (an emergency repair, or a "
          "quote the caller wants to talk through) that nobody is seated to answer, so each "
          "rings both on-call people, offers voicemail, texts the caller and tells the on-duty "
          "person of the callbacks (one text for those waiting together). The simulated "
          "caller hangs up once transferred and the phones ring 0.3 s, so most transfers are "
          "over before the worker reaches their spoken summary, which is then not rendered "
          "(bench.transfer times a render).")
    return 1 if errored else 0


if __name__ == "__main__":
    sys.exit(main())
