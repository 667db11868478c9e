"""Identifiers and timestamps shaped like Twilio's, so the app's parsing is exercised for real.

Twilio SIDs are a two-letter resource prefix plus 32 hex digits (CA… calls, SM… messages,
CF… conferences, RE… recordings, MZ… media streams); REST dates are RFC 2822 in UTC.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from email.utils import format_datetime

#: The REST API version segment Twilio puts in every path and webhook (`ApiVersion`).
API_VERSION = "2010-04-01"


def new_sid(prefix: str) -> str:
    """A fresh SID with Twilio's shape: `prefix` + 32 lowercase hex digits."""
    return prefix + uuid.uuid4().hex


def now() -> datetime:
    """The sim runs on wall-clock time (the app may run on its own FakeClock)."""
    return datetime.now(UTC)


def rfc2822(moment: datetime | None) -> str | None:
    """Twilio's REST date format, e.g. "Tue, 24 Nov 2026 16:00:00 +0000"."""
    return format_datetime(moment) if moment else None
