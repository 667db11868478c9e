"""`make bench`: run every benchmark in one go and write bench/results.md.

Each benchmark is a module `bench/<name>.py` runnable as `python -m bench.<name>` that prints a
Markdown table and exits non-zero if a run errored. Figures are only comparable within one run
on one machine, so each benchmark measures its own yardstick (the floor) beside the product.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: Where the hand-written reading of the figures starts in results.md: kept on every rewrite.
NARRATION = "<!-- narration: everything below is kept when `python -m bench` rewrites the tables above -->"
#: In the order they run; soak is long and runs only when asked (`--soak`).
BENCHMARKS = ("flow_core", "webhooks", "speech", "speech_e2e", "transfer", "jobs", "analytics",
              "understanding", "tryflow")


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def versions() -> str:
    names = ("flask", "twilio", "vosk", "redis", "rq", "pyttsx3", "gunicorn")
    found = []
    for name in names:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found.append(f"{name} {metadata.version(name)}")
    redis_v = subprocess.run(["redis-server", "--version"], capture_output=True, text=True)
    server = next((w[2:] for w in redis_v.stdout.split() if w.startswith("v=")), "?")
    return f"Python {platform.python_version()}, " + ", ".join(found) + \
        f", redis-server {server}"


def kept_narration(path: Path) -> str:
    """The reading of the figures written under the tables, so a new run does not erase it."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    at = text.find(NARRATION)
    return "" if at < 0 else "\n" + text[at:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--soak", action="store_true", help="also run the 5-minute soak")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    args = parser.parse_args(argv)
    names = list(args.names or BENCHMARKS) + (["soak"] if args.soak else [])
    sections = [
        "# Benchmark results",
        "",
        f"- date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {machine()}",
        f"- versions: {versions()}",
        "",
    ]
    failed = []
    for name in names:
        if not (HERE / f"{name}.py").exists():
            sections += [f"## {name}", "", "_not present in this version_", ""]
            continue
        started = time.monotonic()
        print(f"== bench.{name}", flush=True)
        proc = subprocess.run([sys.executable, "-m", f"bench.{name}"], capture_output=True,
                              text=True, cwd=HERE.parent)
        print(proc.stdout, end="")
        if proc.returncode != 0:
            failed.append(name)
            print(proc.stderr[-4000:], file=sys.stderr)
        took = time.monotonic() - started
        sections += [f"## {name}", "", proc.stdout.strip() or "_no output_", "",
                     f"_exit {proc.returncode}, {took:.0f} s_", ""]
    args.out.write_text("\n".join(sections) + "\n" + kept_narration(args.out), encoding="utf-8")
    print(f"wrote {args.out}")
    if failed:
        print(f"errored: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
