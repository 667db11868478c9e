"""A small closed-loop load generator speaking Twilio's webhook protocol (signed form posts).

Each worker thread plays one conversation at a time over a keep-alive connection: it posts a
turn, reads the reply, and (for voice) follows the Gather action Twilio would post to next.
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
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from twilio.request_validator import RequestValidator

SMS_SCRIPTS = (
    ("what are your hours?", "do you serve round rock?", "thanks"),
    ("how much is a new furnace installed", "3 bedroom house in austin", "next week"),
    ("can I pay with a credit card", "ok thanks"),
    ("I'd like to schedule maintenance for my AC", "tuesday morning", "thanks"),
    ("my warranty question about the compressor", "installed 2 years ago", "yes"),
)
DIGITS = ("1", "2", "3", "1", "2")
_counter = itertools.count()


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

    def summary(self, seconds: float) -> dict[str, float]:
        data = sorted(self.latencies_ms) or [0.0]
        p99 = data[min(len(data) - 1, int(len(data) * 0.99))]
        return {"turns": len(self.latencies_ms), "errors": self.errors,
                "p50_ms": statistics.median(data), "p99_ms": p99,
                "turns_per_s": len(self.latencies_ms) / seconds if seconds else 0.0}


class Target:
    """One webhook server: its address, the URL Twilio signs, the token, the numbers."""

    def __init__(self, url: str, public_url: str, auth_token: str, business_number: str) -> None:
        self.url = url
        self.public_url = public_url.rstrip("/")
        self.validator = RequestValidator(auth_token)
        self.business_number = business_number
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80

    def post(self, conn: http.client.HTTPConnection, path: str, params: dict[str, str],
             stats: Stats) -> str:
        signature = self.validator.compute_signature(self.public_url + path, params)
        body = urlencode(params)
        started = time.perf_counter()
        conn.request("POST", path, body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature})
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        stats.add((time.perf_counter() - started) * 1000, response.status)
        return text


def sms_worker(target: Target, deadline: float, stats: Stats, seed: int) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(target.host, target.port, timeout=30)
    while time.monotonic() < deadline:
        caller = phone_number(rng)
        for body in rng.choice(SMS_SCRIPTS):
            if time.monotonic() >= deadline:
                break
            params = {"AccountSid": "AC" + "0" * 32, "MessageSid": f"SM{next(_counter):032x}",
                      "From": caller, "To": target.business_number, "Body": body,
                      "NumMedia": "0"}
            try:
                target.post(conn, "/sms/incoming", params, stats)
            except (OSError, http.client.HTTPException):
                stats.add(0.0, 599)
                conn.close()
                conn = http.client.HTTPConnection(target.host, target.port, timeout=30)
    conn.close()


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


def voice_worker(target: Target, deadline: float, stats: Stats, seed: int) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(target.host, target.port, timeout=30)
    while time.monotonic() < deadline:
        caller = phone_number(rng)
        base = {"AccountSid": "AC" + "0" * 32, "CallSid": f"CA{next(_counter):032x}",
                "From": caller, "To": target.business_number, "CallStatus": "in-progress",
                "Direction": "inbound", "ApiVersion": "2010-04-01"}
        path: str | None = "/voice/incoming"
        for turn in range(6):
            if path is None or time.monotonic() >= deadline:
                break
            params = dict(base)
            if turn:
                params["Digits"] = rng.choice(DIGITS)
            if path.startswith("http"):
                parts = urlsplit(path)
                path = parts.path + (f"?{parts.query}" if parts.query else "")
            try:
                twiml = target.post(conn, path, params, stats)
            except (OSError, http.client.HTTPException):
                stats.add(0.0, 599)
                conn.close()
                conn = http.client.HTTPConnection(target.host, target.port, timeout=30)
                break
            path = _next_action(twiml)
    conn.close()


def run(target: Target, kind: str, concurrency: int, seconds: float, seed: int = 1) -> dict:
    """Drive `concurrency` conversations of `kind` ("sms" or "voice") for `seconds`."""
    stats = Stats()
    worker = sms_worker if kind == "sms" else voice_worker
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=worker, args=(target, deadline, stats, seed * 1000 + i),
                                daemon=True) for i in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    return stats.summary(time.monotonic() - started)
