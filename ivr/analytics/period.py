"""Metrics for a period, read from Redis: what the API, the dashboard and `ivr report` share.

`ivr.analytics.metrics` is pure; this module picks the period (and the previous one of the same length),
reads the records it needs (the period plus 48 h of look-ahead for repeat contacts), and adds
the unanswered-questions log with its handled marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from ivr.analytics import metrics
from ivr.runtime import Runtime
from ivr.store.records import Record, parse_iso
from ivr.store.unanswered import unanswered_in

#: The period used when none is given.
DEFAULT_DAYS = 30

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BadPeriod(ValueError):
    """A since/until the user gave that is not a date, or an empty/backwards period."""


#: The dates a period may name. Far enough back for any history and ahead for any plan; past
#: them the arithmetic a period needs (the previous period, 48 h of look-ahead) leaves what a
#: datetime can hold, so `since=0001-01-01` is refused here with a reason instead of a 500.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def shown(text: str, limit: int = 40) -> str:
    """User text quoted back in an error message, cut short (a 5,000-character date is not
    worth echoing whole)."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def within_range(moment: datetime, text: str, name: str = "") -> datetime:
    """`moment`, or BadPeriod saying that `name`'s date is outside [EARLIEST, LATEST]."""
    if not EARLIEST <= moment <= LATEST:
        raise BadPeriod(f"{name + ': ' if name else ''}{shown(text)} is out of range: use a date "
                        f"from {EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d}")
    return moment


def parse_moment(text: str, *, end: bool = False, name: str = "") -> datetime:
    """An ISO 8601 date or date-time (naive = UTC) within [EARLIEST, LATEST]. A bare date as
    `end` means the end of that day, so `--until 2026-11-30` includes the 30th. `name` (the
    parameter) starts the error message."""
    text = text.strip()
    label = f"{name}: " if name else ""
    try:
        if _DATE_ONLY.match(text):
            day = datetime.combine(datetime.fromisoformat(text).date(), time(), tzinfo=UTC)
            moment = day + timedelta(days=1) if end else day
        else:
            moment = parse_iso(text)
    except OverflowError:
        raise BadPeriod(f"{label}{shown(text)} is out of range: use a date from "
                        f"{EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d}") from None
    except ValueError:
        moment = None
    if moment is None:
        raise BadPeriod(f"{label}{shown(text)} is not an ISO 8601 date or date-time "
                        "(e.g. 2026-11-01)")
    return within_range(moment, text, name)


@dataclass(frozen=True)
class Period:
    """[since, until): aware datetimes."""

    since: datetime
    until: datetime

    @property
    def length(self) -> timedelta:
        return self.until - self.since

    def previous(self) -> Period:
        """The period of the same length just before this one (for "change vs previous")."""
        return Period(self.since - self.length, self.since)

    @classmethod
    def last_days(cls, now: datetime, days: int) -> Period:
        return cls(now - timedelta(days=days), now)

    @classmethod
    def parse(cls, since: str | None, until: str | None, now: datetime,
              default_days: int = DEFAULT_DAYS) -> Period:
        """From optional user text; defaults to the last `default_days` days up to now."""
        end = parse_moment(until, end=True, name="until") if until else now
        begin = (parse_moment(since, name="since") if since
                 else max(end - timedelta(days=default_days), EARLIEST))
        if begin >= end:
            raise BadPeriod("since: must be before until")
        return cls(begin, end)


def business_keys(runtime: Runtime, business: str | None = None) -> list[str]:
    """Keys of the businesses asked for (a key or a name), or of all that have data.

    Raises:
        LookupError: no business has that key or name.
    """
    known = {b.key: b.name for b in runtime.directory}
    for key in runtime.store.businesses():
        known.setdefault(key, key)
    if not business:
        return sorted(known)
    wanted = business.strip().lower()
    found = [key for key, name in known.items() if wanted in (key.lower(), name.lower())]
    like = runtime.directory.named_like(business)
    if not found and like is not None:  # "hvac" for Polar Bear HVAC, as the demo takes it
        found = [like.key]
    if not found:
        raise LookupError(f"no business called '{business}' (known: "
                          f"{', '.join(sorted(known.values()))})")
    return found


def records_for(runtime: Runtime, businesses: list[str], period: Period) -> list[Record]:
    """The period's records plus the 48 h after it (look-ahead for returns)."""
    return runtime.store.conversations(businesses, since=period.since,
                                       until=period.until + metrics.REPEAT_WINDOW)


def period_metrics(runtime: Runtime, period: Period, businesses: list[str]) -> dict[str, Any]:
    """The `/api/metrics` body for one period: metrics, unanswered log, change vs previous."""
    before = period.previous()
    records = records_for(runtime, businesses, Period(before.since, period.until))  # one read
    body = metrics.compute(records, period.since, period.until)
    inside = metrics.in_period(records, period.since, period.until)
    groups = unanswered_in(runtime.store, inside)
    body["unanswered"] = [g.as_dict() for g in groups]
    body["unanswered_total"] = sum(g.count for g in groups)
    body["unanswered_open"] = sum(1 for g in groups if not g.handled)
    previous = metrics.compute(records, before.since, before.until)
    body["previous"] = {"since": previous["since"], "until": previous["until"],
                        **{name: previous[name] for name in (*metrics.RATES, "conversations")}}
    body["change"] = metrics.change(body, previous)
    body["businesses"] = businesses
    return body
