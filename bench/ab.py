"""Two builds of ivr side by side: CPU per webhook turn, in alternating slices of one run.

A change's effect on a turn's cost (5-10%) is smaller than how much this machine moves between
runs (±30%), so the two builds are compared inside one run: each is served as in
bench.webhooks (`ivr serve`, `ivr worker`, its own redis-server and carrier simulator, the
business open around the clock) and the two are driven in alternating slices, so both meet the
same neighbours. A build is a checkout and the Python that runs it, e.g. the commit before a
change (`git worktree add /tmp/base <commit>`), or this checkout under another venv (a library
version). Not part of `make bench`: a tool for measuring a change.
Run: `python -m bench.ab --base /tmp/base [--base-python PY] [--channel sms|voice]
[--rounds N] [--hours '{mon-fri: "08:00-18:00"}']`.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from contextlib import ExitStack
from pathlib import Path

from bench.loadgen import run
from bench.servers import ALWAYS_OPEN, product_server
from bench.webhooks import Side, product_side, row
from ivr.config.settings import PROJECT_ROOT


def side(stack: ExitStack, root: Path, python: str, hours: str) -> Side:
    """One build served for the rest of `stack`."""
    return product_side(stack.enter_context(
        product_server(worker=True, root=root, python=python, hours=hours)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ab")
    parser.add_argument("--base", type=Path, required=True, help="the checkout to compare with")
    parser.add_argument("--base-python", default=sys.executable)
    parser.add_argument("--python", default=sys.executable, help="Python for this checkout")
    parser.add_argument("--channel", choices=("sms", "voice"), default="voice")
    parser.add_argument("--conversations", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=8.0, help="per build and round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--hours", help="the business's hours instead of around the clock "
                                        "(YAML, as in a business file)")
    args = parser.parse_args(argv)
    hours = f"hours: {args.hours}" if args.hours else ALWAYS_OPEN
    errored = False
    print("| round | base CPU ms/turn | this CPU ms/turn | ratio | base turns/s | this turns/s "
          "| errors |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    with ExitStack() as stack:
        base = side(stack, args.base.resolve(), args.base_python, hours)
        this = side(stack, PROJECT_ROOT, args.python, hours)
        for built in (base, this):  # warm each build's imports and caches
            run(built.target, args.channel, 16, 2.0, 1)
            built.settle()
        seeds = itertools.count(10)
        for number in range(1, args.rounds + 1):
            ours, theirs = row(base, this, args.channel, args.conversations, args.seconds, 4,
                               seeds)
            errored |= bool(ours["errors"] or theirs["errors"])
            print(f"| {number} | {theirs['cpu_ms']:.2f} | {ours['cpu_ms']:.2f} "
                  f"| {ours['cpu_ms'] / theirs['cpu_ms']:.2f} | {theirs['turns_per_s']:.0f} "
                  f"| {ours['turns_per_s']:.0f} | {ours['errors'] + theirs['errors']} |",
                  flush=True)
    print(f"\n{args.channel}, {args.conversations} conversations; CPU per turn counts every "
          "server process of a build (gunicorn, redis-server, the worker and its render "
          "process) and the jobs its turns queued.")
    return 1 if errored else 0


if __name__ == "__main__":
    sys.exit(main())
