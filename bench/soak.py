"""The soak: mixed SMS and voice conversations at a steady rate for minutes, watching for
errors, latency creep and memory that keeps growing.

`ivr serve` (gunicorn, 2 workers) and `ivr worker` run on loopback with a private redis-server
and the carrier simulator, as in bench/webhooks.py. Conversations (texters, and callers who
answer by keypad and hang up) are paced to `--rate` webhook turns per second. Each minute
reports requests, errors and p50/p99 latency; memory is sampled from /proc (RSS of every server
process) and from Redis (`used_memory`, which grows with the conversation records the product
keeps by design, so it is also reported per conversation).

Exits non-zero on any error, or on unbounded growth: server RSS that still grows in the second
half of the run by more than `LEAK_MB` and by more than half of what it grew in the first
half (a warming process levels off, a leak does not; medians of a few samples, over the
processes alive at the start), or Redis bytes per new conversation in
the second half more than twice the first half's. Run: `python -m bench.soak [--minutes 5]`.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import redis

from bench.loadgen import Pacer, Stats, Target, sms_conversation, voice_call, worker
from bench.servers import AUTH_TOKEN, Product, product_server, rss_bytes

BUSINESS = "+15125550200"  # Polar Bear HVAC (examples/)
#: Second-half RSS growth (MB) above which growth that has not levelled off is a leak.
LEAK_MB = 16.0
#: Seconds between memory samples.
SAMPLE_S = 5.0
MB = 1024 * 1024


@dataclass
class Minutes:
    """Per-minute request statistics (the load generator's `Stats`, one per minute)."""

    started: float
    count: int
    by_minute: dict[int, Stats] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def stats(self) -> Stats:
        minute = min(int((time.monotonic() - self.started) // 60), self.count - 1)
        with self.lock:
            return self.by_minute.setdefault(minute, Stats())


@dataclass
class Sample:
    """Memory at one moment: `ivr serve` (gunicorn master, workers, TTS child), the `ivr
    worker` process (not its short-lived work-horses), Redis's own count, conversations kept."""

    at: float
    rss: int
    worker_rss: int
    redis_bytes: int
    conversations: int
    processes: int = 0


def sample(served: Product, conn: redis.Redis, started: float, web: list[int]) -> Sample:
    """Memory now; `web` are the `ivr serve` processes alive at the start (gunicorn master,
    workers, the TTS child), so a short-lived child caught by one sample is no false alarm."""
    convs = sum(conn.zcard(key) for key in conn.scan_iter("ivr:*:convs"))
    worker = rss_bytes([served.worker.pid]) if served.worker else 0
    return Sample(time.monotonic() - started, rss_bytes(web), worker,
                  int(conn.info("memory")["used_memory"]), convs, len(served.web_pids))


def _around(samples: list[Sample], index: int, attr: str) -> int:
    """The median of a few samples around `index` (one sample can catch a passing spike)."""
    window = samples[max(0, index - 2):index + 3]
    return int(statistics.median(getattr(s, attr) for s in window))


def _leaks(start: int, middle: int, end: int) -> tuple[bool, float, float]:
    early, late = (middle - start) / MB, (end - middle) / MB
    return late > LEAK_MB and late > early / 2, early, late


def drive(target: Target, pacer: Pacer, minutes: Minutes, deadline: float, seed: int,
          conversation: Callable) -> None:
    """One simulated customer after another, every turn paced and counted in its minute."""
    worker(target, conversation, deadline, minutes.stats, seed, before_post=pacer.wait)


def growth_verdict(samples: list[Sample]) -> tuple[bool, str, str]:
    """(leaking?, RSS line, Redis line) from the memory samples of the run."""
    first, middle, last = samples[0], samples[len(samples) // 2], samples[-1]
    mid, end = len(samples) // 2, len(samples) - 3
    rss = [first.rss, _around(samples, mid, "rss"), _around(samples, end, "rss")]
    wrss = [first.worker_rss, _around(samples, mid, "worker_rss"),
            _around(samples, end, "worker_rss")]
    rss_leak, early, late = _leaks(*rss)
    worker_leak, w_early, w_late = _leaks(*wrss)
    per_conv = []
    for a, b in ((first, middle), (middle, last)):
        new = b.conversations - a.conversations
        per_conv.append((b.redis_bytes - a.redis_bytes) / new if new > 0 else 0.0)
    redis_leak = per_conv[0] > 0 and per_conv[1] > 2 * per_conv[0] + 4096
    rss_line = (f"`ivr serve` RSS {rss[0] / MB:.0f} MB at start, {rss[1] / MB:.0f} MB "
                f"at half time, {rss[2] / MB:.0f} MB at the end (first half {early:+.1f} MB, "
                f"second half {late:+.1f} MB; {first.processes} processes at start, at most "
                f"{max(x.processes for x in samples)} during the run): "
                f"{'GROWING' if rss_leak else 'levels off'}; "
                f"`ivr worker` {wrss[0] / MB:.0f} -> {wrss[1] / MB:.0f} -> "
                f"{wrss[2] / MB:.0f} MB ({w_early:+.1f}, {w_late:+.1f}): "
                f"{'GROWING' if worker_leak else 'levels off'}")
    redis_line = (f"Redis used_memory {first.redis_bytes / MB:.1f} MB -> "
                  f"{last.redis_bytes / MB:.1f} MB for {last.conversations - first.conversations}"
                  f" new conversations kept as records ({per_conv[0] / 1024:.1f} KB each in the "
                  f"first half, {per_conv[1] / 1024:.1f} KB in the second): "
                  f"{'GROWING FASTER THAN THE DATA' if redis_leak else 'proportional to the data'}")
    return rss_leak or worker_leak or redis_leak, rss_line, redis_line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak")
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=40.0, help="webhook turns per second")
    parser.add_argument("--conversations", type=int, default=16,
                        help="concurrent conversations (half texters, half callers)")
    args = parser.parse_args(argv)
    with product_server(worker=True) as served:
        target = Target(served.url, served.url, AUTH_TOKEN, BUSINESS)
        conn = redis.Redis.from_url(served.redis_url)
        warm = Minutes(time.monotonic(), 1)
        warm_deadline = time.monotonic() + 10
        warmers = [threading.Thread(target=drive, daemon=True, args=(
            target, Pacer(args.rate), warm, warm_deadline, 99 + i,
            sms_conversation if i % 2 else voice_call)) for i in range(4)]
        for thread in warmers:
            thread.start()
        for thread in warmers:
            thread.join()
        started = time.monotonic()
        deadline = started + args.minutes * 60
        minutes = Minutes(started, max(1, math.ceil(args.minutes)))
        pacer = Pacer(args.rate)
        web = served.web_pids
        samples = [sample(served, conn, started, web)]
        threads = [threading.Thread(target=drive, daemon=True, args=(
            target, pacer, minutes, deadline, i, sms_conversation if i % 2 else voice_call))
            for i in range(args.conversations)]
        for thread in threads:
            thread.start()
        while time.monotonic() < deadline:
            time.sleep(min(SAMPLE_S, max(0.0, deadline - time.monotonic())))
            samples.append(sample(served, conn, started, web))
        for thread in threads:
            thread.join(60)
        samples.append(sample(served, conn, started, web))
    return report(args, minutes, samples)


def report(args: argparse.Namespace, minutes: Minutes, samples: list[Sample]) -> int:
    print("| minute | requests | errors | p50 ms | p99 ms | `ivr serve` RSS MB | Redis MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    errors = 0
    for minute in sorted(minutes.by_minute):
        stats = minutes.by_minute[minute]
        data = sorted(stats.latencies_ms) or [0.0]
        p99 = data[min(len(data) - 1, int(len(data) * 0.99))]
        at_end = [s for s in samples if s.at <= (minute + 1) * 60 + 1] or samples
        errors += stats.errors
        print(f"| {minute + 1} | {len(stats.latencies_ms)} | {stats.errors} | "
              f"{statistics.median(data):.1f} | {p99:.1f} | {at_end[-1].rss / MB:.0f} | "
              f"{at_end[-1].redis_bytes / MB:.1f} |")
    leaking, rss_line, redis_line = growth_verdict(samples)
    total = sum(len(s.latencies_ms) for s in minutes.by_minute.values())
    print()
    print(f"{args.minutes:g} minutes at {args.rate:g} turns/s ({total} requests, {errors} errors) "
          f"from {args.conversations} concurrent conversations, half texters, half callers "
          "(keypad, hanging up at the end); `ivr serve` (2 gunicorn workers) + `ivr worker` + "
          "redis-server.")
    print(f"- {rss_line}")
    print(f"- {redis_line}")
    return 1 if errors or leaking else 0


if __name__ == "__main__":
    sys.exit(main())
