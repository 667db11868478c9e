"""A record's times: ISO 8601 in UTC with a Z, whatever zone the moment was taken in."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from ivr.store.records import iso, parse_iso


def test_a_moment_is_written_in_utc_and_read_back_the_same():
    chicago = ZoneInfo("America/Chicago")
    moment = datetime(2026, 7, 1, 9, 30, 15, 123456, tzinfo=chicago)
    assert iso(moment) == "2026-07-01T14:30:15.123Z"
    assert iso(moment.astimezone(UTC)) == iso(moment)  # the same moment, said the same way
    assert parse_iso(iso(moment)) == moment.replace(microsecond=123000)
    assert iso(None) is None


def test_the_repeated_hour_when_clocks_go_back_is_two_moments():
    """1:30 on the night clocks go back happens twice; the two compare equal in their zone,
    and are still written an hour apart (a turn's moment is remembered, not confused)."""
    first = datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo("America/Chicago"))
    second = first.replace(fold=1)
    assert first == second
    assert (iso(first), iso(second)) == ("2026-11-01T06:30:00.000Z", "2026-11-01T07:30:00.000Z")
