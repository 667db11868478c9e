"""Business hours: is it open now, when does it next open, and how to say so. Pure.

Hours are written per day or day range in the business's own timezone
(`{mon-fri: "08:30-17:30", sat: "09:00-12:00"}`); a range may run past midnight
(`"22:00-06:00"` belongs to the day it starts) and may end at `24:00`. Holidays close whole days:
ISO dates (`2026-12-25`), closures (`2026-12-24..2026-12-31`) and country holiday sets from the
`holidays` package (`US`, or a subdivision such as `US-TX`), observed days included.

All comparisons are made on absolute instants, so an opening that falls in a DST gap (02:30 on
the spring-forward night) moves to the first real minute after it, and a fall-back night is
neither skipped nor counted twice. Only zoneinfo and the pure `holidays` package are used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache, cached_property
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_LABELS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: How far ahead `next_opening` looks before deciding the business never opens.
HORIZON_DAYS = 400
#: Days of open intervals an `OpeningHours` remembers (a few weeks of turns' questions).
SPAN_MEMO_DAYS = 64

_RANGE_SEP = re.compile(r"\s*(?:\.\.|/)\s*")
_REGION = re.compile(r"^([A-Za-z]{2})(?:[-:]([A-Za-z0-9]{1,3}))?$")

Ranges = list[tuple[time, time | None]]  # None as an end means midnight (24:00)


def expand_days(spec: str) -> list[int]:
    """'mon-fri' -> [0..4]; 'sat' -> [5]; 'fri-mon' wraps; 'mon,wed' lists."""
    out: list[int] = []
    for part in spec.split(","):
        ends = [DAYS.index(d.strip().lower()) for d in part.split("-")]
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


def _clock_time(text: str) -> time | None:
    """'08:30' -> time(8, 30); '24:00' -> None (the end of the day)."""
    text = text.strip()
    return None if text == "24:00" else time.fromisoformat(text)


def parse_ranges(spec: str) -> Ranges:
    """'08:30-17:30' or '08:00-12:00, 13:00-17:00' -> [(start, end)]; 'closed' -> [].

    An end of '24:00' is returned as None; an end at or before the start runs past midnight.
    """
    spec = spec.strip()
    if spec.lower() == "closed":
        return []
    ranges: Ranges = []
    for part in spec.split(","):
        start, end = part.strip().split("-")
        begin = _clock_time(start)
        ranges.append((begin or time(0), _clock_time(end)))
    return ranges


@cache
def _country_days(country: str, subdiv: str | None, year: int) -> frozenset[date]:
    """The public holidays (observed days included) of a country or subdivision in one year."""
    import holidays as holiday_sets  # lazy: its tables load slowly, and few businesses list holidays

    table = holiday_sets.country_holidays(country, subdiv=subdiv, years=year)
    return frozenset(table.keys())


@dataclass(frozen=True)
class Holidays:
    """Days a business is closed, parsed from its `holidays:` entries.

    Raises:
        ValueError: an entry is neither a date, a date range nor a known country holiday set.
    """

    entries: Sequence[str] = ()

    @cached_property
    def _parsed(self) -> tuple[frozenset[date], tuple[tuple[date, date], ...],
                               tuple[tuple[str, str | None], ...]]:
        days: set[date] = set()
        spans: list[tuple[date, date]] = []
        regions: list[tuple[str, str | None]] = []
        for raw in self.entries:
            kind, value = parse_holiday(str(raw))
            if kind == "date":
                days.add(value[0])
            elif kind == "range":
                spans.append(value)
            else:
                regions.append(value)
        return frozenset(days), tuple(spans), tuple(regions)

    def closed_on(self, day: date) -> bool:
        """True when `day` (a local calendar date) is a holiday or inside a closure."""
        days, spans, regions = self._parsed
        if day in days or any(first <= day <= last for first, last in spans):
            return True
        return any(day in _country_days(country, sub, day.year) for country, sub in regions)


def parse_holiday(entry: str) -> tuple[str, tuple]:
    """One `holidays:` entry -> ("date", (d,)), ("range", (first, last)) or ("region", (CC, sub)).

    Raises:
        ValueError: with a message a business owner can act on.
    """
    text = entry.strip()
    parts = _RANGE_SEP.split(text)
    if len(parts) == 2 and parts[0][:1].isdigit():
        first, last = (date.fromisoformat(p) for p in parts)
        if last < first:
            raise ValueError(f"holidays: closure '{text}' ends before it starts")
        return "range", (first, last)
    if text[:1].isdigit():
        try:
            return "date", (date.fromisoformat(text),)
        except ValueError:
            raise ValueError(f"holidays: '{text}' is not an ISO date (YYYY-MM-DD)") from None
    match = _REGION.match(text)
    if match is None:
        raise ValueError(f"holidays: '{text}' is not a date, a closure 'YYYY-MM-DD..YYYY-MM-DD' "
                         "or a country holiday set such as 'US' or 'US-TX'")
    country, sub = match.group(1).upper(), match.group(2)
    sub = sub.upper() if sub else None
    try:
        _country_days(country, sub, 2000)
    except NotImplementedError:
        raise ValueError(f"holidays: no holiday set for '{text}'") from None
    return "region", (country, sub)


def holiday_problems(entries: Sequence[str]) -> list[str]:
    """Every problem in a business's `holidays:` entries (for `ivr flows check` and loading)."""
    problems = []
    for entry in entries:
        try:
            parse_holiday(str(entry))
        except ValueError as exc:
            problems.append(str(exc))
    return problems


