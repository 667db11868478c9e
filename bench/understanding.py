"""The semantic layer's cost: CPU per text turn it adds (cold and cached), load time, memory.

Replays the dev corpus's messages (tests/understanding/dev.csv) as first texts through the
pure engine twice: rules only, then with the semantic layer. "Cold" is a text the process has
never embedded (its clauses too); "cached" is the same text again (a retried webhook, the
vector cache). CPU time (process time, one thread), median per turn. Load: importing and
building the model, and embedding the three flows' examples. RSS: the process's peak
resident memory after it all. Run: `python -m bench.understanding`.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time

from ivr.analytics.understanding import Row, context, example_businesses, load_corpus
from ivr.flow.engine import step
from ivr.flow.events import Input
from ivr.flow.state import State
from ivr.semantic import Semantic


def turn_cpu(rows: list[Row], layer: Semantic | None) -> list[float]:
    """Process CPU milliseconds of each row's first text turn."""
    shops = example_businesses()
    out = []
    for row in rows:
        business, flow = shops[row.flow]
        ctx = context(business, flow, row, layer.for_flow(flow) if layer else None)
        start = time.process_time()
        step(flow, State(), Input.start(row.text), ctx)
        out.append((time.process_time() - start) * 1000)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.understanding")
    parser.add_argument("--limit", type=int, default=200, help="messages replayed")
    args = parser.parse_args(argv)
    rows = load_corpus(splits=("dev",))[: args.limit]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    turn_cpu(rows[:5], None)  # warm the rules' caches
    rules = turn_cpu(rows, None)
    layer = Semantic()
    start, wall = time.process_time(), time.perf_counter()
    if not layer.available:
        print("semantic layer unavailable: the sentence encoder is not installed")
        return 1
    layer.vectors(["the model reads its weights on first use"])
    load_cpu, load_wall = time.process_time() - start, time.perf_counter() - wall
    start = time.process_time()
    for _, flow in example_businesses().values():
        layer.index(flow)
    index_cpu = time.process_time() - start
    cold = turn_cpu(rows, layer)
    cached = turn_cpu(rows, layer)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    base = statistics.median(rules)
    print("| measure | value |")
    print("|---|---:|")
    print(f"| text turns replayed | {len(rows)} |")
    print(f"| rules only, median CPU ms/turn | {base:.2f} |")
    print(f"| semantic on, cold text, median CPU ms/turn | {statistics.median(cold):.2f} |")
    print(f"| semantic on, cached text, median CPU ms/turn | {statistics.median(cached):.2f} |")
    print(f"| added by the layer, cold, ms/turn | {statistics.median(cold) - base:.2f} |")
    print(f"| added by the layer, cached, ms/turn | {statistics.median(cached) - base:.2f} |")
    print(f"| cached turn / rules-only turn | {statistics.median(cached) / base:.2f}x |")
    print(f"| model load, CPU s (wall s) | {load_cpu:.2f} ({load_wall:.2f}) |")
    print(f"| embedding the 3 flows' examples, CPU s | {index_cpu:.2f} |")
    print(f"| peak RSS MB before the model / after | {before:.0f} / {rss:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
