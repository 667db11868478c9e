"""Every Twilio-facing endpoint refuses requests Twilio did not sign, and changes nothing.

The endpoints are the contract's (/voice/incoming, /voice/status, /sms/incoming) plus every
POST route the app serves under /voice/, /sms/ or behind `twilio_signed` (the app's own
callbacks: gather actions, whisper, conference events, recordings), found from the URL map so a
callback added later without a signature check fails here.
"""

from __future__ import annotations

import json
import re

import pytest
from signing import AUTH_TOKEN, PUBLIC_URL, messages, signature, signed_post, sms_form
from werkzeug.datastructures import MultiDict

from ivr.app.wiring import build_runtime
from ivr.twilio.signature import body_sha256
from ivr.web import create_app
from ivr.web.security import twilio_signed

CONTRACT = ("/voice/incoming", "/voice/status", "/sms/incoming")
CARRIER_PREFIXES = ("/voice/", "/sms/", "/transfer/", "/agent/", "/conference/")
_SIGNED_CODE = twilio_signed(lambda: None).__code__


def twilio_facing(app) -> list[str]:
    """POST paths Twilio calls, with URL parameters filled in."""
    paths = set(CONTRACT)
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        signed = getattr(view, "__code__", None) is _SIGNED_CODE
        if "POST" in (rule.methods or ()) and (signed or rule.rule.startswith(CARRIER_PREFIXES)):
            paths.add(re.sub(r"<[^>]+>", "x", rule.rule))
    return sorted(paths)


def call_form() -> dict[str, str]:
    return {"CallSid": "CA" + "1" * 32, "From": "+15125550199", "To": "+15125550200",
            "CallStatus": "ringing", "AccountSid": "AC" + "0" * 31 + "1",
            "Digits": "1", "SpeechResult": "my furnace is out", "Confidence": "0.9"}


def test_the_contract_endpoints_exist(app):
    routes = {rule.rule for rule in app.url_map.iter_rules()}
    assert "/sms/incoming" in routes
    assert set(CONTRACT) <= routes


def test_unsigned_requests_are_refused_and_store_nothing(app, client, redis_conn):
    for path in twilio_facing(app):
        form = sms_form("my furnace is out") if path.startswith("/sms") else call_form()
        response = client.post(path, data=form)
        assert response.status_code == 403, path
    assert redis_conn.keys("*") == []


@pytest.mark.parametrize("forgery", ["wrong token", "other url", "tampered body", "garbage"])
def test_wrongly_signed_requests_are_refused_and_store_nothing(app, client, redis_conn, forgery):
    for path in twilio_facing(app):
        form = sms_form("HELP") if path.startswith("/sms") else call_form()
        sig = {
            "wrong token": signature(PUBLIC_URL + path, form, token="not-the-token"),
            "other url": signature("http://evil.test" + path, form),
            "tampered body": signature(PUBLIC_URL + path, {**form, "Body": "STOP"}),
            "garbage": "bm90IGEgc2lnbmF0dXJl",
        }[forgery]
        if forgery == "tampered body" and not path.startswith("/sms"):
            sig = signature(PUBLIC_URL + path, {**form, "Digits": "9"})
        response = client.post(path, data=form, headers={"X-Twilio-Signature": sig})
        assert response.status_code == 403, path
    assert redis_conn.keys("*") == []


def test_signed_requests_are_accepted_on_every_endpoint(app, client):
    for path in twilio_facing(app):
        form = sms_form("HELP") if path.startswith("/sms") else call_form()
        response = signed_post(client, path, form)
        assert response.status_code != 403, path
        assert response.status_code < 500, path


@pytest.fixture
def proxied_client(settings, redis_conn, clock):
    """The app behind a TLS-terminating proxy: no IVR_PUBLIC_URL, one trusted proxy hop."""
    runtime = build_runtime(settings.with_(public_url="", trust_proxy=1), connection=redis_conn,
                            clock=clock)
    app = create_app(runtime=runtime)
    app.config["TESTING"] = True
    return app.test_client()


PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "ivr.example.com"}


def test_behind_a_trusted_proxy_the_public_url_is_rebuilt_from_forwarded_headers(
        proxied_client):
    response = signed_post(proxied_client, "/sms/incoming", sms_form("I need a divorce lawyer"),
                           base="https://ivr.example.com", headers=PROXY_HEADERS)
    assert response.status_code == 200
    [reply] = messages(response.data)
    assert "Hartley Family Law" in reply


