"""GET /api/oncall: who a transfer would ring right now, in order, with their skills."""

from __future__ import annotations

from datetime import UTC, datetime

AUTH = {"Authorization": "Bearer test-api-token"}


def test_oncall_needs_the_api_token(client):
    assert client.get("/api/oncall?business=polar-bear-hvac").status_code == 401


def test_oncall_lists_the_hunt_order_with_skills(client):
    reply = client.get("/api/oncall?business=Polar Bear HVAC", headers=AUTH)
    assert reply.status_code == 200
    rows = reply.get_json()["on_call"]
    assert [(r["order"], r["name"], r["skills"]) for r in rows] == [
        (1, "Alex Kim", ["dispatch", "emergency"]), (2, "Jo Park", ["service"])]


def test_oncall_for_a_skill_puts_the_skilled_person_first(client):
    rows = client.get("/api/oncall?business=polar-bear-hvac&skill=service",
                      headers=AUTH).get_json()["on_call"]
    assert [r["name"] for r in rows] == ["Jo Park", "Alex Kim"]
    assert [r["skilled"] for r in rows] == [True, False]


def test_oncall_is_computed_at_the_business_clock(client, clock):
    clock.set(datetime(2026, 11, 28, 18, 0, tzinfo=UTC))  # Saturday noon
    body = client.get("/api/oncall?business=+15125550100", headers=AUTH).get_json()
    assert body["at"].startswith("2026-11-28T12:00")
    assert [r["name"] for r in body["on_call"]] == ["Dana Ortiz", "Sam Lee"]


def test_oncall_without_a_business_lists_every_business(client):
    body = client.get("/api/oncall", headers=AUTH).get_json()
    assert {b["business"] for b in body["businesses"]} >= {
        "Hartley Family Law", "Polar Bear HVAC", "Fernhill Goods"}


def test_oncall_for_an_unknown_business_is_a_clear_404(client):
    reply = client.get("/api/oncall?business=Acme", headers=AUTH)
    assert reply.status_code == 404
    assert "unknown business" in reply.get_json()["error"]
