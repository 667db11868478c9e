"""Twilio retry tokens and the replies kept for them (`ivr.web.retries`).

A webhook carrying `I-Twilio-Idempotency-Token` claims `ivr:_:webhook:<token>` (the first 128
characters) with the value `pending`; once answered the key holds the reply (status, mimetype,
body) for a day, so a retry gets the same answer; a failed answer releases the token.
"""

from __future__ import annotations

import json
from typing import Any

from ivr.store.conversations import Store

#: How long a reply is kept for retries (and a claim for an attempt still running).
KEEP_S = 24 * 3600

_PENDING = b"pending"

#: A kept reply: its status code, mimetype and body.
Kept = tuple[int, str, str]


def _key(store: Store, token: str) -> str:
    return store.global_key("webhook", token[:128])


def queue_claim(batch: Any, store: Store, token: str) -> None:
    """Queue the claim of `token` on `batch` (`Store.batch`); its result is truthy for the
    first attempt (the door sends it with the rate-limit count in one round trip)."""
    batch.set(_key(store, token), _PENDING, nx=True, ex=KEEP_S)


def kept_reply(store: Store, token: str) -> Kept | None:
    """The reply kept for `token`, or None while the first attempt is still answering (or
    never claimed it)."""
    kept = store.redis.get(_key(store, token))
    if not kept or kept == _PENDING:
        return None
    status, mimetype, body = json.loads(kept)
    return status, mimetype, body


def keep_reply(store: Store, token: str, status: int, mimetype: str | None, body: str) -> None:
    """Keep the reply for `token`'s retries, with the request's closing writes."""
    key, kept = _key(store, token), json.dumps([status, mimetype, body])
    store.later(lambda conn: conn.set(key, kept, ex=KEEP_S))


def release(store: Store, token: str) -> None:
    """Forget `token` (with the closing writes), so a retry acts after all."""
    key = _key(store, token)
    store.later(lambda conn: conn.delete(key))
