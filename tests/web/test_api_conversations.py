"""The Conversation API: bearer auth, one conversation by id, and the list's filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ivr.store.records import add_turn, new_conversation

AUTH = {"Authorization": "Bearer test-api-token"}
T0 = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def saved(runtime, *, business="Hartley Family Law", key="hartley-family-law", channel="sms",
          caller="+15125550199", at=T0, bucket=None, outcome=None):
    record = new_conversation(business=business, business_key=key, channel=channel,
                              caller=caller, flow="law_firm", now=at, sid="SM1")
    record.update(bucket=bucket, outcome=outcome)
    add_turn(record, "caller", "hello", at)
    runtime.store.save(record)
    return record


@pytest.fixture
def history(runtime):
    return {
        "law_sms": saved(runtime, outcome="qualified"),
        "law_voice": saved(runtime, channel="voice", caller="+15125550177",
                           at=T0 + timedelta(days=1), outcome="not_qualified"),
        "hvac": saved(runtime, business="Polar Bear HVAC", key="polar-bear-hvac",
                      at=T0 + timedelta(days=2), bucket="emergency_repair", outcome="transferred"),
    }


def ids(response):
    assert response.status_code == 200, response.get_json()
    return [c["id"] for c in response.get_json()["conversations"]]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": "test-api-token"}])
def test_the_api_needs_the_bearer_token(client, history, headers):
    for path in ("/api/conversations", f"/api/conversations/{history['hvac']['id']}"):
        response = client.get(path, headers=headers)
        assert response.status_code == 401
        assert "Bearer" in response.get_json()["error"]


def test_one_conversation_in_the_contract_shape(client, history):
    record = history["hvac"]
    body = client.get(f"/api/conversations/{record['id']}", headers=AUTH).get_json()
    assert body["id"] == record["id"]
    assert body["business"] == "Polar Bear HVAC"
    assert body["bucket"] == "emergency_repair"
    assert body["transcript"][0]["role"] == "caller"
    for field in ("channel", "caller", "started_at", "ended_at", "flow", "route", "outcome",
                  "slots", "escalation", "transfer"):
        assert field in body
    assert "business_key" not in body and "sids" not in body


def test_an_unknown_conversation_is_a_json_404(client, history):
    response = client.get("/api/conversations/CVnope", headers=AUTH)
    assert response.status_code == 404
    assert "CVnope" in response.get_json()["error"]


def test_the_list_is_newest_first(client, history):
    assert ids(client.get("/api/conversations", headers=AUTH)) == [
        history["hvac"]["id"], history["law_voice"]["id"], history["law_sms"]["id"]]


@pytest.mark.parametrize(("query", "expected"), [
    ("since=2026-11-03", ["law_voice", "hvac"]),
    ("since=2026-11-03T00:00:00Z&until=2026-11-04", ["law_voice"]),
    ("until=2026-11-02T16:00:00%2B01:00", []),
    ("phone=%2B15125550177", ["law_voice"]),
    ("phone=(512) 555-0177", ["law_voice"]),
    ("business=Polar Bear HVAC", ["hvac"]),
    ("business=hartley-family-law", ["law_sms", "law_voice"]),
    ("channel=voice", ["law_voice"]),
    ("bucket=emergency_repair", ["hvac"]),
    ("outcome=qualified", ["law_sms"]),
    ("limit=1", ["hvac"]),
])
def test_filters_narrow_the_list(client, history, query, expected):
    found = ids(client.get(f"/api/conversations?{query}", headers=AUTH))
    assert sorted(found) == sorted(history[name]["id"] for name in expected)


@pytest.mark.parametrize(("query", "complaint"), [
    ("since=last tuesday", "since"),
    ("until=2026-13-45", "until"),
    ("since=2026-11-05&until=2026-11-01", "until"),
    ("phone=call me", "phone"),
    ("limit=0", "limit"),
    ("limit=lots", "limit"),
    ("channel=fax", "channel"),
    ("business=Acme Plumbing", "business"),
])
def test_a_filter_it_cannot_read_is_a_clear_400(client, history, query, complaint):
    response = client.get(f"/api/conversations?{query}", headers=AUTH)
    assert response.status_code == 400
    assert response.get_json()["error"].startswith(complaint)


def test_a_lead_staff_took_is_still_listed_as_qualified(client, runtime, history):
    taken = saved(runtime, caller="+15125550166", at=T0 + timedelta(days=3),
                  outcome="transferred")
    taken["qualification"] = {"result": "qualified", "reasons": ["jurisdiction", "budget"]}
    runtime.store.save(taken)

    found = ids(client.get("/api/conversations", query_string={"qualification": "qualified"},
                           headers=AUTH))

    assert found == [taken["id"], history["law_sms"]["id"]]
    shown = client.get(f"/api/conversations/{taken['id']}", headers=AUTH).get_json()
    assert shown["outcome"] == "transferred"
    assert shown["qualification"] == {"result": "qualified",
                                      "reasons": ["jurisdiction", "budget"]}


def test_a_conversation_never_screened_shows_a_null_qualification(client, history):
    shown = client.get(f"/api/conversations/{history['hvac']['id']}", headers=AUTH).get_json()
    assert shown["qualification"] is None


def test_an_unknown_qualification_filter_is_a_400_that_says_why(client, history):
    response = client.get("/api/conversations", query_string={"qualification": "maybe"},
                          headers=AUTH)
    assert response.status_code == 400
    assert "qualification" in response.get_json()["error"]
