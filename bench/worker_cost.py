"""What one text turn costs Redis in the worker: the commands `ivr worker` sends to run the
jobs a turn queued, counted by Redis itself (`INFO commandstats` before and after), less what
the same worker sends starting and stopping with no jobs at all.

A text that brings staff in ("my furnace stopped working") queues its jobs (the staff text,
the call that bridges the texter, the whisper the person hears); a question the flow answers
queues none. Each kind is driven through the real app (Flask's test client, real Redis, the
carrier simulator for REST), then an in-process worker (`ivr worker`'s own kind) works the
queues off in burst mode, again until they stay empty (a bridge's ring brings callbacks that
queue more); everything Redis runs from the first burst to the last counts (the callbacks'
webhooks too), less the worker's own start and stop per burst. Not part of `make bench`.
Run: `python -m bench.worker_cost [--turns N]`.
"""

from __future__ import annotations

import argparse
import sys
import time
from itertools import count
from typing import Any

import redis
from twilio.request_validator import RequestValidator

from bench.profile_webhooks import Driver, in_process_app
from bench.servers import AUTH_TOKEN
from ivr.jobs.worker import make_worker
from ivr.runtime import Runtime

BUSINESS = "+15125550200"
TEXTS = {"a text that brings staff in": "my furnace stopped working",
         "a question the flow answers": "what are your hours?"}
_numbers = count(1)


def commands(conn: redis.Redis) -> int:
    """Commands Redis has run so far, less the INFO and CONFIG this counting sends."""
    return sum(stat["calls"] for name, stat in conn.info("commandstats").items()
               if not name.endswith(("info", "config")))


def burst(runtime: Runtime, conn: redis.Redis) -> tuple[int, int]:
    """(commands, jobs) of one in-process worker working the queues off, start to stop."""
    before = commands(conn)
    worker = make_worker(runtime, inline=True)
    jobs = 0
    perform = worker.perform_job

    def counted(*args: Any, **kwargs: Any) -> bool:
        nonlocal jobs
        jobs += 1
        return perform(*args, **kwargs)

    worker.perform_job = counted  # type: ignore[method-assign]
    worker.work(burst=True, logging_level="WARNING")
    return commands(conn) - before, jobs


def settle(runtime: Runtime, conn: redis.Redis, idle: int) -> tuple[int, int]:
    """(commands, jobs) until the queues stay empty: a bridge's ring brings the carrier's
    status callbacks, which queue more (the texter's callback text, a follow-up).

    Counted from the first burst to the last, the waits between included: the callbacks a
    ring brings reach the app whenever the simulated phones give up, inside a burst or
    between two, and what they cost Redis belongs to the turn either way (counting the
    bursts alone missed those that fell between, more of them the fewer jobs a burst had).
    Each burst's start and stop (`idle`, the last, empty one's too) is subtracted."""
    start = commands(conn)
    jobs = bursts = 0
    while True:
        time.sleep(1.0)  # the simulated phones ring and give up meanwhile
        _, ran = burst(runtime, conn)
        bursts += 1
        if not ran:
            return commands(conn) - start - idle * bursts, jobs
        jobs += ran


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.worker_cost")
    parser.add_argument("--turns", type=int, default=20)
    args = parser.parse_args(argv)
    with in_process_app() as (runtime, app, redis_url):
        driver = Driver(app.test_client(), RequestValidator(AUTH_TOKEN))
        conn = redis.Redis.from_url(redis_url)
        burst(runtime, conn)  # the worker's first start registers what later ones reuse
        idle, _ = burst(runtime, conn)  # nothing queued: the worker's own start and stop
        print("| text | turns | jobs per turn | worker commands per turn |")
        print("|---|---:|---:|---:|")
        for what, body in TEXTS.items():
            for _ in range(args.turns):
                driver.post("/sms/incoming", {
                    "AccountSid": "AC" + "0" * 32, "MessageSid": f"SM{next(_numbers):032x}",
                    "From": f"+1737555{next(_numbers):04d}", "To": BUSINESS, "Body": body,
                    "NumMedia": "0"})
            spent, jobs = settle(runtime, conn, idle)
            print(f"| {what} | {args.turns} | {jobs / args.turns:.1f} | "
                  f"{spent / args.turns:.1f} |", flush=True)
        print(f"(the worker's own start and stop, subtracted: {idle} commands)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
