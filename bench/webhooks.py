"""Webhook turns (SMS and voice) at 8 and 32 concurrent conversations, beside the floor.

The floor is a bare Flask webhook that validates the signature and returns fixed TwiML, under the
same gunicorn settings; ratios compare the product with it. Targets: p99 within 1.5x of the
floor, at least 500 turns/s on 2 cores. Server CPU per turn (from /proc, every server process:
gunicorn workers, the speech child, redis-server, and the `ivr worker` that sends the staff
texts and callback texts the turns queue) is the figure least disturbed by other load on the
machine. Run: `python -m bench.webhooks [--seconds N]`.
"""

from __future__ import annotations

import argparse
import sys

from bench.loadgen import Target, run
from bench.servers import AUTH_TOKEN, cpu_seconds, floor_server, process_tree, product_server

BUSINESS = "+15125550200"  # Polar Bear HVAC (examples/)


def measured(target: Target, kind: str, conc: int, seconds: float, pids: list[int]) -> dict:
    """One row: the load generator's figures plus the servers' CPU milliseconds per turn."""
    before = cpu_seconds(pids)
    result = run(target, kind, conc, seconds)
    result["cpu_ms"] = (cpu_seconds(pids) - before) * 1000 / max(1, result["turns"])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.webhooks")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--concurrency", type=int, nargs="*", default=[8, 32])
    args = parser.parse_args(argv)
    rows = []
    errored = False
    with floor_server() as (floor_url, floor_pid), \
            product_server(worker=True) as served:
        floor = Target(floor_url, floor_url, AUTH_TOKEN, BUSINESS)
        product = Target(served.url, served.url, AUTH_TOKEN, BUSINESS)
        for kind in ("sms", "voice"):  # warm every worker's imports and flow caches
            run(product, kind, 16, 2.0)
            run(floor, kind, 16, 1.0)
        ours_pids = served.pids
        floor_pids = process_tree(floor_pid)
        for kind in ("sms", "voice"):
            for conc in args.concurrency:
                base = measured(floor, kind, conc, args.seconds, floor_pids)
                ours = measured(product, kind, conc, args.seconds, ours_pids)
                errored |= bool(ours["errors"] or base["errors"])
                rows.append((kind, conc, ours, base))
    print("| channel | conversations | ivr p50 ms | ivr p99 ms | ivr turns/s | ivr CPU ms/turn "
          "| floor p50 ms | floor p99 ms | floor turns/s | floor CPU ms/turn | p99 ratio "
          "| throughput ratio | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for kind, conc, ours, base in rows:
        p99_ratio = ours["p99_ms"] / base["p99_ms"] if base["p99_ms"] else float("nan")
        tput_ratio = ours["turns_per_s"] / base["turns_per_s"] if base["turns_per_s"] else 0
        print(f"| {kind} | {conc} | {ours['p50_ms']:.1f} | {ours['p99_ms']:.1f} | "
              f"{ours['turns_per_s']:.0f} | {ours['cpu_ms']:.2f} | {base['p50_ms']:.1f} | "
              f"{base['p99_ms']:.1f} | {base['turns_per_s']:.0f} | {base['cpu_ms']:.2f} | "
              f"{p99_ratio:.2f}x | {tput_ratio:.2f}x | {ours['errors']} |")
    print()
    print(f"gunicorn gthread, 2 workers x 16 threads, plus one `ivr worker` for the jobs the "
          f"turns queue (its CPU counted), {args.seconds:.0f} s per row; the load "
          "generator and the carrier simulator share the same 2 cores. Voice calls answer by "
          "keypad (each webhook, including the final status callback, is a turn); one in eight "
          "is an emergency that is warm-transferred (nobody seated to answer, so it ends in "
          "voicemail, a text and a follow-up).")
    return 1 if errored else 0


if __name__ == "__main__":
    sys.exit(main())
