"""GET /api/metrics: the contract's metrics for a period, behind the API token."""

from __future__ import annotations

from datetime import timedelta

from analytics_seed import HVAC, LAW, SINCE, UNTIL, record, week

AUTH = {"Authorization": "Bearer test-api-token"}
WEEK = {"since": "2026-11-01T00:00:00Z", "until": "2026-11-08T00:00:00Z"}


def seed(runtime, records):
    for rec in records:
        runtime.store.save(rec)


def test_metrics_need_the_api_token(client):
    assert client.get("/api/metrics").status_code == 401
    assert client.get("/api/metrics", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_the_owner_gets_every_contract_metric_for_a_week(client, runtime):
    seed(runtime, week())

    body = client.get("/api/metrics", query_string=WEEK, headers=AUTH).get_json()

    assert body["conversations"] == 10
    assert body["resolution_rate"] == 0.5
    assert body["escalation_accuracy"] == 0.5
    assert (body["time_to_human_p50_s"], body["time_to_human_p90_s"]) == (30.0, 38.0)
    assert body["repeat_contact_rate_48h"] == 0.3
    assert body["deflection_rate"] == 0.6
    assert body["by_bucket"]["emergency_repair"]["route"] == "human"
    assert body["unanswered"] == []


def test_one_business_at_a_time(client, runtime):
    seed(runtime, week())

    body = client.get("/api/metrics", query_string={**WEEK, "business": "Polar Bear HVAC"},
                      headers=AUTH).get_json()

    assert body["conversations"] == 9
    assert body["businesses"] == [HVAC[0]]


def test_a_quiet_period_reports_null_rates_and_zero_conversations(client, runtime):
    seed(runtime, week())

    body = client.get("/api/metrics", query_string={"since": "2026-10-01", "until": "2026-10-07"},
                      headers=AUTH).get_json()

    assert body["conversations"] == 0
    assert body["resolution_rate"] is None
    assert body["escalation_accuracy"] is None
    assert body["time_to_human_p50_s"] is None


def test_unanswered_questions_come_grouped_with_counts(client, runtime):
    seed(runtime, [record(SINCE + timedelta(hours=h), f"+1512555016{h}",
                          unanswered=(q,))
                   for h, q in enumerate(["Do you install heat pumps?",
                                          "do you install heat pumps",
                                          "Can I pay with Bitcoin?"])])

    body = client.get("/api/metrics", query_string=WEEK, headers=AUTH).get_json()

    assert [(g["question"], g["count"]) for g in body["unanswered"]] == [
        ("Do you install heat pumps?", 2), ("Can I pay with Bitcoin?", 1)]
    assert body["unanswered"][0]["handled"] is False


def test_the_change_against_the_previous_week_is_included(client, runtime):
    seed(runtime, week())
    seed(runtime, [record(SINCE - timedelta(days=3), "+15125550170", outcome="abandoned")])

    body = client.get("/api/metrics", query_string=WEEK, headers=AUTH).get_json()

    assert body["previous"]["conversations"] == 1
    assert body["previous"]["resolution_rate"] == 0.0
    assert body["change"]["resolution_rate"] == {"previous": 0.0, "delta": 0.5, "better": True}


def test_defaults_to_the_last_30_days(client, runtime, clock):
    clock.set(UNTIL + timedelta(days=1))
    seed(runtime, week())

    body = client.get("/api/metrics", headers=AUTH).get_json()

    assert body["conversations"] == 11  # the week plus J, just after it


def test_a_date_that_is_not_a_date_is_a_clear_400(client):
    response = client.get("/api/metrics", query_string={"since": "last tuesday"}, headers=AUTH)

    assert response.status_code == 400
    assert "ISO 8601" in response.get_json()["error"]


def test_since_after_until_is_a_400(client):
    response = client.get("/api/metrics", query_string={"since": "2026-11-08",
                                                        "until": "2026-11-01"}, headers=AUTH)
    assert response.status_code == 400


def test_an_unknown_business_is_a_404(client):
    response = client.get("/api/metrics", query_string={"business": "Nobody Inc"}, headers=AUTH)

    assert response.status_code == 404
    assert "Nobody Inc" in response.get_json()["error"]


def test_a_script_can_read_the_unanswered_log_and_mark_a_question_handled(client, runtime):
    seed(runtime, [record(SINCE, "+15125550175", unanswered=("Do you sell filters?",))])

    log = client.get("/api/unanswered", query_string=WEEK, headers=AUTH).get_json()
    assert [(g["question"], g["handled"]) for g in log["unanswered"]] == [
        ("Do you sell filters?", False)]

    done = client.post("/api/unanswered/handled", headers=AUTH,
                       json={"question": "Do you sell filters?", "business": "Polar Bear HVAC"})
    assert done.status_code == 200 and done.get_json()["businesses"] == [HVAC[0]]

    log = client.get("/api/unanswered", query_string=WEEK, headers=AUTH).get_json()
    assert log["unanswered"][0]["handled"] is True


def test_marking_handled_needs_a_question_and_the_token(client):
    assert client.post("/api/unanswered/handled", json={"question": "x"}).status_code == 401
    bad = client.post("/api/unanswered/handled", headers=AUTH, json={"question": "  ?? "})
    assert bad.status_code == 400
    assert client.post("/api/unanswered/handled", headers=AUTH, data="not json").status_code == 400


def test_the_metrics_api_reports_qualified_leads_per_business(client, runtime):
    day = SINCE + timedelta(days=2)
    qualified = {"result": "qualified", "reasons": ["jurisdiction", "representation", "budget"]}
    seed(runtime, [
        record(day, "+15125550401", business=LAW, bucket="intake", route="human",
               outcome="transferred", accepted=True, seconds=9, qualification=qualified),
        record(day, "+15125550402", business=LAW, bucket="intake", route="human",
               outcome="not_qualified",
               qualification={"result": "not_qualified", "reasons": ["jurisdiction"]}),
    ])

    body = client.get("/api/metrics", query_string=WEEK, headers=AUTH).get_json()

    assert body["qualified_leads"] == 1 and body["qualification_rate"] == 0.5
    assert body["by_business"]["Hartley Family Law"]["qualified_leads"] == 1
    assert body["by_business"]["Hartley Family Law"]["qualification_rate"] == 0.5


def _languages_week():
    """Three English conversations (two solved by a person) and two Spanish ones (one solved),
    and an old record without a language (counted as English)."""
    at = SINCE + timedelta(days=1)
    old = record(at, "+15125550306", accepted=True, seconds=20)
    old.pop("language", None)
    return [
        record(at, "+15125550301", accepted=True, seconds=20, language="en"),
        record(at, "+15125550302", language="en"),
        record(at, "+15125550303", accepted=True, seconds=25, language="es"),
        record(at, "+15125550304", language="es"),
        old,
    ]


def test_metrics_show_conversations_and_resolution_by_language(client, runtime):
    seed(runtime, _languages_week())

    body = client.get("/api/metrics", query_string=WEEK, headers=AUTH).get_json()

    assert body["by_language"] == {
        "en": {"conversations": 3, "resolved": 2, "resolution_rate": 0.6667},
        "es": {"conversations": 2, "resolved": 1, "resolution_rate": 0.5},
    }
    assert list(body["by_language"]) == ["en", "es"]  # most conversations first
