"""Property-based fuzzing of every Twilio-facing webhook: whatever arrives, never a 5xx.

Each case is a correctly signed request (so it reaches the handler) with random, missing,
unicode or huge field values. A voice webhook that answers 200 must answer parseable TwiML,
because Twilio reads any other body as "an application error has occurred".
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

FIELDS = ("From", "To", "Body", "MessageSid", "SmsSid", "CallSid", "CallStatus", "Digits",
          "SpeechResult", "Confidence", "NumMedia", "MediaUrl0", "RecordingUrl", "RecordingSid",
          "RecordingDuration", "CallDuration", "AnsweredBy", "DialCallStatus",
          "StatusCallbackEvent", "ConferenceSid", "FriendlyName", "AccountSid", "Direction")
NUMBERS = ("+15125550100", "+15125550200", "+15125550300", "+15125550199", "", "anonymous",
           "+44 20 7946 0000", "client:alice")
values = st.one_of(
    st.sampled_from(NUMBERS),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=5000),
    st.integers(-10**12, 10**12).map(str),
    st.sampled_from(["completed", "in-progress", "busy", "no-answer", "1", "#", "0.2", "NaN"]),
)
forms = st.dictionaries(st.sampled_from(FIELDS), values, max_size=10)
queries = st.dictionaries(st.sampled_from(["turn", "business", "attempt", "conversation",
                                           "call", "staff", "leg", "index"]),
                          st.one_of(st.integers(-5, 10**9).map(str), st.text(max_size=12)),
                          max_size=3)


def twilio_routes(app) -> list[str]:
    """Every POST route Twilio calls (the app's own callbacks included)."""
    prefixes = ("/sms", "/voice", "/transfer", "/agent", "/whisper", "/hold", "/conference")
    return sorted({rule.rule for rule in app.url_map.iter_rules()
                   if "POST" in rule.methods and rule.rule.startswith(prefixes)
                   and "<" not in rule.rule})


def test_there_are_twilio_routes_to_fuzz(app):
    routes = twilio_routes(app)
    assert "/sms/incoming" in routes and "/voice/incoming" in routes and "/voice/status" in routes


@pytest.mark.parametrize("kind", ["sms", "voice"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=forms, query=queries, pick=st.integers(0, 1000))
def test_signed_garbage_never_gets_a_server_error(kind, app, form, query, pick):
    routes = [r for r in twilio_routes(app) if (r.startswith("/sms") == (kind == "sms"))]
    route = routes[pick % len(routes)]
    client = app.test_client()
    settings_ = app.extensions["ivr"].settings
    query_string = "&".join(f"{k}={v}" for k, v in query.items() if v.isalnum())
    path = route + (f"?{query_string}" if query_string else "")
    signature = RequestValidator(settings_.auth_token).compute_signature(settings_.public_url + path, form)
    response = client.post(path, data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code < 500, (path, form, response.data[:300])
    if response.status_code == 200 and response.mimetype in ("text/xml", "application/xml"):
        ET.fromstring(response.data)  # parseable TwiML
