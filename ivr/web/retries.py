"""Twilio's webhook retries act once: the `I-Twilio-Idempotency-Token` header.

Twilio sends the same token when it retries a webhook (after a timeout or a connection error).
The first request with a token claims it; its response is kept for a day; a retry gets that same
response without running the view again. A retry racing the first attempt waits for it briefly.
MessageSid and CallSid+turn checks in the views stay as a second line of defence.
The claim is sent by the door (`ivr.web.door`) with its other start-of-request work.
"""

from __future__ import annotations

import json
import time
from typing import Any

import redis
from flask import Response, request

from ivr.web.context import current_runtime
from ivr.web.security import twilio_request_is_signed

HEADER = "I-Twilio-Idempotency-Token"
#: How long a response is kept for retries.
KEEP_S = 24 * 3600
#: How long a retry waits for the first attempt to finish.
WAIT_S = 5.0
_PENDING = b"pending"
#: WSGI environ key: the token this request claimed (its response is kept under it).
_CLAIMED = "ivr.retry_token"


def _key(token: str) -> str:
    return current_runtime().store.global_key("webhook", token[:128])


def token() -> str | None:
    """The retry token of a signed Twilio POST, if it carries one."""
    value = request.headers.get(HEADER)
    if not value or request.method != "POST" or not twilio_request_is_signed():
        return None  # unsigned requests are refused by the views themselves
    return value


def queue_claim(pipe: Any, value: str) -> None:
    """Queue the claim of `value` on `pipe`; its result is truthy for the first attempt."""
    pipe.set(_key(value), _PENDING, nx=True, ex=KEEP_S)


def replay(value: str, claimed: bool) -> Response | None:
    """After the claim: None to go on (first attempt, or the first never finished), else the
    first attempt's response, waited for briefly when it is still running."""
    if claimed:
        request.environ[_CLAIMED] = value
        return None
    conn = current_runtime().redis
    try:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            kept = conn.get(_key(value))
            if kept and kept != _PENDING:
                status, mimetype, body = json.loads(kept)
                return Response(body, status=status, mimetype=mimetype)
            time.sleep(0.05)
    except redis.RedisError:
        return None  # Redis down: let the views' own fail-open paths answer
    return None  # the first attempt never finished: act now rather than leave Twilio hanging


def keep(response: Response) -> Response:
    """Keep the response of a claimed request for its retries (with the closing writes); a
    5xx releases the token so a retry acts after all."""
    value = request.environ.get(_CLAIMED)
    if not value:
        return response
    key = _key(value)
    if response.status_code < 500 and not response.direct_passthrough:
        kept = json.dumps([response.status_code, response.mimetype,
                           response.get_data(as_text=True)])
        current_runtime().store.later(lambda conn: conn.set(key, kept, ex=KEEP_S))
    else:
        current_runtime().store.later(lambda conn: conn.delete(key))
    return response
