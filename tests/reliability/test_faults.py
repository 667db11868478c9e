"""Faults: Redis dies mid-call and mid-text; the caller still reaches a person, nothing is lost.

These tests run the app against a Redis of their own so they can kill it (SIGKILL, as a crash
would) and bring it back on the same port.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from own_redis import OwnRedisApp, app_on_own_redis

LAW = "+15125550100"


@pytest.fixture
def fragile(settings, clock, tmp_path) -> Iterator[OwnRedisApp]:
    """The real app on a Redis of its own that the test can kill and bring back."""
    with app_on_own_redis(settings, clock, tmp_path) as app:
        yield app


def test_redis_dying_mid_call_still_puts_the_caller_through_to_a_person(fragile):
    call = fragile.carrier.phone("+15125550199").call(LAW)
    call.wait_for_gather()
    fragile.server.kill()
    call.press("1")                                             # a new legal matter
    call.settle()
    dialed = [line for line in call.twiml_log if "<Dial" in line[1]]
    assert dialed, call.twiml_log[-1]
    assert "+15125550111" in dialed[-1][1] or "+15125550112" in dialed[-1][1]


def test_a_call_arriving_while_redis_is_down_reaches_a_person_not_an_error(fragile):
    fragile.server.kill()
    call = fragile.carrier.phone("+15125550199").call(LAW)
    call.settle()
    assert not call.errors
    assert any("<Dial" in body for _url, body in call.twiml_log)


def test_healthz_says_degraded_while_redis_is_down(fragile):
    import urllib.error
    import urllib.request

    fragile.server.kill()
    with pytest.raises(urllib.error.HTTPError) as failure:
        urllib.request.urlopen(fragile.live.url + "/healthz", timeout=5)
    failure.value.close()
    assert failure.value.code == 503


def test_a_text_arriving_while_redis_is_down_is_answered_spooled_and_replayed(fragile):
    import urllib.request

    texter = fragile.carrier.phone("+15125550199")
    fragile.server.kill()
    replies = texter.text(LAW, "I need help with a custody case in Texas")
    assert replies and "we have your message" in replies[0]
    fragile.restart_redis()
    urllib.request.urlopen(fragile.live.url + "/healthz", timeout=5).close()  # any request
    law = fragile.runtime.directory.by_number(LAW)
    fragile.carrier.wait_for(lambda: fragile.runtime.store.conversations([law.key]), timeout=10)
    [record] = fragile.runtime.store.conversations([law.key])
    assert record["caller"] == "+15125550199"
    assert "custody case" in record["transcript"][0]["text"]
    texter.wait_for_text("Hartley Family Law", timeout=10)  # the flow's reply, sent by REST
