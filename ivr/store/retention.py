"""Bookkeeping of retention runs (`ivr.jobs.retention`): `ivr:_:retention:last-run`, a claim
with a TTL that elects one worker to purge per period across all workers."""

from __future__ import annotations

from ivr.store.conversations import Store


def claim_purge(store: Store, at: str, every_s: int) -> bool:
    """Claim the purge for the next `every_s` seconds (stamped `at`); False when another
    worker claimed it within them."""
    return bool(store.redis.set(store.global_key("retention", "last-run"), at, nx=True,
                                ex=every_s))