def test_behind_a_proxy_a_signature_for_another_host_is_refused(proxied_client, redis_conn):
    response = signed_post(proxied_client, "/sms/incoming", sms_form("STOP"),
                           base="https://ivr.example.com",
                           headers={**PROXY_HEADERS, "X-Forwarded-Host": "evil.example.com"})
    assert response.status_code == 403
    assert redis_conn.keys("*") == []


def test_forwarded_headers_are_ignored_unless_the_proxy_is_trusted(settings, redis_conn, clock):
    runtime = build_runtime(settings.with_(public_url=""), connection=redis_conn, clock=clock)
    client = create_app(runtime=runtime).test_client()
    response = signed_post(client, "/sms/incoming", sms_form("STOP"),
                           base="https://ivr.example.com", headers=PROXY_HEADERS)
    assert response.status_code == 403
    assert redis_conn.keys("*") == []


def test_the_signing_helper_signs_for_the_test_settings(settings):
    assert (settings.auth_token, settings.public_url) == (AUTH_TOKEN, PUBLIC_URL)


# -- WS /voice/stream: Twilio signs the ws(s):// URL of the <Stream>, with no parameters --------
STREAM = "/voice/stream"


def open_stream(server_url: str, signature_: str | None, headers: dict[str, str] | None = None):
    """Open the Media Streams WebSocket like Twilio does; raises if the upgrade is refused."""
    from websocket import create_connection

    sent = dict(headers or {})
    if signature_ is not None:
        sent["X-Twilio-Signature"] = signature_
    ws_url = server_url.replace("http://", "ws://", 1) + STREAM
    return create_connection(ws_url, header=[f"{k}: {v}" for k, v in sent.items()], timeout=5)


def refused_status(server_url: str, signature_: str | None, **kw) -> int | None:
    from websocket import WebSocketBadStatusException

    try:
        open_stream(server_url, signature_, **kw).close()
    except WebSocketBadStatusException as exc:
        return exc.status_code
    return None


@pytest.fixture
def served(app):
    from ivr.sim import LiveServer

    with LiveServer(app) as server:
        yield server


@pytest.mark.parametrize("forgery", ["missing", "wrong token", "http url", "garbage"])
def test_an_unsigned_or_forged_media_stream_is_refused(served, redis_conn, forgery):
    sig = {"missing": None,
           "wrong token": signature("wss://ivr.test" + STREAM, {}, token="not-the-token"),
           "http url": signature("http://elsewhere.test" + STREAM, {}),
           "garbage": "bm90IGEgc2lnbmF0dXJl"}[forgery]
    assert refused_status(served.url, sig) == 403
    assert redis_conn.keys("*") == []


@pytest.mark.parametrize("signed", ["wss://ivr.test", PUBLIC_URL])
def test_a_signed_media_stream_is_accepted(served, signed):
    """Twilio's docs do not say which form of the URL it signs on the upgrade: the wss:// one
    in our <Stream>, or the https:// one as for webhooks. Both are Twilio's."""
    ws = open_stream(served.url, signature(signed + STREAM, {}))
    assert ws.connected
    ws.close()


def test_a_signed_media_stream_is_accepted_behind_a_trusted_proxy(settings, redis_conn, clock):
    from ivr.sim import LiveServer

    runtime = build_runtime(settings.with_(public_url="", trust_proxy=1), connection=redis_conn,
                            clock=clock)
    with LiveServer(create_app(runtime=runtime)) as server:
        ws = open_stream(server.url, signature("wss://ivr.example.com" + STREAM, {}),
                         headers=PROXY_HEADERS)
        assert ws.connected
        ws.close()
        assert refused_status(server.url, signature("wss://ivr.example.com" + STREAM, {}),
                              headers={**PROXY_HEADERS, "X-Forwarded-Host": "evil.test"}) == 403


# -- what Twilio signs beyond one value per field ------------------------------------------------
def test_a_webhook_with_repeated_fields_signed_by_twilio_is_accepted(live_app, carrier):
    """Twilio signs every value of a repeated field; keeping only the first refused a genuine
    text (403) and the texter heard nothing."""
    replies = carrier.phone("+15125550199").text(
        "+15125550100", "I need a divorce lawyer",
        extra={"ToCountry": ["US", "CA"], "AddOns": ['{"status":"successful"}', "{}"]})
    assert not carrier.errors
    assert replies and "Hartley Family Law" in " ".join(replies)


