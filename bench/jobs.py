"""Background jobs: what one costs in `ivr worker` (jobs in its own process) and `--fork`.

Keypad callers fill the queues against `ivr serve` with no worker running: three calls in eight
reach a warm transfer nobody answers, so the jobs are staff and customer texts and callback
notices (their spoken summaries are skipped, the transfers being over by then). A second batch
is the spoken summaries of transfers still ringing. `ivr worker --burst` works each batch off,
once as shipped and once with `--fork`, and an empty run of the same worker is subtracted.
CPU counts the worker and everything it starts: this process adopts orphans
(PR_SET_CHILD_SUBREAPER), so a forked work-horse's render process counts too. The carrier
simulator answers the REST calls in this process and is not counted.
Run: `python -m bench.jobs [--seconds N] [--summaries N]`.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import redis

from bench.loadgen import Target, run
from bench.servers import AUTH_TOKEN, product_server, queued_jobs
from ivr.app.wiring import build_runtime
from ivr.config.settings import PROJECT_ROOT, Settings
from ivr.handoff.summary_audio import queue_render
from ivr.store.hunts import Hunt, Hunts

BUSINESS = "+15125550200"  # Polar Bear HVAC (examples/)
_PR_SET_CHILD_SUBREAPER = 36


def adopt_orphans() -> None:
    """Become the reaper of our descendants' orphans, so their CPU reaches RUSAGE_CHILDREN."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def children() -> set[int]:
    """Our direct children (an adopted orphan may hang under any of our threads)."""
    found: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):
            found.update(int(pid) for pid in (task / "children").read_text().split())
    return found


def reap_orphans(ours: set[int]) -> None:
    """Wait for the adopted orphans (a render process outliving its work-horse; anything not
    in `ours`) to exit, so their CPU reaches RUSAGE_CHILDREN."""
    deadline = time.monotonic() + 10
    while (orphans := children() - ours) and time.monotonic() < deadline:
        for pid in orphans:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
        time.sleep(0.02)


def work_off(served, fork: bool) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, exit code) of `ivr worker --burst [--fork]`."""
    ours = children()  # the servers and the simulator's helpers: not the worker's doing
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "ivr.app.cli", "worker", "--burst",
                           *(["--fork"] if fork else [])], env=served.env, cwd=PROJECT_ROOT,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    wall = time.monotonic() - started
    reap_orphans(ours)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, done.returncode


def open_transfers(served, count: int, batch: int) -> int:
    """Queue the spoken summaries of `count` transfers still ringing (each a new text, so each
    is a cold render): the job a worker must do while someone is being rung."""
    runtime = build_runtime(Settings.from_env(served.env))
    hunts = Hunts(runtime.store)
    for number in range(count):
        hunt = Hunt(id=f"conf-CAbench{batch}x{number}", business="polar-bear-hvac",
                    record_id=f"CVbench{batch}x{number}", channel="voice",
                    customer="+15125550199", decided_at="2026-11-25T10:00:00+00:00",
                    whisper=f"Polar Bear HVAC call number {batch} {number} from 5 1 2, 5 5 5, "
                            "0 1 9 9. Gas smell, furnace out. Press 1 to take it.")
        hunts.create(hunt)
        queue_render(runtime, hunt)
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.jobs")
    parser.add_argument("--seconds", type=float, default=3.0,
                        help="seconds of callers filling the queues for each batch")
    parser.add_argument("--summaries", type=int, default=40,
                        help="spoken summaries of ringing transfers in each batch")
    args = parser.parse_args(argv)
    adopt_orphans()
    rows, failed = [], False
    with product_server() as served:
        conn = redis.Redis.from_url(served.redis_url)
        target = Target(served.url, served.url, AUTH_TOKEN, BUSINESS)
        for batch, fork in ((1, False), (2, True)):
            idle_cpu, idle_wall, code = work_off(served, fork)  # start and stop, no jobs
            failed |= code != 0
            turns = run(target, "voice", 16, args.seconds, batch)["turns"]
            batches = ((f"texts and notices from {turns} turns", lambda: queued_jobs(conn)),
                       ("spoken summaries of ringing transfers",
                        lambda b=batch: open_transfers(served, args.summaries, b)))
            for what, fill in batches:  # each batch queued only once the last is done
                jobs = fill()
                cpu, wall, code = work_off(served, fork)
                left = queued_jobs(conn)
                failed |= code != 0 or left > 0 or jobs == 0
                rows.append((fork, what, jobs, left, cpu - idle_cpu, wall - idle_wall))
            rows.append((fork, "(starting and stopping the worker, no jobs)", 1, 0, idle_cpu,
                         idle_wall))
    print("| worker | jobs | how many | CPU ms per job | wall ms per job | left over |")
    print("|---|---|---:|---:|---:|---:|")
    for fork, what, jobs, left, cpu, wall in rows:
        name = "`ivr worker --fork` (a work-horse per job)" if fork else \
            "`ivr worker` (jobs in its own process)"
        print(f"| {name} | {what} | {jobs} | {cpu * 1000 / max(1, jobs):.1f} | "
              f"{wall * 1000 / max(1, jobs):.1f} | {left} |")
    print()
    print("Per job: the batch's run less an empty run of the same worker (its start and stop, "
          "the last row of each). The calls' own summaries are skipped, their transfers being "
          "over by the time the worker starts, so summaries are timed on transfers still "
          "ringing: each a new text, so each a cold render.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
