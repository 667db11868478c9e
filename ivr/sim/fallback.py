"""A number's fallback URL: what Twilio fetches when the app could not give it TwiML.

Twilio's "Availability and Reliability" page: "If Twilio is unable to retrieve or execute
TwiML from your web server, a request is immediately made to the number's Fallback URL", with
`ErrorCode` and `ErrorUrl` added to the usual parameters. Error 11205 (its page): no answer
within 15 seconds, or no connection, "we fail the request, fire a notification, and try your
fallback URL". So for a call with a fallback (an inbound call to a number whose Voice fallback
URL `carrier.connect(voice_fallback=...)` set, or a REST call created with FallbackUrl), a
fetch that fails — an error status, no answer in time, unreadable TwiML — is logged in
`carrier.errors` (Twilio's debugger) and the fallback's document runs instead; only when the
fallback fails too does the caller hear the application error. Twilio does not say whether a
failed action or redirect URL later in the call also falls back; the sim reads it so (the page
speaks of "executing your call"), and an app cannot tell the difference except by being rescued.

The Messaging fallback URL (`carrier.connect(sms_fallback=...)`, "Primary handler fails" under
Messaging) is the same for an incoming text: a failed Messaging URL is retried once at the
fallback with `ErrorCode` and `ErrorUrl`, and its replies are sent; without one, nothing is.

Faults a test asks for (`carrier.faults.slow_webhook`, `fail_webhook`) make a primary fail
without waiting 15 real seconds: a slow one is still delivered, and the app acts on it — as a
real slow server finishes its work after Twilio stopped waiting; an overtaken one
(`overtaken_webhook`) reaches the app only after the fallback has answered, as a request a
proxy held past the limit, or a slow server's work that finishes after the fallback's; a
stalled one (`stalled_webhook`) reaches the app at once and is given up on while the app is
still working on it (the test holds the app up and says so), so the fallback arrives in the
middle of the app's work, and the app finishes after the fallback's answer.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ivr.sim.webhooks import WEBHOOK_TIMEOUT_S, Exchange, Params, Signing

if TYPE_CHECKING:
    from ivr.sim.carrier import Carrier

#: Twilio's error codes for a failed webhook.
HTTP_RETRIEVAL_FAILURE = 11200   # the server answered with an error status
HTTP_CONNECTION_FAILURE = 11205  # no connection, or no answer within 15 s
DOCUMENT_PARSE_FAILURE = 12100   # the answer is not TwiML


@dataclass(frozen=True)
class Fallback:
    """Where a call or a number falls back to."""

    url: str
    method: str = "POST"


@dataclass(frozen=True)
class Stall:
    """A request the app is still working on when Twilio stops waiting (`stalled_webhook`).

    The sim cannot make the app slow (it only speaks HTTP), so whoever holds the app up — a
    test holding its thread at a point of its work — sets `working`; the carrier then gives up
    on the request at once, as Twilio does at 15 s (else it waits the full 15 s), requests the
    fallback, and sets `overtaken` once the fallback has been answered: the app's work may go
    on, and its late answer is discarded.
    """

    working: threading.Event = field(default_factory=threading.Event)
    overtaken: threading.Event = field(default_factory=threading.Event)


def fetch(carrier: Carrier, url: str, params: Params, method: str,
          signing: Signing = "valid", idempotency: str | None = None) -> Exchange:
    """Request `url` as the carrier would, with the webhook faults a test asked for."""
    fault = carrier.faults.webhook_fault(url)
    if isinstance(fault, int):  # answered in front of the app (a proxy while it restarts)
        exchange = Exchange(method, url, {k: v for k, v in params.items() if v is not None},
                            status=fault, body="Bad Gateway")
        carrier.webhooks.log.append(exchange)
        return exchange
    if fault == "overtaken":  # held on the way: delivered once the fallback has answered
        params = {k: v for k, v in params.items() if v is not None}
        carrier.faults.held.append(
            lambda: carrier.webhooks.request(url, params, method, signing,
                                             idempotency=idempotency))
        exchange = Exchange(method, url, params,
                            error=f"ReadTimeout: no answer within {WEBHOOK_TIMEOUT_S:.0f} s")
        carrier.webhooks.log.append(exchange)
        return exchange
    if isinstance(fault, Stall):
        return _stalled(carrier, fault, url, params, method, signing, idempotency)
    exchange = carrier.webhooks.request(url, params, method, signing,
                                       idempotency=idempotency)
    if "ErrorCode" in params:  # the fallback answered: what was held on the way arrives now
        for deliver in carrier.faults.take_held():
            late = deliver()
            late.body, late.error = "", f"ReadTimeout: no answer within {WEBHOOK_TIMEOUT_S:.0f} s"
    if fault == "late" and exchange.ok:
        exchange.body = ""
        exchange.error = f"ReadTimeout: no answer within {WEBHOOK_TIMEOUT_S:.0f} s"
    return exchange


def _stalled(carrier: Carrier, stall: Stall, url: str, params: Params, method: str,
             signing: Signing, idempotency: str | None) -> Exchange:
    """Send the request on its own thread and stop waiting once the app is held up in its
    work (`stall.working`) or after 15 s; once the fallback has answered, let the app go on
    (`stall.overtaken`) and take its answer, discarded as too late."""
    params = {k: v for k, v in params.items() if v is not None}
    answered: list[Exchange] = []
    sender = threading.Thread(
        target=lambda: answered.append(carrier.webhooks.request(
            url, params, method, signing, idempotency=idempotency)),
        name="sim-stalled-webhook", daemon=True)
    sender.start()
    deadline = time.monotonic() + WEBHOOK_TIMEOUT_S
    while (not stall.working.wait(0.01) and sender.is_alive()
           and time.monotonic() < deadline):
        pass

    def finish() -> Exchange:
        stall.overtaken.set()
        sender.join(WEBHOOK_TIMEOUT_S)
        return answered[0] if answered else Exchange(method, url, params)

    carrier.faults.held.append(finish)
    exchange = Exchange(method, url, params,
                        error=f"ReadTimeout: no answer within {WEBHOOK_TIMEOUT_S:.0f} s")
    carrier.webhooks.log.append(exchange)
    return exchange


def error_code(exchange: Exchange) -> int:
    """Twilio's error code for a failed fetch."""
    return HTTP_CONNECTION_FAILURE if exchange.error else HTTP_RETRIEVAL_FAILURE
