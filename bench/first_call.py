"""The first call after a start against a warm one (issue 21: at most 1.2x).

A deploy or a restart must not make its first caller wait: `ivr serve` loads its models in
each worker after the fork and `/readyz` says "warming" until they are in. This starts
`ivr serve` (one gunicorn worker, so the first webhook surely meets a fresh process), waits for
`/readyz`, then times the first webhook of a kind (a new caller's `/voice/incoming`, or a new
texter's first text) and the same webhook warm (the median of the next ones, each a new
caller or texter, so every one does the same work). Each kind gets starts of its own, so its
first webhook is the process's first.

Every timed webhook, the first included, comes `--pause` seconds after the one before (0.25 by
default; 0 sends the warm ones back to back, as this bench first did): a webhook that finds
the process idle costs more than one right behind another (caches gone cold, on a shared
machine all the more: in process, a text after a 0.2 s pause cost 3.4-4.0 ms of CPU against
1.7-2.6 back to back, as much as the process's first), and calls reach a server spaced out,
so the first is held to the same gap as the warm ones it is compared with. Not part of `make
bench`. Run: `python -m bench.first_call [--starts N] [--warm N] [--pause S]`.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from itertools import count

from bench.loadgen import Stats, Target
from bench.servers import AUTH_TOKEN, product_server

BUSINESS = "+15125550200"
_ids = count(1)


def wait_ready(url: str, timeout: float = 120.0) -> float:
    """Seconds until `/readyz` answers 200."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return time.monotonic() - started
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} never became ready")


def call(n: int) -> tuple[str, dict[str, str]]:
    return "/voice/incoming", {
        "AccountSid": "AC" + "0" * 32, "CallSid": f"CA{n:032x}", "From": f"+1512555{n % 10000:04d}",
        "To": BUSINESS, "CallStatus": "ringing", "Direction": "inbound",
        "ApiVersion": "2010-04-01"}


def text(n: int) -> tuple[str, dict[str, str]]:
    return "/sms/incoming", {
        "AccountSid": "AC" + "0" * 32, "MessageSid": f"SM{n:032x}",
        "From": f"+1737555{n % 10000:04d}", "To": BUSINESS, "Body": "what are your hours?",
        "NumMedia": "0"}


def one_start(kind: str, webhook: Callable[[int], tuple[str, dict[str, str]]],
              warm: int, pause: float = 0.0) -> tuple[float, float, float]:
    """(seconds to ready, first webhook ms, warm median ms) of one fresh `ivr serve`."""
    with product_server(workers=1) as product:
        ready = wait_ready(product.url)
        target = Target(product.url, product.url, AUTH_TOKEN, BUSINESS)
        conn = http.client.HTTPConnection(target.host, target.port, timeout=30)
        conn.request("GET", "/healthz")  # the connection opened first: every webhook timed
        conn.getresponse().read()  # rides a kept-alive one, the first as much as the rest
        stats = Stats()
        for _ in range(warm + 1):
            time.sleep(pause)
            path, params = webhook(next(_ids))
            target.post(conn, path, params, stats)
        conn.close()
        times = stats.latencies_ms
        if stats.errors:
            raise RuntimeError(f"{kind}: {stats.errors} webhooks failed")
        return ready, times[0], statistics.median(times[1:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.first_call")
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--warm", type=int, default=40)
    parser.add_argument("--pause", type=float, default=0.25)
    args = parser.parse_args(argv)
    print("| webhook | start | ready after s | first ms | warm median ms | first / warm |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind, webhook in (("a new caller's /voice/incoming", call),
                          ("a new texter's first text", text)):
        ratios = []
        for start in range(1, args.starts + 1):
            ready, first, warm = one_start(kind, webhook, args.warm, args.pause)
            ratios.append(first / warm)
            print(f"| {kind} | {start} | {ready:.1f} | {first:.1f} | {warm:.1f} | "
                  f"{first / warm:.2f}x |", flush=True)
        print(f"| {kind} | median | | | | {statistics.median(ratios):.2f}x |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
