"""`ivr flows try` on 1,000 conversations: the issue's promise is under a minute on this machine.

Builds 1,000 distinct past conversations for Polar Bear HVAC from the understanding corpus's
HVAC messages (each with one of several openings, so no text is a cache hit of another; one in
three with a follow-up message), writes them as the CSV an owner would give, and times the
whole command as run: reading the file, loading the sentence model, replaying every
conversation through the live Context with the semantic layer, and the summary and JSON. Then
the same with `--compare` against the shipped flow (two replays). Wall seconds, one process.
Run: `python -m bench.tryflow [--n 1000]`.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from ivr.analytics.understanding import load_corpus
from ivr.app.tryflow import try_cli
from ivr.config.settings import PROJECT_ROOT

BUSINESS = PROJECT_ROOT / "examples" / "polar_bear_hvac.yaml"
FLOW = PROJECT_ROOT / "flows" / "hvac.yaml"
OPENINGS = ("", "hi, ", "hello, ", "good morning, ", "hey there, ", "quick question, ",
            "sorry to bother you, ", "hi again, ", "morning! ", "evening, ", "um, ", "so ")
#: Wednesday 11:00 in Austin: open.
AT = datetime(2025, 3, 12, 17, 0, tzinfo=UTC)


def conversations_csv(path: Path, n: int) -> None:
    texts = [r.text for r in load_corpus() if r.flow == "hvac"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "text", "more", "at"])
        for i in range(n):
            text = OPENINGS[(i // len(texts)) % len(OPENINGS)] + texts[i % len(texts)]
            out.writerow([f"c{i}", text, "the furnace" if i % 3 == 0 else "", AT.isoformat()])


def timed(*args: Path, compare: Path | None = None) -> float:
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        try_cli(*args, compare=compare, as_json=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tryflow")
    parser.add_argument("--n", type=int, default=1000, help="conversations replayed")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "past.csv"
        conversations_csv(path, args.n)
        first = timed(BUSINESS, path)  # includes loading the model and embedding the flow
        compared = timed(BUSINESS, path, compare=FLOW)
    print("| measure | value |")
    print("|---|---:|")
    print(f"| conversations (1 in 3 with a second message) | {args.n} |")
    print(f"| `ivr flows try --json`, wall s (incl. model load) | {first:.1f} |")
    print(f"| `ivr flows try --compare OLD --json`, wall s (model loaded) | {compared:.1f} |")
    print("| budget (issue 26), wall s | 60 |")
    return 0 if first < 60 else 1


if __name__ == "__main__":
    sys.exit(main())
