"""A small closed-loop load generator speaking Twilio's webhook protocol (signed form posts).

Each worker thread plays one conversation at a time over a keep-alive connection: it posts a
turn, reads the reply, and (for voice) follows the Gather action Twilio would post to next and
ends the call with Twilio's final status callback. Every post carries the signature and the
idempotency token Twilio sends.
Used by bench/webhooks.py and bench/soak.py against the product and against the floor.
"""

from __future__ import annotations

import http.client
import itertools
import random
import statistics
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from twilio.request_validator import RequestValidator

SMS_SCRIPTS = (
    ("what are your hours?", "do you serve round rock?", "thanks"),
    ("how much is a new furnace installed", "3 bedroom house in austin", "next week"),
    ("can I pay with a credit card", "ok thanks"),
    ("I'd like to schedule maintenance for my AC", "tuesday morning", "thanks"),
    ("my warranty question about the compressor", "installed 2 years ago", "yes"),
)
#: The first keypress of a call picks what it is about: mostly bot-handled questions (quote,
#: maintenance, installation, warranty, hours), one call in eight an emergency that is
#: warm-transferred (so transfers, whispers and agent legs are part of the load).
FIRST_DIGITS = ("2", "3", "4", "5", "6", "3", "2", "1")
#: Later keypresses answer the menus (system type, anything else, ...).
DIGITS = ("1", "2", "3", "1", "2")
_counter = itertools.count()

#: Posts one signed webhook and returns the TwiML; None once the run's time is up.
Post = Callable[[str, dict[str, str]], "str | None"]


def phone_number(rng: random.Random) -> str:
    return f"+1512{rng.randint(2, 9)}{rng.randint(0, 999999):06d}"


@dataclass
class Stats:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, ms: float, status: int) -> None:
        with self.lock:
            self.latencies_ms.append(ms)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status >= 400:
                self.errors += 1

    def summary(self, seconds: float) -> dict[str, Any]:
        """Turns, errors, p50/p99 and turns per second over `seconds` of driving (the raw
        latencies and the seconds ride along, so `pooled` can merge runs)."""
        data = sorted(self.latencies_ms) or [0.0]
        p99 = data[min(len(data) - 1, int(len(data) * 0.99))]
        return {"turns": len(self.latencies_ms), "errors": self.errors,
                "p50_ms": statistics.median(data), "p99_ms": p99,
                "turns_per_s": len(self.latencies_ms) / seconds if seconds else 0.0,
                "seconds": seconds, "latencies_ms": list(self.latencies_ms)}