def test_a_repeated_field_changed_on_the_way_is_refused(client, redis_conn):
    form = MultiDict([*sms_form("HELP").items(), ("Extra", "a"), ("Extra", "b")])
    sig = signature(PUBLIC_URL + "/sms/incoming", form)
    tampered = MultiDict([*sms_form("HELP").items(), ("Extra", "a"), ("Extra", "STOP")])
    tampered["MessageSid"] = form["MessageSid"]
    assert signed_post(client, "/sms/incoming", form).status_code == 200
    response = client.post("/sms/incoming", data=tampered, headers={"X-Twilio-Signature": sig})
    assert response.status_code == 403


def json_post(client, path: str, body: str, claimed_for: str, token: str = AUTH_TOKEN):
    """A JSON webhook the way Twilio sends one: the body's SHA-256 in the signed URL."""
    query = f"?bodySHA256={body_sha256(claimed_for)}"
    sig = signature(PUBLIC_URL + path + query, {}, token)
    return client.post(path + query, data=body, content_type="application/json",
                       headers={"X-Twilio-Signature": sig})


def test_a_json_body_whose_sha256_does_not_match_is_refused(app, client, redis_conn):
    """Only the URL is signed for a JSON body; without checking bodySHA256 anybody could swap
    the body of a signed request."""
    genuine = json.dumps({"CallSid": "CA" + "1" * 32, "CallStatus": "completed"})
    swapped = json.dumps({"CallSid": "CA" + "2" * 32, "CallStatus": "completed"})
    for path in twilio_facing(app):
        assert json_post(client, path, swapped, claimed_for=genuine).status_code == 403, path
        assert json_post(client, path, genuine, claimed_for=genuine).status_code != 403, path
    assert redis_conn.keys("ivr:*:conv*") == []


def test_a_json_body_without_its_sha256_is_refused(client):
    sig = signature(PUBLIC_URL + "/voice/status", {})
    response = client.post("/voice/status", data="{}", content_type="application/json",
                           headers={"X-Twilio-Signature": sig})
    assert response.status_code == 403


SHARED_KEY = "shared-key-secret-for-webhooks-0123"
SHARED = {"X-Twilio-Webhooks-Signature-Settings": "key=webhooks_sharedkey_1,algorithm=HMAC_SHA256"}


@pytest.fixture
def keyed_client(settings, redis_conn, clock):
    """The app with a webhook shared key configured (TWILIO_SIGNING_KEY)."""
    runtime = build_runtime(settings.with_(signing_key=SHARED_KEY), connection=redis_conn,
                            clock=clock)
    app = create_app(runtime=runtime)
    app.config["TESTING"] = True
    return app.test_client()


def shared_key_post(client, form, key: str = SHARED_KEY, algorithm: str = "HMAC_SHA256"):
    sig = signature(PUBLIC_URL + "/sms/incoming", form, key, algorithm)
    return client.post("/sms/incoming", data=form, headers={"X-Twilio-Signature": sig, **SHARED})


def test_a_text_signed_with_the_shared_sha256_key_gets_its_reply(keyed_client):
    """With webhook shared keys on, Twilio signs with HMAC-SHA256; every text got 403."""
    response = shared_key_post(keyed_client, sms_form("HELP"))
    assert response.status_code == 200
    assert signed_post(keyed_client, "/sms/incoming", sms_form("HELP")).status_code == 200


@pytest.mark.parametrize("forgery", ["auth token as the key", "sha1 under the header",
                                     "another key"])
def test_a_shared_key_signature_that_does_not_hold_is_refused(keyed_client, redis_conn, forgery):
    key, algorithm = {"auth token as the key": (AUTH_TOKEN, "HMAC_SHA256"),
                      "sha1 under the header": (SHARED_KEY, "HMAC_SHA1"),
                      "another key": ("not-the-key", "HMAC_SHA256")}[forgery]
    assert shared_key_post(keyed_client, sms_form("STOP"), key, algorithm).status_code == 403
    assert redis_conn.keys("*") == []


def test_a_shared_key_signature_is_refused_when_no_key_is_configured(client, redis_conn):
    assert shared_key_post(client, sms_form("STOP")).status_code == 403
    assert redis_conn.keys("*") == []


def test_the_simulator_signing_with_a_shared_key_reaches_the_app(live_app, runtime, carrier):
    runtime.settings = runtime.settings.with_(signing_key=SHARED_KEY)
    carrier.webhooks.signing_key = SHARED_KEY
    replies = carrier.phone("+15125550199").text("+15125550100", "I need a divorce lawyer")
    assert not carrier.errors and replies
