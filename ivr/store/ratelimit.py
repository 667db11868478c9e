"""Per-number inbound rate limits, so one number (or a script) cannot flood a business.

A fixed window counter in Redis per (business, number): cheap, shared by every web node.
"""

from __future__ import annotations

from typing import Any

from ivr.store.conversations import Store

#: Inbound messages or calls one number may make to one business per window.
INBOUND_LIMIT = 30

#: The window, in seconds.
WINDOW_S = 60


def count_inbound(pipe: Any, store: Store, business: str, number: str,
                  window_s: int = WINDOW_S) -> None:
    """Queue the count of one inbound contact on `pipe`; its first result is the new count
    (the web door sends it in the same round trip as the retry-token claim)."""
    key = store.key(business, "rate", number or "unknown")
    pipe.incr(key)
    pipe.expire(key, window_s, nx=True)


def within_limit(count: Any, limit: int = INBOUND_LIMIT) -> bool:
    """Whether a count `count_inbound` returned is still within the allowance."""
    return int(count) <= limit


def allow_inbound(store: Store, business: str, number: str, limit: int = INBOUND_LIMIT,
                  window_s: int = WINDOW_S) -> bool:
    """Count one inbound contact now; True while `number` is within its allowance."""
    pipe = store.redis.pipeline(transaction=False)  # one round trip; no MULTI/EXEC needed
    count_inbound(pipe, store, business, number, window_s)
    count, _ = pipe.execute()
    return within_limit(count, limit)