def _instant(day: date, moment: time | None, zone: ZoneInfo) -> datetime:
    """`day` at wall time `moment` (None = the next midnight) as a real instant in `zone`.

    A wall time inside a DST gap does not exist; it becomes the first real minute after it.
    """
    if moment is None:
        return _instant(day + timedelta(days=1), time(0), zone)
    wall = datetime.combine(day, moment, tzinfo=zone)
    return wall.astimezone(UTC).astimezone(zone)


@dataclass(frozen=True)
class OpeningHours:
    """A weekly schedule in a timezone, minus holidays.

    Args:
        hours: `{days: ranges}` as in the business config.
        timezone: an IANA zone name, e.g. "America/Chicago".
        holidays: `holidays:` entries (dates, closures, country sets).
    """

    hours: Mapping[str, str]
    timezone: str
    holidays: Sequence[str] = ()

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def _by_day(self) -> dict[int, Ranges]:
        table: dict[int, Ranges] = {i: [] for i in range(7)}
        for days, spec in self.hours.items():
            for day in expand_days(days):
                table[day] = parse_ranges(spec)
        return table

    @cached_property
    def _closed(self) -> Holidays:
        return Holidays(tuple(self.holidays))

    def closed_on(self, day: date) -> bool:
        """Whether the local calendar `day` is a holiday or closure."""
        return self._closed.closed_on(day)

    @cached_property
    def _span_memo(self) -> dict[date, tuple[tuple[datetime, datetime], ...]]:
        return {}

    def _spans(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The open intervals that start on the local `day`, as instants (none on holidays).

        Remembered per day: every turn asks whether the business is open, for the same few
        days, and working a day out (holidays, zone arithmetic) costs more than the question.
        """
        memo = self._span_memo
        spans = memo.get(day)
        if spans is None:
            if len(memo) >= SPAN_MEMO_DAYS:
                memo.clear()
            spans = memo[day] = self._work_out_spans(day)
        return spans

    def _work_out_spans(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        if self.closed_on(day):
            return ()
        spans = []
        for start, end in self._by_day[day.weekday()]:
            begin = _instant(day, start, self.zone)
            finish_day = day if end is not None and end > start else day + timedelta(days=1)
            finish = _instant(day, None, self.zone) if end is None else _instant(
                finish_day, end, self.zone)
            spans.append((begin, finish))
        return tuple(sorted(spans))

    def is_open(self, now: datetime) -> bool:
        """True when `now` falls inside a range (overnight ranges belong to their first day)."""
        local = now.astimezone(self.zone)
        for offset in (0, -1):
            for begin, finish in self._spans(local.date() + timedelta(days=offset)):
                if begin <= now < finish:
                    return True
        return False

    def next_opening(self, now: datetime) -> datetime | None:
        """The next moment after `now` the business opens (aware, business timezone), or None.

        While closed this is when the doors open; while open it is the next range's start.
        A business open around the clock never opens, except after a holiday: once every
        weekday has been seen to bring no opening, only the days after a closure are looked at
        (otherwise a 24/7 business would work out a year of days on every turn).
        """
        last = self._last_opening
        if last:  # nothing opens between the last answer's moment and its opening
            since, opening = last[0]
            if since <= now and (now < opening if opening else now < since + timedelta(days=1)):
                return opening
        opening = self._next_opening(now)
        last[:] = [(now, opening)]  # one item swapped whole: safe across threads
        return opening

    @cached_property
    def _last_opening(self) -> list[tuple[datetime, datetime | None]]:
        return []

    def _next_opening(self, now: datetime) -> datetime | None:
        local = now.astimezone(self.zone)
        quiet: set[int] = set()  # weekdays seen, after an ordinary day, to bring no opening
        closed = self.closed_on(local.date() - timedelta(days=1))
        for offset in range(HORIZON_DAYS):
            day = local.date() + timedelta(days=offset)
            after_closure, closed = closed, self.closed_on(day)
            if len(quiet) == 7:
                if not self.holidays:
                    return None
                if not after_closure:
                    continue
            for begin, _finish in self._spans(day):
                if begin > now and not self._continues(begin):
                    return begin
            if offset and not after_closure and not closed:
                quiet.add(day.weekday())
        return None

    def _continues(self, begin: datetime) -> bool:
        """True when a range starting at `begin` merely continues one already open (12:00 after
        08:00-12:00, or 00:00 after 22:00-24:00): not an opening a customer would notice."""
        return self.is_open(begin - timedelta(microseconds=1))


def covers(when: Mapping[str, str] | None, timezone: str, now: datetime) -> bool:
    """Whether an on-call entry's `when:` rule (days/hours, overnight allowed) covers `now`.

    No rule means always on call.
    """
    if not when:
        return True
    return OpeningHours(dict(when), timezone).is_open(now)


def _clock_words(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


def describe_opening(moment: datetime, now: datetime, tz: str | tzinfo) -> str:
    """When `moment` is, as a customer reads it in the business's timezone.

    "today after 1:00 PM", "tomorrow after 8:30 AM", "Monday after 8:30 AM", and past a week
    "Monday, January 5 after 8:30 AM".
    """
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    when, today = moment.astimezone(zone), now.astimezone(zone)
    days = (when.date() - today.date()).days
    clock = _clock_words(when)
    if days <= 0:
        return f"today after {clock}"
    if days == 1:
        return f"tomorrow after {clock}"
    weekday = DAY_LABELS[when.weekday()]
    if days < 7:
        return f"{weekday} after {clock}"
    return f"{weekday}, {when.strftime('%B')} {when.day} after {clock}"


def _time_words(moment: time | None) -> str:
    """time(9) -> "9 AM", time(8, 30) -> "8:30 AM", noon and midnight by name."""
    if moment is None or moment == time(0):
        return "midnight"
    if moment == time(12):
        return "noon"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes} {'AM' if moment.hour < 12 else 'PM'}"


def _ranges_words(ranges: Ranges) -> str:
    if ranges == [(time(0), None)]:
        return "all day"
    return " and ".join(f"{_time_words(start)} to {_time_words(end)}" for start, end in ranges)


def describe_week(hours: Mapping[str, str]) -> str:
    """A business's `hours:` as a customer reads them, in its own local times.

    {mon-fri: "08:30-17:30", sat: "09:00-12:00"} -> "Monday to Friday 8:30 AM to 5:30 PM,
    Saturday 9 AM to noon". Days with the same hours are grouped when they follow each other;
    closed days are left out. Said when a business set its hours but no `hours_text` param,
    so "what are your hours?" is answered from what the product already knows.
    """
    table: dict[int, str] = {}
    for days, spec in hours.items():
        for day in expand_days(days):
            ranges = parse_ranges(spec)
            table[day] = _ranges_words(ranges) if ranges else ""
    groups: list[tuple[int, int, str]] = []
    for day in range(7):
        words = table.get(day, "")
        if not words:
            continue
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == words:
            groups[-1] = (groups[-1][0], day, words)
        else:
            groups.append((day, day, words))
    parts = []
    for first, last, words in groups:
        if first == last:
            days_words = DAY_LABELS[first]
        elif last == first + 1:
            days_words = f"{DAY_LABELS[first]} and {DAY_LABELS[last]}"
        else:
            days_words = f"{DAY_LABELS[first]} to {DAY_LABELS[last]}"
        parts.append(f"{days_words} {words}")
    return ", ".join(parts)
