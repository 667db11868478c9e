"""The unanswered-questions log: similar questions grouped and counted, handled marks in Redis."""

from __future__ import annotations

from datetime import timedelta

from analytics_seed import HVAC, LAW, SINCE, record

from ivr.store.unanswered import HandledMarks, group_questions, unanswered_log


def asked(*questions: str, at=SINCE, business=HVAC, caller="+15125550140"):
    return record(at, caller, business=business, unanswered=questions)


def test_the_same_question_in_other_words_is_counted_once_with_examples():
    records = [asked("Do you service boilers?"), asked("do you service boilers"),
               asked("Do you fix boilers?"), asked("What is your refund policy?")]

    groups = group_questions(records)

    assert [g.count for g in groups] == [3, 1]
    boilers = groups[0]
    assert boilers.question == "Do you service boilers?"
    assert "Do you fix boilers?" in boilers.examples
    assert groups[1].question == "What is your refund policy?"


def test_a_question_marked_handled_drops_below_the_open_ones(redis_conn):
    records = [asked("Do you service boilers?"), asked("Do you sell gift cards?"),
               asked("Do you sell gift cards?")]
    HandledMarks(redis_conn).mark(HVAC[0], "do you sell gift cards", SINCE + timedelta(hours=1))

    groups = unanswered_log(redis_conn, records)

    assert [(g.question, g.handled) for g in groups] == [
        ("Do you service boilers?", False), ("Do you sell gift cards?", True)]


def test_asked_again_after_being_handled_the_question_comes_back(redis_conn):
    HandledMarks(redis_conn).mark(HVAC[0], "Do you sell gift cards?", SINCE + timedelta(hours=1))
    records = [asked("Do you sell gift cards?"),
               asked("do you sell gift cards", at=SINCE + timedelta(days=2))]

    group = unanswered_log(redis_conn, records)[0]

    assert not group.handled
    assert (group.count, group.open_count) == (2, 1)


def test_handled_for_one_business_is_still_open_for_another(redis_conn):
    HandledMarks(redis_conn).mark(HVAC[0], "Do you work weekends?", SINCE + timedelta(hours=1))
    records = [asked("Do you work weekends?"), asked("Do you work weekends?", business=LAW)]

    group = unanswered_log(redis_conn, records)[0]

    assert group.count == 2 and group.open_count == 1
    assert sorted(group.businesses) == sorted([HVAC[0], LAW[0]])


def test_no_unanswered_questions_is_an_empty_log(redis_conn):
    assert unanswered_log(redis_conn, [record(SINCE, "+15125550141")]) == []
