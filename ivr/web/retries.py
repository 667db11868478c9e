"""Twilio's webhook retries act once: the `I-Twilio-Idempotency-Token` header.

Twilio sends the same token when it retries a webhook (after a timeout or a connection error).
The first request with a token claims it; its response is kept for a day; a retry gets that same
response without running the view again. A retry racing the first attempt waits for it briefly.
MessageSid and CallSid+turn checks in the views stay as a second line of defence.
"""

from __future__ import annotations

import json
import time

import redis
from flask import Flask, Response, current_app, request

from ivr.web.security import twilio_request_is_signed

HEADER = "I-Twilio-Idempotency-Token"
#: How long a response is kept for retries.
KEEP_S = 24 * 3600
#: How long a retry waits for the first attempt to finish.
WAIT_S = 5.0
_PENDING = b"pending"


def _key(token: str) -> str:
    return current_app.extensions["ivr"].store.global_key("webhook", token[:128])


def _replay() -> Response | None:
    token = request.headers.get(HEADER)
    if not token or request.method != "POST" or not twilio_request_is_signed():
        return None  # unsigned requests are refused by the views themselves
    conn = current_app.extensions["ivr"].redis
    try:
        if conn.set(_key(token), _PENDING, nx=True, ex=KEEP_S):
            request.environ["ivr.retry_token"] = token
            return None
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            kept = conn.get(_key(token))
            if kept and kept != _PENDING:
                status, mimetype, body = json.loads(kept)
                return Response(body, status=status, mimetype=mimetype)
            time.sleep(0.05)
    except redis.RedisError:
        return None  # Redis down: let the views' own fail-open paths answer
    return None  # the first attempt never finished: act now rather than leave Twilio hanging


def _keep(response: Response) -> Response:
    token = request.environ.get("ivr.retry_token")
    if not token:
        return response
    conn = current_app.extensions["ivr"].redis
    try:
        if response.status_code < 500 and not response.direct_passthrough:
            kept = json.dumps([response.status_code, response.mimetype,
                               response.get_data(as_text=True)])
            conn.set(_key(token), kept, ex=KEEP_S)
        else:
            conn.delete(_key(token))
    except redis.RedisError:
        pass
    return response


def init_app(app: Flask) -> None:
    app.before_request(_replay)
    app.after_request(_keep)
