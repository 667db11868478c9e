"""When things go wrong a caller still reaches a person or hears a polite word — never Twilio's
"application error" — and bad or forged requests get a clear 4xx and change nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from signing import signed_post
from voice_calls import (
    CALLER,
    DANA,
    LAW,
    LAW_KEY,
    SAM,
    assert_no_application_error,
    verbs,
    voice_form,
)

from ivr.app.wiring import build_runtime
from ivr.sim import LiveServer
from ivr.store.redis_server import free_port
from ivr.web import create_app


def test_a_number_we_do_not_serve_hears_a_polite_message(client, runtime):
    response = signed_post(client, "/voice/incoming", voice_form(to="+15125559999"))
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    assert verbs(response.data) == ["Say", "Hangup"]
    assert b"not set up to take calls" in response.data
    assert runtime.store.conversations() == []


def test_an_unsigned_call_is_refused_and_opens_nothing(client, runtime):
    response = client.post("/voice/incoming", data=voice_form())
    assert response.status_code == 403
    forged = client.post("/voice/incoming", data=voice_form(),
                         headers={"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"})
    assert forged.status_code == 403
    assert runtime.store.conversations() == []


@pytest.mark.parametrize("path", ["/voice/incoming", f"/voice/gather?business={LAW_KEY}&turn=1",
                                  "/voice/status"])
def test_a_webhook_without_a_call_sid_is_a_bad_request(client, path):
    response = signed_post(client, path, {"From": CALLER, "To": LAW, "Digits": "1"})
    assert response.status_code == 400


@pytest.mark.parametrize("query", ["turn=abc", "turn=-1", f"business={LAW_KEY}",
                                   "turn=1&business=nobody"])
def test_a_callback_with_a_bad_turn_or_business_is_a_bad_request(client, query):
    response = signed_post(client, f"/voice/gather?{query}", {"CallSid": "CA1", "Digits": "1"})
    assert response.status_code == 400


def test_a_keypress_for_a_call_we_no_longer_know_says_goodbye_without_opening_anything(
        client, runtime):
    response = signed_post(client, f"/voice/gather?business={LAW_KEY}&turn=4",
                           {"CallSid": "CA" + "d" * 32, "Digits": "1"})
    assert response.status_code == 200
    assert verbs(response.data) == ["Say", "Hangup"]
    assert runtime.store.conversations() == []


def test_a_status_callback_with_a_garbled_duration_is_a_bad_request(client):
    response = signed_post(client, "/voice/status", {"CallSid": "CA1", "CallStatus": "completed",
                                                     "CallDuration": "soon", "To": LAW})
    assert response.status_code == 400


def test_after_talking_to_a_person_reached_directly_the_call_just_ends(client):
    response = signed_post(client, f"/voice/fallback?business={LAW_KEY}&step=1",
                           {"CallSid": "CA1", "DialCallStatus": "completed"})
    assert verbs(response.data) == ["Say", "Hangup"]


@pytest.fixture
def broken_app(settings, clock) -> Iterator[LiveServer]:
    """The app with its Redis gone (nothing listens on the port). No client retries, so the
    test does not sit through redis-py's backoff (about 5 s per command)."""
    dead = redis.Redis(port=free_port(), socket_connect_timeout=0.2, socket_timeout=0.2,
                       retry=Retry(NoBackoff(), 0))
    runtime = build_runtime(settings, connection=dead, clock=clock)
    with LiveServer(create_app(runtime=runtime)) as server:
        yield server
    dead.close()


def test_with_redis_down_a_caller_is_put_through_to_the_people_on_call(broken_app, carrier,
                                                                       settings):
    carrier.connect(app_url=broken_app.url, public_url=settings.public_url)
    call = carrier.phone(CALLER).call(LAW)
    dana = carrier.phone(DANA).wait_for_call()                  # rung directly: nobody answers
    sam = carrier.phone(SAM).wait_for_call(timeout=10)          # ... so the next person
    call.wait_until("completed", timeout=15)
    assert (dana.to, sam.to) == (DANA, SAM)
    heard = " ".join(call.heard)
    assert "connect you with someone" in heard
    assert "will call you back" in heard                        # nobody: a polite goodbye
    assert_no_application_error(carrier, call)
