"""/healthz tells strangers only whether the app is healthy; its figures (businesses, spooled
texts, urgent jobs) are for the owner at /api/health."""

from __future__ import annotations

AUTH = {"Authorization": "Bearer test-api-token"}


def test_healthz_tells_strangers_nothing_but_health(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_a_wrong_token_does_not_open_the_figures(client):
    assert client.get("/api/health").status_code == 401
    wrong = client.get("/api/health", headers={"Authorization": "Bearer guess"})
    assert wrong.status_code == 401 and "spooled_texts" not in wrong.get_data(as_text=True)
    assert "businesses" not in client.get("/healthz", headers=AUTH).get_json()


def test_the_owner_reads_the_figures_with_the_api_token(client):
    body = client.get("/api/health", headers=AUTH).get_json()
    assert body["status"] == "ok" and body["redis"] == "ok"
    assert body["businesses"] >= 3 and body["spooled_texts"] == 0 and body["urgent_jobs"] == 0
