"""Business hours: is it open now, and when does it next open? Pure (zoneinfo only).

Hours are written per day or day range in the business's own timezone
(`{mon-fri: "08:30-17:30", sat: "09:00-12:00"}`); holidays are ISO dates when it is closed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def expand_days(spec: str) -> list[int]:
    """'mon-fri' -> [0..4]; 'sat' -> [5]; 'fri-mon' wraps; 'mon,wed' lists."""
    out: list[int] = []
    for part in spec.split(","):
        ends = [DAYS.index(d.strip()) for d in part.split("-")]
        if len(ends) == 1:
            out.append(ends[0])
        else:
            i = ends[0]
            while True:
                out.append(i)
                if i == ends[1]:
                    break
                i = (i + 1) % 7
    return out


def parse_ranges(spec: str) -> list[tuple[time, time]]:
    """'08:30-17:30' or '08:00-12:00, 13:00-17:00' -> [(start, end)]; 'closed' -> []."""
    spec = spec.strip()
    if spec == "closed":
        return []
    ranges = []
    for part in spec.split(","):
        start, end = part.strip().split("-")
        ranges.append((time.fromisoformat(start), time.fromisoformat(end)))
    return ranges


@dataclass(frozen=True)
class OpeningHours:
    """A weekly schedule in a timezone, minus holidays."""

    hours: Mapping[str, str]
    timezone: str
    holidays: Sequence[str] = ()

    def _by_day(self) -> dict[int, list[tuple[time, time]]]:
        table: dict[int, list[tuple[time, time]]] = {i: [] for i in range(7)}
        for days, spec in self.hours.items():
            for day in expand_days(days):
                table[day] = parse_ranges(spec)
        return table

    def _closed_on(self, day: date) -> bool:
        return day.isoformat() in set(self.holidays)

    def is_open(self, now: datetime) -> bool:
        """True when `now` falls inside a range (overnight ranges like 22:00-06:00 allowed)."""
        local = now.astimezone(ZoneInfo(self.timezone))
        table = self._by_day()
        for offset in (0, -1):
            day = local.date() + timedelta(days=offset)
            if self._closed_on(day):
                continue
            for start, end in table[day.weekday()]:
                overnight = end <= start
                if offset == 0 and (start <= local.time() < end or (overnight and local.time() >= start)):
                    return True
                if offset == -1 and overnight and local.time() < end:
                    return True
        return False

    def next_opening(self, now: datetime) -> datetime | None:
        """The next moment the business opens after `now` (aware, business timezone)."""
        zone = ZoneInfo(self.timezone)
        local = now.astimezone(zone)
        table = self._by_day()
        for offset in range(0, 370):
            day = local.date() + timedelta(days=offset)
            if self._closed_on(day):
                continue
            for start, _end in sorted(table[day.weekday()]):
                opening = datetime.combine(day, start, tzinfo=zone)
                if opening > local:
                    return opening
        return None
