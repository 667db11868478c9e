"""Guessing the token through the API or the sign-in form: slowed to a stop per address,
answered 429 with Retry-After and logged, while the owner still gets in from elsewhere."""

from __future__ import annotations

import logging
import time

from ivr.app.wiring import build_runtime
from ivr.web import create_app, guessing

from .attacker import API_TOKEN, sign_in

RIGHT = {"Authorization": f"Bearer {API_TOKEN}"}


def _guess(client, n: int, **headers: str) -> list[int]:
    return [client.get("/api/conversations",
                       headers={"Authorization": f"Bearer guess-{i}", **headers}).status_code
            for i in range(n)]


def test_guessing_api_tokens_gets_429_with_retry_after(from_address):
    attacker = from_address("198.51.100.7")

    assert _guess(attacker, guessing.MAX_FAILURES) == [401] * guessing.MAX_FAILURES
    locked = attacker.get("/api/conversations", headers={"Authorization": "Bearer guess-x"})
    right = attacker.get("/api/conversations", headers=RIGHT)

    assert locked.status_code == 429 and right.status_code == 429  # a right guess shows nothing
    assert 0 < int(locked.headers["Retry-After"]) <= guessing.WINDOW_S
    assert locked.mimetype == "application/json"


def test_owner_from_another_address_still_signs_in(from_address):
    attacker, owner = from_address("198.51.100.7"), from_address("203.0.113.20")
    _guess(attacker, 4)
    for _ in range(guessing.MAX_FAILURES - 4):
        assert sign_in(attacker, "guess").status_code == 401

    refused = sign_in(attacker)  # even the right token, from the guessing address
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert sign_in(owner).status_code == 302
    assert owner.get("/dashboard/").status_code == 200
    assert from_address("203.0.113.21").get("/api/conversations",
                                            headers=RIGHT).status_code == 200


def test_the_owner_gets_in_from_the_same_address_once_the_window_passes(from_address,
                                                                        monkeypatch):
    monkeypatch.setattr(guessing, "WINDOW_S", 1)
    owner = from_address("203.0.113.30")
    for _ in range(guessing.MAX_FAILURES):
        sign_in(owner, "mistyped")
    assert sign_in(owner).status_code == 429

    time.sleep(1.2)

    assert sign_in(owner).status_code == 302


def test_forged_x_forwarded_for_does_not_dodge_the_count(from_address):
    attacker = from_address("198.51.100.8")  # no trusted proxy configured (IVR_TRUST_PROXY=0)

    for i in range(guessing.MAX_FAILURES):
        attacker.get("/api/conversations", headers={"Authorization": "Bearer nope",
                                                    "X-Forwarded-For": f"10.0.0.{i}"})

    dodged = attacker.get("/api/conversations",
                          headers={**RIGHT, "X-Forwarded-For": "10.9.9.9"})
    assert dodged.status_code == 429


def test_behind_a_trusted_proxy_each_forwarded_client_is_counted_apart(runtime, redis_conn,
                                                                      clock):
    proxied = build_runtime(runtime.settings.with_(trust_proxy=1), connection=redis_conn,
                            clock=clock)
    proxy = create_app(runtime=proxied).test_client()
    proxy.environ_base["REMOTE_ADDR"] = "127.0.0.1"  # every request arrives from the proxy

    _guess(proxy, guessing.MAX_FAILURES, **{"X-Forwarded-For": "198.51.100.9"})

    assert proxy.get("/api/conversations", headers={
        **RIGHT, "X-Forwarded-For": "198.51.100.9"}).status_code == 429
    assert proxy.get("/api/conversations", headers={
        **RIGHT, "X-Forwarded-For": "203.0.113.40"}).status_code == 200


def test_each_lockout_is_logged_for_the_owner(from_address, caplog):
    attacker = from_address("198.51.100.10")

    with caplog.at_level(logging.INFO, logger="ivr"):
        _guess(attacker, guessing.MAX_FAILURES + 3)

    lockouts = [r for r in caplog.records if "event=auth.locked_out" in r.getMessage()]
    assert len(lockouts) == 1 and lockouts[0].levelno == logging.WARNING
    assert "remote=198.51.100.10" in lockouts[0].getMessage()
    assert "via=api" in lockouts[0].getMessage()
