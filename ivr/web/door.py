"""The door every webhook passes: its start-of-request and closing Redis work, batched.

Every Redis round trip is a wait a caller hears and a context switch the machine pays, so a
webhook's fixed work goes in one round trip at each end. At the start: claim the retry token
(`ivr.web.retries`), count the sender against the rate limit (`ivr.web.abuse`) and, for a
text, claim its MessageSid and read what its turn starts from (`ivr.web.sms.read_ahead`). At
the end: the writes only a later request reads (the response kept for retries, a cached reply,
a text turn's record when no effect acts on it) are held by the store (`Store.later`) and sent
together just before the response leaves (the SMS view sends them itself, `ivr.web.sms.close`).
Redis down at either end: the views' own fail-open paths answer, and a lost closing write
costs only a retry's shortcut.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import redis
from flask import Flask, Response, request

from ivr.logs import event
from ivr.store.ratelimit import count_inbound, within_limit
from ivr.twilio import urls
from ivr.web import abuse, retries, sms
from ivr.web.context import current_runtime

log = logging.getLogger("ivr.door")

#: Views whose own start-of-request work rides in the door's round trip, by path: given the
#: batch and whether the sender is to be counted, a reader queues it (counting the sender
#: itself) and returns what takes its results (the count), or None to leave it to the view.
READERS: dict[str, Callable[[Any, bool], Callable[[list[Any]], int] | None]] = {
    urls.SMS_INCOMING: sms.read_ahead,
}


def _enter() -> Response | None:
    if request.method != "POST":
        return None  # the Media Streams upgrade (a GET) must never hold writes for a whole call
    store = current_runtime().store
    store.hold_writes()
    token = retries.token()
    contact = abuse.counted()
    reader = READERS.get(request.path)
    if token is None and contact is None and reader is None:
        return None
    batch = store.batch()  # one round trip for all
    if token is not None:
        retries.queue_claim(batch, token)
    take = reader(batch, contact is not None) if reader is not None else None
    if contact is not None and take is None:
        count_inbound(batch, store, contact[0].key, contact[1])
    if not len(batch):
        return None
    try:
        results = batch.execute()
    except redis.RedisError:
        return None  # Redis is down: the views' own fail-open paths take over
    if token is not None:
        first = bool(results.pop(0))
        kept = retries.replay(token, first)
        if kept is not None or not first:
            return kept  # a retry: the first attempt's response, or act now if it never finished
    count = take(results) if take is not None else results[0] if contact is not None else 0
    if contact is not None and not within_limit(count):
        return abuse.refuse(contact[0])
    return None


def _leave(response: Response) -> Response:
    store = current_runtime().store
    try:
        store.flush_writes()
    except redis.RedisError as exc:
        event("door.writes_lost", log, logging.WARNING, path=request.path,
              error=type(exc).__name__)
    return response


def _forget(_exc: BaseException | None) -> None:
    current_runtime().store.drop_writes()


def init_app(app: Flask) -> None:
    app.before_request(_enter)
    app.after_request(_leave)  # registered before `keep`, so it runs after it
    app.after_request(retries.keep)
    app.teardown_request(_forget)
