"""The door every webhook passes: its start-of-request and closing Redis work, batched.

Every Redis round trip is a wait a caller hears and a context switch the machine pays, so a
webhook's fixed work goes in one round trip at each end. At the start: claim the retry token
(`ivr.web.retries`) and count the sender against the rate limit (`ivr.web.abuse`). At the end:
the writes only a later request reads (the response kept for retries, a cached reply, an SMS
menu) are held by the store (`Store.later`) and sent together just before the response leaves.
Redis down at either end: the views' own fail-open paths answer, and a lost closing write
costs only a retry's shortcut.
"""

from __future__ import annotations

import logging

import redis
from flask import Flask, Response, request

from ivr.logs import event
from ivr.store.ratelimit import count_inbound, within_limit
from ivr.web import abuse, retries
from ivr.web.context import current_runtime

log = logging.getLogger("ivr.door")


def _enter() -> Response | None:
    if request.method != "POST":
        return None  # the Media Streams upgrade (a GET) must never hold writes for a whole call
    store = current_runtime().store
    store.hold_writes()
    token = retries.token()
    contact = abuse.counted()
    if token is None and contact is None:
        return None
    batch = store.batch()  # one round trip for both
    if token is not None:
        retries.queue_claim(batch, token)
    if contact is not None:
        count_inbound(batch, store, contact[0].key, contact[1])
    try:
        results = batch.execute()
    except redis.RedisError:
        return None  # Redis is down: the views' own fail-open paths take over
    if token is not None:
        first = bool(results.pop(0))
        kept = retries.replay(token, first)
        if kept is not None or not first:
            return kept  # a retry: the first attempt's response, or act now if it never finished
    if contact is not None and not within_limit(results[0]):
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
