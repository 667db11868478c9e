"""Stealing or forging the owner's session: a cookie made offline, one replayed after sign-out,
one kept across a token change, one sent by another site's form."""

from __future__ import annotations

import pytest
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

from ivr.app.wiring import build_runtime
from ivr.handoff.followups import queue_callback
from ivr.store.callbacks import list_callbacks
from ivr.store.records import new_conversation
from ivr.web import create_app, sessions

from .attacker import API_TOKEN, csrf, session_cookie, sign_in


def _flask_serializer(secret: str):
    """How Flask signs a cookie session with `secret` (what an attacker would reproduce)."""
    holder = create_app.__globals__["Flask"]("forger")
    holder.secret_key = secret
    return SecureCookieSessionInterface().get_signing_serializer(holder)


def test_forged_session_cookie_signed_with_api_token_opens_nothing(app, client):
    forged = _flask_serializer(API_TOKEN).dumps({"ivr_auth": True, "csrf": "x"})
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], forged)

    assert client.get("/dashboard/").status_code == 302  # to the sign-in page
    assert client.get("/api/conversations").status_code == 401


def test_the_sign_in_pages_cookie_is_no_oracle_for_the_api_token(app, client):
    client.get("/login")
    cookie = session_cookie(client, app)
    assert cookie

    with pytest.raises(BadSignature):  # guessing the token offline checks nothing
        _flask_serializer(API_TOKEN).loads(cookie)
    assert "csrf" not in cookie and "." in cookie and len(cookie) < 120  # an id, not the data


def test_session_data_lives_in_redis_under_the_stores_keys(app, client, runtime, redis_conn):
    sign_in(client)

    keys = [k.decode() for k in redis_conn.scan_iter(runtime.store.global_key("session", "*"))]

    assert len(keys) == 1
    assert b"ivr_auth" in redis_conn.get(keys[0])
    assert 0 < redis_conn.ttl(keys[0]) <= sessions.IDLE_S


def test_cookie_replayed_after_logout_is_refused(app, client):
    sign_in(client)
    stolen = session_cookie(client, app)
    token = csrf(client, "/dashboard/")
    assert client.get("/dashboard/").status_code == 200

    client.post("/logout", data={"csrf_token": token})
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], stolen)

    assert client.get("/dashboard/").status_code == 302
    assert client.get("/api/conversations").status_code == 401


def test_token_rotation_ends_sessions(app, client, runtime):
    sign_in(client)
    assert client.get("/api/conversations").status_code == 200

    runtime.settings = runtime.settings.with_(api_token="a-new-token-after-a-leak")

    assert client.get("/dashboard/").status_code == 302
    assert client.get("/api/conversations").status_code == 401
    assert sign_in(client, "a-new-token-after-a-leak").status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_a_stolen_cookie_stops_working_after_the_idle_and_absolute_lifetimes(
        app, client, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(sessions, "wall_clock", lambda: now[0])
    sign_in(client)

    for _ in range(sessions.ABSOLUTE_S // sessions.IDLE_S):  # each request slides the idle
        now[0] += sessions.IDLE_S - 60                         # lifetime on
        assert client.get("/dashboard/").status_code == 200
    now[0] += sessions.IDLE_S - 60
    assert client.get("/dashboard/").status_code == 302  # past the absolute lifetime

    sign_in(client)
    now[0] += sessions.IDLE_S + 1  # left overnight
    assert client.get("/dashboard/").status_code == 302


def test_session_cookie_is_samesite_lax_httponly_and_secure_on_https(runtime, redis_conn,
                                                                    clock):
    for public_url, secure in (("https://desk.example.com", True), ("http://ivr.test", False)):
        served = build_runtime(runtime.settings.with_(public_url=public_url),
                               connection=redis_conn, clock=clock)
        client = create_app(runtime=served).test_client()

        header = sign_in(client).headers["Set-Cookie"]

        assert "SameSite=Lax" in header and "HttpOnly" in header
        assert ("Secure" in header) is secure, header
        assert "Max-Age=" in header and int(header.split("Max-Age=")[1].split(";")[0]) \
            <= sessions.ABSOLUTE_S


def _queued_callback(runtime) -> str:
    business = runtime.directory.by_key("hartley-family-law")
    record = new_conversation(business=business.name, business_key=business.key,
                              channel="sms", caller="+15125550199", flow=business.flow_name,
                              now=runtime.clock())
    runtime.store.save(record)
    return queue_callback(runtime, business, record, summary="Custody")["id"]


def test_cross_site_form_post_without_csrf_is_refused(app, client, runtime):
    callback_id = _queued_callback(runtime)
    sign_in(client)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])

    # Another site's form, posted by the owner's browser with the owner's cookie:
    evil = {"Origin": "https://evil.example", "Referer": "https://evil.example/x"}
    marked = client.post(f"/api/callbacks/{callback_id}/done", data={"by": "evil"},
                         headers=evil)
    handled = client.post("/dashboard/unanswered/handled", headers=evil,
                          data={"question": "Do you install heat pumps?",
                                "business": "polar-bear-hvac"})

    assert marked.status_code == 403 and handled.status_code == 400
    [task] = list_callbacks(runtime.store)
    assert task["status"] == "open"
    assert cookie.same_site == "Lax"  # and a browser would not have sent it cross-site
    token = csrf(client, "/dashboard/")  # the owner's own page may
    assert client.post(f"/api/callbacks/{callback_id}/done", data={"by": "Dana"},
                       headers={"X-CSRF-Token": token}).status_code == 200


def test_the_generated_session_key_is_shared_by_every_node_and_is_no_other_secret(
        runtime, redis_conn, clock):
    nodes = [create_app(runtime=build_runtime(runtime.settings, connection=redis_conn,
                                              clock=clock)) for _ in range(2)]
    first, second = (node.test_client() for node in nodes)
    sign_in(first)
    cookie = session_cookie(first, nodes[0])
    second.set_cookie(nodes[1].config["SESSION_COOKIE_NAME"], cookie)

    assert second.get("/dashboard/").status_code == 200
    key = redis_conn.get(runtime.store.global_key("secret-key")).decode()
    assert len(key) >= 40
    assert key not in (runtime.settings.api_token, runtime.settings.auth_token)


def test_ivr_secret_key_from_the_environment_is_used_and_never_stored(runtime, redis_conn,
                                                                      clock):
    from ivr.config.settings import Settings

    env = Settings.from_env({"IVR_SECRET_KEY": "k" * 48, "IVR_API_TOKEN": API_TOKEN})
    assert env.secret_key == "k" * 48
    served = build_runtime(runtime.settings.with_(secret_key=env.secret_key),
                           connection=redis_conn, clock=clock)
    client = create_app(runtime=served).test_client()

    assert sign_in(client).status_code == 302
    assert client.get("/dashboard/").status_code == 200
    assert redis_conn.get(runtime.store.global_key("secret-key")) is None