def pooled(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Several runs' summaries as one: latencies pooled, turns per second over their summed
    time, and the slowest and fastest run's turns per second (how much the machine moved)."""
    merged = Stats()
    for result in runs:
        merged.latencies_ms += result["latencies_ms"]
        merged.errors += result["errors"]
    out = merged.summary(sum(result["seconds"] for result in runs))
    rates = [result["turns_per_s"] for result in runs]
    out.update(slowest_turns_per_s=min(rates), fastest_turns_per_s=max(rates))
    return out


class Pacer:
    """Hands out evenly spaced send times so all workers together keep to `rate` per second."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self.next = time.monotonic()
        self.lock = threading.Lock()

    def wait(self) -> None:
        with self.lock:
            now = time.monotonic()
            slot = self.next = max(self.next + self.interval, now - 1.0)
        if slot > now:
            time.sleep(slot - now)


class Target:
    """One webhook server: its address, the URL Twilio signs, the token, the numbers."""

    def __init__(self, url: str, public_url: str, auth_token: str, business_number: str) -> None:
        self.url = url
        self.public_url = public_url.rstrip("/")
        self.validator = RequestValidator(auth_token)
        self.business_number = business_number
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80

    def headers(self, path: str, params: dict[str, str]) -> dict[str, str]:
        """What Twilio sends with a webhook: its signature and an idempotency token."""
        signature = self.validator.compute_signature(self.public_url + path, params)
        return {"Content-Type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": signature,
                # Twilio sends one on every webhook (the same one again on a retry).
                "I-Twilio-Idempotency-Token": f"bench-{next(_counter)}-{signature[:12]}"}

    def post(self, conn: http.client.HTTPConnection, path: str, params: dict[str, str],
             stats: Stats) -> str:
        headers = self.headers(path, params)
        body = urlencode(params)
        started = time.perf_counter()
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        stats.add((time.perf_counter() - started) * 1000, response.status)
        return text


def sms_conversation(post: Post, rng: random.Random, business_number: str) -> None:
    """One texter's conversation: a script of texts from a fresh number."""
    caller = phone_number(rng)
    for body in rng.choice(SMS_SCRIPTS):
        params = {"AccountSid": "AC" + "0" * 32, "MessageSid": f"SM{next(_counter):032x}",
                  "From": caller, "To": business_number, "Body": body, "NumMedia": "0"}
        if post("/sms/incoming", params) is None:
            return


def voice_call(post: Post, rng: random.Random, business_number: str, turns: int = 6) -> None:
    """One call answered by keypad: follow each Gather (or Redirect) as Twilio would."""
    base = {"AccountSid": "AC" + "0" * 32, "CallSid": f"CA{next(_counter):032x}",
            "From": phone_number(rng), "To": business_number, "CallStatus": "in-progress",
            "Direction": "inbound", "ApiVersion": "2010-04-01"}
    path: str | None = "/voice/incoming"
    for turn in range(turns):
        if path is None:
            break
        params = dict(base)
        if turn:
            params["Digits"] = rng.choice(FIRST_DIGITS if turn == 1 else DIGITS)
        if path.startswith("http"):
            parts = urlsplit(path)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
        twiml = post(path, params)
        if twiml is None:
            return
        path = _next_action(twiml)
    # The caller hangs up (or the call ended): Twilio's final status callback closes it.
    post("/voice/status", {**base, "CallStatus": "completed", "CallDuration": str(turns * 9)})


def _next_action(twiml: str) -> str | None:
    try:
        root = ET.fromstring(twiml)
    except ET.ParseError:
        return None
    gather = root.find(".//Gather")
    if gather is None:
        redirect = root.find(".//Redirect")
        return redirect.text.strip() if redirect is not None and redirect.text else None
    return gather.get("action")


def worker(target: Target, conversation: Callable[[Post, random.Random, str], None],
           deadline: float, stats: Stats | Callable[[], Stats], seed: int,
           before_post: Callable[[], object] | None = None) -> None:
    """Play conversations one after another over a keep-alive connection until `deadline`.

    Args:
        stats: where turns are counted, or a function naming it per turn (the soak's minutes).
        before_post: called before each turn (the soak's pacer).
    """
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(target.host, target.port, timeout=30)

    def post(path: str, params: dict[str, str]) -> str | None:
        nonlocal conn
        if time.monotonic() >= deadline:
            return None
        if before_post is not None:
            before_post()
        turn_stats = stats() if callable(stats) else stats
        try:
            return target.post(conn, path, params, turn_stats)
        except (OSError, http.client.HTTPException):
            turn_stats.add(0.0, 599)
            conn.close()
            conn = http.client.HTTPConnection(target.host, target.port, timeout=30)
            return None

    while time.monotonic() < deadline:
        conversation(post, rng, target.business_number)
    conn.close()


def run(target: Target, kind: str, concurrency: int, seconds: float,
        seed: int = 1, rate: float | None = None) -> dict[str, Any]:
    """Drive `concurrency` conversations of `kind` ("sms" or "voice") for `seconds`, each
    sending its next turn as soon as the last is answered, or with `rate`, all of them
    together paced to that many turns per second (an ordinary day rather than a flood)."""
    stats = Stats()
    conversation = sms_conversation if kind == "sms" else voice_call
    deadline = time.monotonic() + seconds
    pace = Pacer(rate).wait if rate else None
    threads = [threading.Thread(target=worker, daemon=True,
                                args=(target, conversation, deadline, stats, seed * 1000 + i,
                                      pace))
               for i in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    return stats.summary(time.monotonic() - started)
