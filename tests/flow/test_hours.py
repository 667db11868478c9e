"""The business clock: opening hours, holidays, DST edges, on-call `when` rules, and the words a
customer reads in a confirmation text."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from ivr.flow.hours import OpeningHours, covers, describe_opening, holiday_problems

CHICAGO = ZoneInfo("America/Chicago")
WEEKDAYS = {"mon-fri": "08:30-17:30", "sat": "09:00-12:00"}


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=CHICAGO)


def hvac(*holidays: str) -> OpeningHours:
    return OpeningHours(WEEKDAYS, "America/Chicago", holidays)


def test_open_during_hours_and_closed_at_the_edges() -> None:
    hours = hvac()
    assert hours.is_open(local(2026, 11, 24, 8, 30))
    assert hours.is_open(local(2026, 11, 24, 17, 29))
    assert not hours.is_open(local(2026, 11, 24, 17, 30))
    assert not hours.is_open(local(2026, 11, 24, 8, 29))
    assert hours.is_open(datetime(2026, 11, 24, 16, 0, tzinfo=UTC))  # 10:00 in Chicago


def test_saturday_evening_text_is_promised_monday_morning() -> None:
    now = local(2026, 11, 21, 19, 0)  # Saturday, after the Saturday-morning hours
    opening = hvac().next_opening(now)
    assert opening == local(2026, 11, 23, 8, 30)
    assert describe_opening(opening, now, "America/Chicago") == "Monday after 8:30 AM"


def test_friday_night_before_a_saturday_morning_opening_says_tomorrow() -> None:
    now = local(2026, 11, 20, 22, 15)
    opening = hvac().next_opening(now)
    assert opening == local(2026, 11, 21, 9, 0)
    assert describe_opening(opening, now, CHICAGO) == "tomorrow after 9:00 AM"


def test_early_morning_caller_hears_today() -> None:
    now = local(2026, 11, 24, 6, 5)
    assert describe_opening(hvac().next_opening(now), now, CHICAGO) == "today after 8:30 AM"


def test_lunch_break_reopens_the_same_afternoon() -> None:
    hours = OpeningHours({"mon-fri": "08:00-12:00, 13:00-17:00"}, "America/Chicago")
    now = local(2026, 11, 24, 12, 20)
    assert not hours.is_open(now)
    assert describe_opening(hours.next_opening(now), now, CHICAGO) == "today after 1:00 PM"


def test_us_public_holiday_set_skips_independence_day_observed() -> None:
    now = local(2026, 7, 2, 18, 0)  # Thursday evening; July 4th is a Saturday, observed Friday
    hours = hvac("US")
    assert not hours.is_open(local(2026, 7, 3, 10, 0))
    assert not hours.is_open(local(2026, 7, 4, 10, 0))
    assert hours.next_opening(now) == local(2026, 7, 6, 8, 30)


def test_explicit_dates_and_closures_keep_the_doors_shut() -> None:
    hours = hvac("2026-11-27", "2026-12-24..2026-12-31")
    assert hours.next_opening(local(2026, 11, 26, 18, 0)) == local(2026, 11, 28, 9, 0)
    now = local(2026, 12, 23, 17, 45)
    opening = hours.next_opening(now)
    assert opening == local(2027, 1, 1, 8, 30)
    assert describe_opening(opening, now, CHICAGO) == "Friday, January 1 after 8:30 AM"


def test_state_holiday_sets_are_available_by_subdivision() -> None:
    hours = hvac("US-TX")
    assert not hours.is_open(local(2026, 3, 2, 10, 0))  # Texas Independence Day
    assert hvac("US").is_open(local(2026, 3, 2, 10, 0))


def test_bad_holiday_entries_are_named_plainly() -> None:
    problems = holiday_problems(["2026-02-30", "XX", "2026-12-31..2026-12-01", "US", "2026-05-25"])
    assert len(problems) == 3
    assert "2026-02-30" in problems[0] and "ISO date" in problems[0]
    assert "XX" in problems[1]
    assert "ends before it starts" in problems[2]


def test_spring_forward_opening_in_the_dst_gap_moves_to_the_first_real_minute() -> None:
    hours = OpeningHours({"sun": "02:30-06:00"}, "America/Chicago")
    now = local(2026, 3, 8, 1, 0)  # 02:00-03:00 does not exist that night
    opening = hours.next_opening(now)
    assert opening.astimezone(UTC) == datetime(2026, 3, 8, 8, 30, tzinfo=UTC)  # 03:30 CDT
    assert opening.astimezone(CHICAGO).hour == 3
    assert hours.is_open(datetime(2026, 3, 8, 9, 0, tzinfo=UTC))


def test_monday_opening_after_spring_forward_is_in_daylight_time() -> None:
    now = local(2026, 3, 7, 13, 0)  # Saturday afternoon, clocks change overnight Sunday
    opening = hvac().next_opening(now)
    assert opening.astimezone(UTC) == datetime(2026, 3, 9, 13, 30, tzinfo=UTC)  # 08:30 CDT
    assert describe_opening(opening, now, CHICAGO) == "Monday after 8:30 AM"


def test_fall_back_night_counts_the_repeated_hour_once() -> None:
    hours = OpeningHours({"sun": "00:00-03:00"}, "America/Chicago")
    # 01:30 happens twice on 2026-11-01; both are inside 00:00-03:00 local
    first = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)   # 01:30 CDT
    second = datetime(2026, 11, 1, 7, 30, tzinfo=UTC)  # 01:30 CST
    assert hours.is_open(first) and hours.is_open(second)
    assert not hours.is_open(datetime(2026, 11, 1, 9, 0, tzinfo=UTC))  # 03:00 CST


def test_overnight_range_belongs_to_the_day_it_starts() -> None:
    hours = OpeningHours({"fri": "22:00-06:00"}, "America/Chicago")
    assert hours.is_open(local(2026, 11, 20, 23, 0))
    assert hours.is_open(local(2026, 11, 21, 5, 59))  # Saturday morning, Friday's shift
    assert not hours.is_open(local(2026, 11, 21, 6, 0))
    assert not hours.is_open(local(2026, 11, 19, 23, 0))  # Thursday night
    assert hours.next_opening(local(2026, 11, 21, 7, 0)) == local(2026, 11, 27, 22, 0)


def test_a_holiday_closes_the_shift_that_starts_on_it_only() -> None:
    hours = OpeningHours({"mon-sun": "22:00-06:00"}, "America/Chicago", ("2026-12-25",))
    assert hours.is_open(local(2026, 12, 25, 3, 0))  # the 24th's shift runs into the 25th
    assert not hours.is_open(local(2026, 12, 25, 23, 0))
    assert hours.next_opening(local(2026, 12, 25, 12, 0)) == local(2026, 12, 26, 22, 0)


def test_a_range_to_midnight_and_one_from_midnight_is_one_opening() -> None:
    hours = OpeningHours({"fri": "18:00-24:00", "sat": "00:00-02:00, 09:00-12:00"},
                         "America/Chicago")
    assert hours.is_open(local(2026, 11, 20, 23, 59))
    assert hours.is_open(local(2026, 11, 21, 0, 30))
    assert hours.next_opening(local(2026, 11, 20, 20, 0)) == local(2026, 11, 21, 9, 0)


def test_never_open_business_has_no_next_opening() -> None:
    assert OpeningHours({"mon-sun": "closed"}, "UTC").next_opening(local(2026, 1, 1)) is None


def test_one_schedule_asked_through_a_weekend_answers_each_moment_afresh() -> None:
    hours = hvac()  # the same object a running server asks on every turn
    friday_night, saturday_open = local(2026, 11, 20, 20, 0), local(2026, 11, 21, 9, 0)
    assert hours.next_opening(friday_night) == saturday_open
    assert hours.next_opening(local(2026, 11, 21, 8, 59)) == saturday_open
    assert hours.next_opening(saturday_open) == local(2026, 11, 23, 8, 30)
    assert hours.next_opening(local(2026, 11, 21, 10, 0)) == local(2026, 11, 23, 8, 30)
    assert hours.next_opening(friday_night) == saturday_open  # back in time: still right


def test_a_business_open_around_the_clock_never_opens_again() -> None:
    hours = OpeningHours({"mon-sun": "00:00-24:00"}, "America/Chicago")
    assert hours.is_open(local(2026, 11, 25, 19, 0))
    assert hours.next_opening(local(2026, 11, 25, 19, 0)) is None


def test_around_the_clock_reopens_after_a_closure_months_ahead() -> None:
    hours = OpeningHours({"mon-sun": "00:00-24:00"}, "America/Chicago",
                         ("2026-12-25", "2027-07-04..2027-07-05"))
    assert hours.next_opening(local(2026, 11, 25, 19, 0)) == local(2026, 12, 26, 0, 0)
    assert hours.next_opening(local(2027, 1, 10, 9, 0)) == local(2027, 7, 6, 0, 0)


def test_around_the_clock_on_weekdays_opens_again_on_monday() -> None:
    hours = OpeningHours({"mon-fri": "00:00-24:00"}, "America/Chicago", ("US",))
    # Thanksgiving (Thursday 26th) closes the doors; they open again on Friday at midnight.
    assert hours.next_opening(local(2026, 11, 25, 19, 0)) == local(2026, 11, 27, 0, 0)
    assert hours.next_opening(local(2026, 11, 27, 19, 0)) == local(2026, 11, 30, 0, 0)


@pytest.mark.parametrize(("moment", "on_call"), [
    (local(2026, 11, 24, 12, 0), False),  # Tuesday noon: office staff, not the night rota
    (local(2026, 11, 24, 18, 0), True),   # Tuesday evening
    (local(2026, 11, 25, 7, 0), True),    # Wednesday before opening: Tuesday's night
    (local(2026, 11, 21, 7, 0), True),    # Saturday morning: Friday's night
    (local(2026, 11, 22, 12, 0), True),   # Sunday: all day
])
def test_on_call_when_rule_covers_nights_and_weekends(moment: datetime, on_call: bool) -> None:
    when = {"mon-fri": "17:30-08:30", "sat-sun": "00:00-24:00"}
    assert covers(when, "America/Chicago", moment) is on_call


def test_no_when_rule_means_always_on_call() -> None:
    assert covers(None, "America/Chicago", local(2026, 11, 24, 3, 0))
