"""Stale content: answers and params nobody has changed for 90 days, for the monthly review.

Prices, service areas and canned answers drift out of date quietly. Each piece of content a
business's callers hear — every `params:` and `answers:` entry of its config and every bucket
answer of its flow — is fingerprinted (a hash of its value) and remembered (`ivr.store.content`) with the
date it was first seen with that value. File modification times alone are unreliable (a git
checkout resets them), so they only backdate the first sighting: content seen for the first
time in a file untouched for months counts from the file's date.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ivr.config.business import Business
from ivr.flow.loader import load_flow
from ivr.flow.yamlsrc import parse, plain
from ivr.store.content import content_seen, remember_content
from ivr.store.conversations import Store
from ivr.store.records import iso, parse_iso

#: Content unchanged this long is listed for review.
STALE_AFTER = timedelta(days=90)


@dataclass(frozen=True)
class Content:
    """One reviewable piece of content: where it lives, its fingerprint, its file."""

    item: str
    digest: str
    source: Path | None


@dataclass(frozen=True)
class StaleItem:
    business: str
    item: str
    unchanged_since: datetime
    source: str

    def age(self, now: datetime) -> int:
        return (now - self.unchanged_since).days


def fingerprint(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _config_answers(business: Business) -> dict[str, Any]:
    """The `answers:` mapping of the business file (not kept on `Business`)."""
    if business.source is None or not business.source.exists():
        return {}
    node = plain(parse(business.source.read_text(encoding="utf-8"), str(business.source)))
    answers = node.get("answers") if isinstance(node, dict) else None
    return answers if isinstance(answers, dict) else {}


def _flow_answers(business: Business) -> dict[str, str]:
    """Each bucket's answer in the business's flow (empty when the flow cannot be read)."""
    try:
        flow = load_flow(business.flow_path)
    except Exception:  # a broken flow is `ivr flows check`'s job to report, not the review's
        return {}
    buckets = getattr(flow, "buckets", {}) or {}
    items = buckets.values() if isinstance(buckets, dict) else buckets
    return {bucket.name: bucket.answer for bucket in items if getattr(bucket, "answer", "")}


def contents(business: Business) -> list[Content]:
    """Everything reviewable a business's callers may hear."""
    out = [Content(f"params.{key}", fingerprint(value), business.source)
           for key, value in sorted(business.params.items())]
    out += [Content(f"answers.{key}", fingerprint(value), business.source)
            for key, value in sorted(_config_answers(business).items())]
    out += [Content(f"flow {business.flow_name}: {bucket} answer", fingerprint(text),
                    business.flow_path)
            for bucket, text in sorted(_flow_answers(business).items())]
    return out


def _file_date(path: Path | None, now: datetime) -> datetime:
    try:
        return min(now, datetime.fromtimestamp(path.stat().st_mtime, UTC)) if path else now
    except OSError:
        return now


def track(store: Store, business: Business, now: datetime) -> dict[str, datetime]:
    """Update the remembered fingerprints; return each item's unchanged-since date."""
    known = content_seen(store, business.key)
    since: dict[str, datetime] = {}
    updates: dict[str, dict[str, Any]] = {}
    for content in contents(business):
        seen = known.get(content.item)
        if seen and seen.get("digest") == content.digest and parse_iso(seen.get("since")):
            since[content.item] = parse_iso(seen["since"])  # type: ignore[assignment]
            continue
        first = _file_date(content.source, now) if seen is None else now
        since[content.item] = first
        updates[content.item] = {"digest": content.digest, "since": iso(first)}
    remember_content(store, business.key, updates, set(known) - set(since))
    return since


def stale_content(store: Store, businesses: list[Business], now: datetime,
                  after: timedelta = STALE_AFTER) -> list[StaleItem]:
    """Content unchanged for `after` (default 90 days), oldest first."""
    items = []
    for business in businesses:
        sources = {c.item: c.source for c in contents(business)}
        for item, since in track(store, business, now).items():
            if now - since >= after:
                source = sources.get(item)
                items.append(StaleItem(business.name, item, since,
                                       source.name if source else ""))
    items.sort(key=lambda s: s.unchanged_since)
    return items
