"""Timelines the way people say them."""

from __future__ import annotations

from datetime import date

import pytest

from ivr.flow.timeline import find_timeline, urgency


@pytest.mark.parametrize(("text", "phrase"), [
    ("hearing next month", "next month"),
    ("within two weeks", "within 2 weeks"),
    ("no rush", "no rush"),
    ("we're not in a hurry", "no rush"),
    ("the court date is in three days", "in 3 days"),
    ("as soon as possible please", "as soon as possible"),
    ("the hearing is on March 3rd", "on march 3rd"),
    ("by the end of the year", "end of the year"),
    ("in a few weeks", "in a few weeks"),
    ("tomorrow", "tomorrow"),
])
def test_timelines_people_say(text, phrase):
    assert find_timeline(text)[0] == phrase


@pytest.mark.parametrize("text", ["you may call me", "I called on Monday about my case",
                                  "my ac broke"])
def test_ambiguous_words_are_not_a_timeline_unless_asked(text):
    assert find_timeline(text) is None


def test_an_unsure_answer_to_the_question_is_recorded():
    assert find_timeline("I'm not sure", asked=True)[0] == "unknown"


def test_urgency_of_a_timeline():
    assert urgency("tomorrow") == "urgent"
    assert urgency("next month") == "normal"


WEDNESDAY = date(2025, 3, 12)


def test_the_18th_is_the_next_18th_on_the_clock():
    """A day of the month alone is a date: from the Context's clock, never the machine's."""
    assert find_timeline("the 18th", asked=True, today=WEDNESDAY) == ("march 18", 1.0)
    assert find_timeline("the 5th", asked=True, today=WEDNESDAY) == ("april 5", 1.0)


@pytest.mark.parametrize("said", ["idk", "dunno", "no idea"])
def test_idk_is_an_honest_unknown_not_a_question_again(said):
    assert find_timeline(said, asked=True)[0] == "unknown"


def test_a_few_months_out_with_nothing_scheduled_is_a_few_months():
    assert find_timeline("a few months out, nothing scheduled", asked=True)[0] == "in a few months"
    assert find_timeline("no date set", asked=True)[0] == "no rush"


def test_as_soon_as_you_can_is_as_soon_as_possible():
    assert find_timeline("as soon as you can", asked=True)[0] == "as soon as possible"


def test_in_about_six_weeks_keeps_its_hedge_for_staff():
    assert find_timeline("in about six weeks", asked=True)[0] == "in about 6 weeks"


def test_a_day_of_the_month_after_on_the_is_a_date():
    assert find_timeline("court is on the 25th", asked=True, today=WEDNESDAY) == (
        "march 25", 1.0)


@pytest.mark.parametrize(("said", "kept"), [
    ("about a month and a half", "in 6 weeks"),
    ("in a week and a half", "in 10 days"),
    ("two and a half weeks", "in 17 days"),
    ("a year and a half", "in 18 months"),
])
def test_and_a_half_is_counted_in_the_unit_below(said, kept):
    assert find_timeline(said, asked=True)[0] == kept


@pytest.mark.parametrize(("said", "kept"), [
    ("before march is over", "by march 31"),
    ("by the end of april", "by april 30"),
    ("end of february", "by february 28"),
])
def test_the_end_of_a_named_month_is_its_last_day(said, kept):
    assert find_timeline(said, asked=True)[0] == kept


TODAY = date(2025, 3, 12)  # a Wednesday


@pytest.mark.parametrize(("text", "phrase"), [
    ("three weeks from today", "in 3 weeks"), ("fourteen days", "in 14 days"),
    ("couple months", "in 2 months"), ("eight weeks", "in 8 weeks"),
    ("memorial day weekend", "around memorial day"),
    ("the fourth of july", "around the 4th of july"),
    ("not for a good while", "no rush"), ("yesterday was the deadline", "already past"),
    ("3/20", "march 20"), ("the 3rd", "april 3"),
])
def test_counted_times_holidays_and_dates_answer_when(text, phrase):
    assert find_timeline(text, asked=True, today=TODAY)[0] == phrase


def test_a_bare_count_or_holiday_is_a_time_only_as_the_answer():
    assert find_timeline("married 12 years, two kids") is None
    assert find_timeline("we split up at christmas") is None


