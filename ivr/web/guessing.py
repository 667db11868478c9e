"""Failed sign-ins and wrong API tokens, counted per client address, answered 429 past a limit.

One fixed-window counter per address in Redis (`ivr.store.ratelimit`), shared by the
dashboard's sign-in form and the API's bearer token, so guessing through either spends the
same allowance, on every web node alike. Past `MAX_FAILURES` within `WINDOW_S` that address
is answered 429 with `Retry-After` until the window ends, even with the right token (else
the 429 would stop nothing: a right guess would still show). Other addresses are unaffected,
so the owner signs in from a phone or another network meanwhile, or from the same one once the
window passes. Each lockout is logged once (`event=auth.locked_out`) so the owner can see it.

The address is `request.remote_addr`: the peer, or the client a trusted proxy names in
X-Forwarded-For only when IVR_TRUST_PROXY is set (ProxyFix in `ivr.web.app`); a header sent
straight to the app changes nothing.
"""

from __future__ import annotations

import logging

from flask import Response, request

from ivr.logs import event
from ivr.store.ratelimit import auth_failures, count_auth_failure, forgive_auth_failures
from ivr.web.context import current_runtime

log = logging.getLogger("ivr.web.guessing")

#: Failed attempts (sign-ins and API tokens together) allowed per address per window.
MAX_FAILURES = 10

#: The window, in seconds, counted from the first failure: long enough to make guessing a
#: good token hopeless (40 guesses an hour), short enough that a mistyping owner waits little.
WINDOW_S = 15 * 60



def client_address() -> str:
    return request.remote_addr or "unknown"


def locked_for() -> int:
    """Seconds this request's address must still wait, or 0 when it may try."""
    count, ttl = auth_failures(current_runtime().store, client_address())
    if count < MAX_FAILURES:
        return 0
    return ttl if ttl > 0 else WINDOW_S


def record_failure(kind: str) -> None:
    """Count one failed attempt from this request's address; log the lockout it may start."""
    address = client_address()
    count = count_auth_failure(current_runtime().store, address, WINDOW_S)
    if count == MAX_FAILURES:
        event("auth.locked_out", log, logging.WARNING, remote=address, via=kind,
              failures=count, retry_after_s=WINDOW_S)


def forgive() -> None:
    """Forget this address's failures (a successful sign-in)."""
    forgive_auth_failures(current_runtime().store, client_address())


def too_many(response: Response, wait_s: int) -> Response:
    """Mark `response` as the 429 answer to a locked address."""
    response.status_code = 429
    response.headers["Retry-After"] = str(max(int(wait_s), 1))
    return response
