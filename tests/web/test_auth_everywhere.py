"""Every endpoint that is not Twilio's needs the API token (or a dashboard login); every
endpoint Twilio calls needs its signature. Found from the app itself, so a route added later
without a guard fails here."""

from __future__ import annotations

import re

#: Public on purpose: health for load balancers, the login page, static files, and the hold
#: chime (a generated tone with nothing personal in it).
PUBLIC = {"/healthz", "/login", "/static/<path:filename>", "/", "/transfer/hold-audio"}
#: Refused before auth is even looked at: a POST without its CSRF token, a plain GET of the
#: WebSocket endpoint (its signed upgrade is checked in test_signatures.py), a whisper audio
#: fetch that names no transfer (<Play> fetches carry no signature: the audio is served only
#: under its transfer's unguessable content-hash name).
REFUSED_EARLY = {("/logout", "POST"), ("/voice/stream", "GET"),
                 ("/transfer/audio/<path:name>", "GET")}


def concrete(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?[a-z_]+>", "x1", rule)


def routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.rule, method


def test_api_and_dashboard_routes_refuse_anonymous_requests(app):
    client = app.test_client()
    checked = 0
    for rule, method in routes(app):
        if rule in PUBLIC or not rule.startswith(("/api", "/dashboard", "/logout")):
            continue
        response = client.open(concrete(rule), method=method)
        if (rule, method) in REFUSED_EARLY and response.status_code == 400:
            continue
        location = response.headers.get("Location", "")
        assert response.status_code in (401, 403) or (
            response.status_code in (302, 303) and "/login" in location), (rule, method,
                                                                         response.status_code)
        checked += 1
    assert checked >= 10


def test_twilio_facing_routes_refuse_unsigned_requests(app):
    client = app.test_client()
    checked = 0
    for rule, method in routes(app):
        if rule in PUBLIC or not rule.startswith(("/voice", "/sms", "/transfer")):
            continue
        response = client.open(concrete(rule), method=method, data={"CallSid": "CA1"})
        if (rule, method) in REFUSED_EARLY and response.status_code == 400:
            continue
        assert response.status_code in (403, 404), (rule, method, response.status_code)
        checked += 1
    assert checked >= 15


def test_the_api_answers_with_the_bearer_token(app, settings):
    response = app.test_client().get(
        "/api/conversations", headers={"Authorization": f"Bearer {settings.api_token}"})
    assert response.status_code == 200