def test_being_served_yesterday_starts_a_deadline_it_does_not_miss_one():
    assert find_timeline("I was served yesterday", asked=True, today=TODAY) != (
        "already past", 1.0)


@pytest.mark.parametrize(("text", "phrase"), [
    ("a fines del mes que viene", "next month"), ("la audiencia la cambiaron para el 28",
                                                  "march 28"),
    ("para semana santa", "by easter"), ("ayer era la fecha limite", "already past"),
    ("pronto, la otra semana", "next week"),
])
def test_spanish_times_answer_when(text, phrase):
    assert find_timeline(text, asked=True, today=TODAY)[0] == phrase


@pytest.mark.parametrize(("text", "phrase"), [
    ("2-3 weeks", "in 2 weeks"), ("a week or two", "in 1 week"),
    ("en una o dos semanas", "in 1 week"),  # a range: the nearer figure, it may be that close
    ("in 48 hours", "in 2 days"), ("en 48 horas", "in 2 days"),
    ("my answer is due in 3 wks", "in 3 weeks"), ("tmrw", "tomorrow"), ("thurs", "thursday"),
    ("in a fortnight", "in 2 weeks"), ("by the weekend", "this weekend"),
    ("la semana que entra", "next week"), ("el mes entrante", "next month"),
    ("el 1ro de abril", "april 1"), ("todavia no sabemos", "unknown"),
])
def test_ranges_hours_and_short_forms_answer_when(text, phrase):
    assert find_timeline(text, asked=True, today=TODAY)[0] == phrase


def test_hours_are_a_deadline_only_as_the_answer():
    """Unasked, "waiting over 2 hours for a call back" is how long someone waited."""
    assert find_timeline("I have been waiting over 2 hours for a call back") is None
    assert find_timeline("within 24 hours", asked=True)[0] == "within 1 day"


@pytest.mark.parametrize(("text", "phrase"), [
    ("the 25th of march", "march 25"), ("the 20th of this month", "march 20"),
    ("hearing is the 2nd of may", "may 2"),
])
def test_a_day_of_a_named_month_is_that_date(text, phrase):
    assert find_timeline(text, asked=True, today=TODAY)[0] == phrase


@pytest.mark.parametrize(("text", "phrase"), [
    ("despues de navidad", "after christmas"), ("no tengo fecha todavia", "no rush"),
    ("en año nuevo", "around the new year"),
])
def test_spanish_holidays_and_no_date_yet(text, phrase):
    assert find_timeline(text, asked=True, today=TODAY)[0] == phrase


@pytest.mark.parametrize(("text", "phrase"), [
    ("the week after next", "in 2 weeks"), ("the final hearing is in the summer", "this summer"),
    ("just looking into options for now", "no rush"),
    ("before school lets out", "before the end of school"),
])
def test_relative_weeks_seasons_and_school_answer_when(text, phrase):
    assert find_timeline(text, asked=True, today=TODAY)[0] == phrase


WED = date(2025, 3, 12)


@pytest.mark.parametrize(("text", "phrase"), [
    # what happened gives way to what is coming
    ("the hearing was in february, the next one is in june", "in june"),
    ("we had court last week and the next date is april 2", "april 2"),
    ("fue en enero y la proxima es el 20 de abril", "april 20"),
    # no sooner than a season; already in it, by its end
    ("not until summer", "this summer"), ("hasta el verano", "this summer"),
    ("sometime in the spring", "by may 31"),
    ("the next day or two", "in 1 day"),
])
def test_the_time_still_to_come_is_the_answer(text, phrase):
    assert find_timeline(text, asked=True, today=WED)[0] == phrase


def test_served_papers_are_due_the_monday_after_twenty_days():
    """Texas: the answer is due on the Monday next after 20 days from service."""
    assert find_timeline("I got served monday", asked=True, today=WED)[0] == "by march 31"
    assert find_timeline("I was served yesterday", asked=True, today=WED)[0] == "by april 7"
    assert find_timeline("I was served and court is on the 20th", asked=True,
                         today=WED)[0] == "march 20"


def test_a_near_wish_with_no_date_is_checked_once():
    phrase, sure = find_timeline("soonish I hope", asked=True, today=WED)
    assert phrase == "in a few weeks" and sure < 0.7
    assert find_timeline("pronto, no hay fecha todavia", asked=True, today=WED)[1] < 0.7
