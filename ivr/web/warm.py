"""Throwaway requests through the app before a process says it is ready (`/readyz`).

A fresh process's first webhook paid about twice a warm one's CPU (`bench.first_call`), spread
over code running for the first time: Flask's request and response machinery, form parsing,
the signature check, the door, the Redis client's first connection, the TwiML reply. Taking a
few requests through the app's own test client first moves that cost before traffic arrives.

Each request saves nothing: `/healthz` only pings Redis, and the signed webhooks name no
business's number, so the door claims and counts nothing and the views answer at once (an
empty reply for a text or a call to a number we do not serve, logged as such, once per
process, under `WARM_UP_SID` so the log says why).
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable
from urllib.parse import urlencode

from flask import Flask

from ivr.logs import event
from ivr.runtime import Runtime
from ivr.twilio import urls
from ivr.twilio.signature import sign, signed_url

log = logging.getLogger("ivr.web.warm")

#: The sid the throwaway webhooks carry, so their log lines read as the warm-up's.
WARM_UP_SID = "warm-up"
#: A number no business has (not even a number): the views answer it without a turn.
NOBODY = "warm-up"
#: Who the throwaway webhooks come from: a number as Twilio writes one, so the form's first
#: percent-escape (`%2B`) is decoded here, not in a customer's turn (urllib builds its table
#: of escapes on the first it meets).
SENDER = "+15005550006"
#: Longest a process waits for its models before settling its heap without them.
SETTLE_WAIT_S = 300.0
#: Where the test client's requests seem to come from (the signature's URL without a public one).
_HOST = "http://localhost/"


def _webhooks() -> list[tuple[str, dict[str, str]]]:
    return [
        (urls.SMS_INCOMING, {"AccountSid": "AC" + "0" * 32, "MessageSid": WARM_UP_SID,
                             "From": SENDER, "To": NOBODY, "Body": "hello", "NumMedia": "0"}),
        (urls.VOICE_INCOMING, {"AccountSid": "AC" + "0" * 32, "CallSid": WARM_UP_SID,
                               "From": SENDER, "To": NOBODY, "CallStatus": "ringing"}),
    ]


def warm_web(app: Flask, runtime: Runtime) -> None:
    """Take the throwaway requests; a failure is logged and never stops the process's start
    (the first customer then pays the first run, as before)."""
    client = app.test_client()
    settings = runtime.settings
    try:
        client.get("/healthz")
        for path, form in _webhooks():
            signature = sign(settings.auth_token, signed_url(settings.public_url, _HOST, path),
                             form)
            client.post(path, data=urlencode(form), headers={
                "X-Twilio-Signature": signature,
                "Content-Type": "application/x-www-form-urlencoded"})
    except Exception as exc:  # noqa: BLE001 - warming is an optimisation, never a failure
        event("warm_up.web_failed", log, logging.WARNING, error=type(exc).__name__)


def settle_heap(models_in: Callable[[], bool], wait_s: float = SETTLE_WAIT_S) -> None:
    """Once `models_in()` (or after `wait_s`), collect the warm-up's garbage and freeze what
    is left (`gc.freeze`): the models, flows, caches and modules a serving process keeps for
    its life are then never scanned again by the cyclic garbage collector.

    Without it a full collection in a warmed process took 240-450 ms (the models' and word
    lists' containers, scanned whole), due whenever enough new objects had piled up: a pause
    that fell on some webhook, the first ones after a start most likely (the warm-up had just
    allocated most of the heap). Frozen objects are still freed when nothing refers to them;
    only a cycle among them is kept (an old flow version replaced by a new file, say)."""
    deadline = time.monotonic() + wait_s
    while not models_in() and time.monotonic() < deadline:
        time.sleep(0.05)
    gc.collect()
    gc.freeze()
