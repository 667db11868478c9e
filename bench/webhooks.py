"""Webhook turns (SMS and voice) at 8 and 32 concurrent conversations, beside the floor.

The floor is a bare Flask webhook that validates the signature and returns fixed TwiML, under the
same gunicorn settings; ratios compare the product with it. Targets: p99 within 1.5x of the
floor, at least 500 turns/s on 2 cores. Run: `python -m bench.webhooks [--seconds N]`.
"""

from __future__ import annotations

import argparse
import sys

from bench.loadgen import Target, run
from bench.servers import AUTH_TOKEN, floor_server, product_server

BUSINESS = "+15125550200"  # Polar Bear HVAC (examples/)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.webhooks")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--concurrency", type=int, nargs="*", default=[8, 32])
    args = parser.parse_args(argv)
    rows = []
    errored = False
    with floor_server() as floor_url, product_server() as (url, _carrier, _redis, _proc):
        floor = Target(floor_url, floor_url, AUTH_TOKEN, BUSINESS)
        product = Target(url, url, AUTH_TOKEN, BUSINESS)
        run(product, "sms", 4, 1.0)  # warm up imports and flow caches
        run(product, "voice", 4, 1.0)
        for kind in ("sms", "voice"):
            for conc in args.concurrency:
                base = run(floor, kind, conc, args.seconds)
                ours = run(product, kind, conc, args.seconds)
                errored |= bool(ours["errors"] or base["errors"])
                rows.append((kind, conc, ours, base))
    print("| channel | conversations | ivr p50 ms | ivr p99 ms | ivr turns/s | floor p50 ms "
          "| floor p99 ms | floor turns/s | p99 ratio | throughput ratio | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for kind, conc, ours, base in rows:
        p99_ratio = ours["p99_ms"] / base["p99_ms"] if base["p99_ms"] else float("nan")
        tput_ratio = ours["turns_per_s"] / base["turns_per_s"] if base["turns_per_s"] else 0
        print(f"| {kind} | {conc} | {ours['p50_ms']:.1f} | {ours['p99_ms']:.1f} | "
              f"{ours['turns_per_s']:.0f} | {base['p50_ms']:.1f} | {base['p99_ms']:.1f} | "
              f"{base['turns_per_s']:.0f} | {p99_ratio:.2f}x | {tput_ratio:.2f}x | "
              f"{ours['errors']} |")
    print()
    print(f"gunicorn gthread, 2 workers x 16 threads, {args.seconds:.0f} s per row; the load "
          "generator shares the same 2 cores.")
    return 1 if errored else 0


if __name__ == "__main__":
    sys.exit(main())
