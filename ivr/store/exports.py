"""Which conversations the CRM export delivered (`ivr.handoff.export`), so a retried or
re-queued export job never delivers one twice: `ivr:{business}:exported:<conversation id>`
holds the time of delivery for 90 days.
"""

from __future__ import annotations

from ivr.store.conversations import Store

#: How long a delivery is remembered (longer than any retry or re-queue of its job).
EXPORTED_TTL_S = 90 * 24 * 3600


def _key(store: Store, business: str, conversation_id: str) -> str:
    return store.key(business, "exported", conversation_id)


def exported(store: Store, business: str, conversation_id: str) -> bool:
    """Whether the conversation was delivered already."""
    return bool(store.redis.exists(_key(store, business, conversation_id)))


def mark_exported(store: Store, business: str, conversation_id: str, at: str) -> None:
    """Remember that the conversation was delivered at `at` (ISO time)."""
    store.redis.set(_key(store, business, conversation_id), at, ex=EXPORTED_TTL_S)
