"""When each piece of a business's content was first seen with its current value
(`ivr.analytics.staleness`): `ivr:{business}:content`, a hash of
{item: JSON {"digest": fingerprint, "since": ISO time}}, kept until the item disappears.
"""

from __future__ import annotations

import json
from typing import Any

from ivr.store.conversations import Store


def _key(store: Store, business: str) -> str:
    return store.key(business, "content")


def content_seen(store: Store, business: str) -> dict[str, dict[str, Any]]:
    """Every item remembered for the business: {item: {"digest": ..., "since": ...}}."""
    raw = store.redis.hgetall(_key(store, business))
    return {item.decode(): json.loads(seen) for item, seen in raw.items()}


def remember_content(store: Store, business: str, seen: dict[str, dict[str, Any]],
                     gone: set[str]) -> None:
    """Remember the items in `seen` (item: {"digest", "since"}) and forget those `gone`."""
    key = _key(store, business)
    if seen:
        store.redis.hset(key, mapping={item: json.dumps(value) for item, value in seen.items()})
    if gone:
        store.redis.hdel(key, *gone)
