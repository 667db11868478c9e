"""The contract's metrics, computed on seeded conversations with known answers."""

from __future__ import annotations

from datetime import timedelta

from analytics_seed import HVAC, LAW, SINCE, UNTIL, record, week

from ivr.analytics import metrics


def test_a_seeded_week_gives_the_known_answer_for_every_metric():
    body = metrics.compute(week(), SINCE, UNTIL)

    assert body["conversations"] == 10
    assert body["resolution_rate"] == 0.5
    assert body["escalation_accuracy"] == 0.5
    assert body["time_to_human_p50_s"] == 30.0
    assert body["time_to_human_p90_s"] == 38.0
    assert body["repeat_contact_rate_48h"] == 0.3
    assert body["deflection_rate"] == 0.6


def test_a_week_with_no_conversations_reports_null_not_zero_or_a_crash():
    body = metrics.compute([], SINCE, UNTIL)

    assert body["conversations"] == 0
    for name in metrics.RATES:
        assert body[name] is None, name
    assert body["by_bucket"] == {}


def test_escalations_nobody_judged_leave_accuracy_undefined():
    taken = record(SINCE + timedelta(hours=1), "+15125550120", bucket="complaint",
                   route="human", outcome="transferred", accepted=True, seconds=12)

    body = metrics.compute([taken], SINCE, UNTIL)

    assert body["escalation_accuracy"] is None
    assert body["resolution_rate"] == 1.0
    assert body["time_to_human_p50_s"] == body["time_to_human_p90_s"] == 12.0


def test_a_text_after_a_call_within_48_hours_is_a_repeat_contact():
    call = record(SINCE, "+15125550130", outcome="resolved")
    text = record(SINCE + timedelta(hours=47, minutes=59), "+15125550130", channel="sms",
                  outcome="resolved")

    body = metrics.compute([call, text], SINCE, UNTIL)

    assert body["counts"]["repeat_contacts"] == 1
    assert body["resolution_rate"] == 0.5  # the call's answer did not hold; the text's did


def test_coming_back_after_49_hours_is_a_new_question_not_a_repeat():
    first = record(SINCE, "+15125550131", outcome="resolved")
    later = record(SINCE + timedelta(hours=49), "+15125550131", outcome="resolved")

    body = metrics.compute([first, later], SINCE, UNTIL)

    assert body["repeat_contact_rate_48h"] == 0.0
    assert body["resolution_rate"] == 1.0


def test_a_customer_who_said_the_answer_did_not_help_is_not_resolved():
    unhappy = record(SINCE, "+15125550132", outcome="resolved", confirmed=False)

    assert metrics.compute([unhappy], SINCE, UNTIL)["resolution_rate"] == 0.0


def test_a_transfer_nobody_accepted_gives_no_time_to_human():
    missed = record(SINCE, "+15125550133", outcome="escalated", accepted=False, seconds=None)

    body = metrics.compute([missed], SINCE, UNTIL)

    assert body["time_to_human_p50_s"] is None
    assert body["deflection_rate"] == 0.0


def test_buckets_count_their_escalations_and_staff_verdicts():
    body = metrics.compute(week(), SINCE, UNTIL)

    complaint = body["by_bucket"]["complaint"]
    assert complaint == {"conversations": 1, "route": "human", "escalations": 1,
                         "judged_needed": 0, "judged_unneeded": 1, "resolved": 1}
    assert body["by_bucket"]["hours"]["conversations"] == 2
    assert body["by_bucket"][metrics.UNCLASSIFIED]["conversations"] == 3
    assert body["by_channel"] == {"voice": 9, "sms": 1}


def test_change_against_the_previous_period_says_which_way_is_better():
    now = {"resolution_rate": 0.6, "time_to_human_p50_s": 30.0, "deflection_rate": None,
           "conversations": 12}
    before = {"resolution_rate": 0.5, "time_to_human_p50_s": 45.0, "deflection_rate": 0.4,
              "conversations": 10}

    change = metrics.change(now, before)

    assert change["resolution_rate"] == {"previous": 0.5, "delta": 0.1, "better": True}
    assert change["time_to_human_p50_s"]["better"] is True  # faster is better
    assert change["deflection_rate"] == {"previous": 0.4, "delta": None, "better": None}
    assert change["conversations"]["delta"] == 2


def test_percentiles_interpolate_between_samples():
    assert metrics.percentile([10, 20, 30, 40, 50], 50) == 30
    assert metrics.percentile([10, 20, 30, 40, 50], 90) == 46
    assert metrics.percentile([], 50) is None


def test_metrics_report_qualified_leads_per_business():
    day = SINCE + timedelta(days=2)
    qualified = {"result": "qualified", "reasons": ["jurisdiction", "representation", "budget"]}
    records = [
        # taken by staff: the outcome moved on, the lead is still qualified
        record(day, "+15125550301", business=LAW, bucket="intake", route="human",
               outcome="transferred", accepted=True, seconds=12, qualification=qualified),
        # qualified after hours: queued for the morning
        record(day, "+15125550302", business=LAW, bucket="intake", route="human",
               outcome="after_hours_queued", qualification=qualified),
        record(day, "+15125550303", business=LAW, bucket="intake", route="human",
               outcome="not_qualified",
               qualification={"result": "not_qualified", "reasons": ["budget"]}),
        record(day, "+15125550304", business=LAW, bucket="hours", route="bot_only",
               outcome="resolved"),
        record(day, "+15125550305", business=HVAC, bucket="hours", route="bot_only",
               outcome="resolved"),
    ]

    found = metrics.compute(records, SINCE, UNTIL)

    assert found["qualified_leads"] == 2
    assert found["qualification_rate"] == round(2 / 3, 4)
    law = found["by_business"]["Hartley Family Law"]
    assert (law["conversations"], law["qualified_leads"], law["not_qualified_leads"]) == (4, 2, 1)
    assert law["qualification_rate"] == round(2 / 3, 4)
    hvac = found["by_business"]["Polar Bear HVAC"]
    assert hvac["qualified_leads"] == 0 and hvac["qualification_rate"] is None


def test_a_record_from_before_the_qualification_was_kept_counts_by_its_outcome():
    day = SINCE + timedelta(days=2)
    old = record(day, "+15125550306", bucket="intake", route="human", outcome="qualified")
    del old["qualification"]
    assert metrics.compute([old], SINCE, UNTIL)["qualified_leads"] == 1
