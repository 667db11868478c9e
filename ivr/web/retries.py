"""Twilio's webhook retries act once: the `I-Twilio-Idempotency-Token` header.

Twilio sends the same token when it retries a webhook (after a timeout or a connection error).
The first request with a token claims it; its response is kept for a day; a retry gets that same
response without running the view again (kept by `ivr.store.webhooks`). A retry racing the first attempt waits for it briefly.
MessageSid and CallSid+turn checks in the views stay as a second line of defence.
The claim is sent by the door (`ivr.web.door`) with its other start-of-request work.
"""

from __future__ import annotations

import time
from typing import Any

import redis
from flask import Response, request

from ivr.store import webhooks
from ivr.web.context import current_runtime
from ivr.web.security import twilio_request_is_signed

HEADER = "I-Twilio-Idempotency-Token"
#: How long a retry waits for the first attempt to finish.
WAIT_S = 5.0
#: WSGI environ key: the token this request claimed (its response is kept under it).
_CLAIMED = "ivr.retry_token"


def token() -> str | None:
    """The retry token of a signed Twilio POST, if it carries one."""
    value = request.headers.get(HEADER)
    if not value or request.method != "POST" or not twilio_request_is_signed():
        return None  # unsigned requests are refused by the views themselves
    return value


def queue_claim(batch: Any, value: str) -> None:
    """Queue the claim of `value` on `batch` (`Store.batch`); its result is truthy for the
    first attempt."""
    webhooks.queue_claim(batch, current_runtime().store, value)


def replay(value: str, claimed: bool) -> Response | None:
    """After the claim: None to go on (first attempt, or the first never finished), else the
    first attempt's response, waited for briefly when it is still running."""
    if claimed:
        request.environ[_CLAIMED] = value
        return None
    store = current_runtime().store
    try:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            kept = webhooks.kept_reply(store, value)
            if kept is not None:
                status, mimetype, body = kept
                return Response(body, status=status, mimetype=mimetype)
            time.sleep(0.05)
    except redis.RedisError:
        return None  # Redis down: let the views' own fail-open paths answer
    return None  # the first attempt never finished: act now rather than leave Twilio hanging


def keep(response: Response) -> Response:
    """Keep the response of a claimed request for its retries (with the closing writes); a
    5xx releases the token so a retry acts after all. Once per request: a view that sends its
    closing writes itself keeps its response first (`ivr.web.sms.close`)."""
    value = request.environ.pop(_CLAIMED, None)
    if not value:
        return response
    store = current_runtime().store
    if response.status_code < 500 and not response.direct_passthrough:
        webhooks.keep_reply(store, value, response.status_code, response.mimetype,
                            response.get_data(as_text=True))
    else:
        webhooks.release(store, value)
    return response


def close(response: Response) -> Response:
    """Send the request's closing writes now, inside the view, its response kept first (the
    reply for a retried token rides in the same round trip): a view holding a turn's save
    (`Store.holds_a_turn`) calls this, so Redis failing here reaches the view's own failure
    path (a spooled text, a caller put through to a person) instead of losing the turn."""
    keep(response)
    current_runtime().store.flush_writes()
    return response
