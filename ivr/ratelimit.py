"""Per-number inbound rate limits, so one number (or a script) cannot flood a business.

A fixed window counter in Redis per (business, number): cheap, shared by every web node.
"""

from __future__ import annotations

from ivr.store import Store

#: Inbound messages or calls one number may make to one business per window.
INBOUND_LIMIT = 30

#: The window, in seconds.
WINDOW_S = 60


def allow_inbound(store: Store, business: str, number: str, limit: int = INBOUND_LIMIT,
                  window_s: int = WINDOW_S) -> bool:
    """True while `number` is within its allowance for this window."""
    key = store.key(business, "rate", number or "unknown")
    pipe = store.redis.pipeline(transaction=False)  # one round trip; no MULTI/EXEC needed
    pipe.incr(key)
    pipe.expire(key, window_s, nx=True)
    count, _ = pipe.execute()
    return int(count) <= limit
