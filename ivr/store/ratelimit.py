"""Rate limits: per-number inbound contacts, and failed sign-ins per client address.

A fixed window counter in Redis per (business, number) (`ivr:{business}:rate:<number>`), so one
number (or a script) cannot flood a business; and one per client address
(`ivr:_:auth-failures:<address>`) for guessed passwords and API tokens. Cheap, shared by every
web node.
"""

from __future__ import annotations

from typing import Any

from ivr.store.conversations import Rate, Store

#: Inbound messages or calls one number may make to one business per window.
INBOUND_LIMIT = 30

#: The window, in seconds.
WINDOW_S = 60


def _inbound_key(store: Store, business: str, number: str) -> str:
    return store.key(business, "rate", number or "unknown")


def inbound_rate(store: Store, business: str, number: str, limit: int = INBOUND_LIMIT,
                 window_s: int = WINDOW_S) -> Rate:
    """The count of `number`'s contacts, for a text's arrival to take in its own round trip
    (`Store.queue_arrival`), on the same counter as `count_inbound`."""
    return _inbound_key(store, business, number), window_s, limit


def count_inbound(batch: Any, store: Store, business: str, number: str,
                  window_s: int = WINDOW_S) -> None:
    """Queue the count of one inbound contact on `batch` (`Store.batch`); its first result is
    the new count (the web door sends it in the same round trip as the retry-token claim)."""
    key = _inbound_key(store, business, number)
    batch.incr(key)
    batch.expire(key, window_s, nx=True)


def within_limit(count: Any, limit: int = INBOUND_LIMIT) -> bool:
    """Whether a count `count_inbound` returned is still within the allowance."""
    return int(count) <= limit


def allow_inbound(store: Store, business: str, number: str, limit: int = INBOUND_LIMIT,
                  window_s: int = WINDOW_S) -> bool:
    """Count one inbound contact now; True while `number` is within its allowance."""
    batch = store.batch()
    count_inbound(batch, store, business, number, window_s)
    count, _ = batch.execute()
    return within_limit(count, limit)


# -- failed sign-ins and API tokens, per client address (`ivr.web.guessing`) ---------------------
def _failures_key(store: Store, address: str) -> str:
    return store.global_key("auth-failures", address)


def auth_failures(store: Store, address: str) -> tuple[int, int]:
    """The failures counted for `address` in its window, and the window's seconds left
    (negative when there is no window), in one round trip."""
    key = _failures_key(store, address)
    batch = store.batch()
    batch.get(key)
    batch.ttl(key)
    count, ttl = batch.execute()
    return int(count or 0), int(ttl)


def count_auth_failure(store: Store, address: str, window_s: int) -> int:
    """Count one failure from `address` (the window starts at the first); the new count."""
    key = _failures_key(store, address)
    batch = store.batch()
    batch.incr(key)
    batch.expire(key, window_s, nx=True)
    count, _ = batch.execute()
    return int(count)


def forgive_auth_failures(store: Store, address: str) -> None:
    """Forget `address`'s failures (it signed in)."""
    store.redis.delete(_failures_key(store, address))
