"""Fixtures for end-to-end tests through the carrier simulator (registered from conftest.py).

    def test_texting_the_law_firm_gets_a_reply(live_app, carrier):
        replies = carrier.phone("+15125550199").text("+15125550100", "I need a divorce lawyer")

`carrier` is a started `ivr.sim.Carrier` for the test account; `live_app` serves the `app`
fixture on a real threaded loopback server, points the app's REST client at the carrier
(runtime.settings.api_base) and connects the carrier to it (webhooks signed for the app's
IVR_PUBLIC_URL). Both stop everything — calls, threads, servers — after each test.
Background workers in a test should take `runtime.settings` (it carries the carrier's api_base).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ivr.sim import Carrier, LiveServer

ACCOUNT_SID = "AC" + "0" * 31 + "1"
AUTH_TOKEN = "test-auth-token-0123456789abcdef"


@pytest.fixture
def carrier() -> Iterator[Carrier]:
    sim = Carrier(ACCOUNT_SID, AUTH_TOKEN).start()
    yield sim
    sim.stop()


@pytest.fixture
def live_app(app, runtime, carrier: Carrier) -> Iterator[LiveServer]:
    runtime.settings = runtime.settings.with_(api_base=carrier.api_base)
    runtime.close()  # rebuild the REST client for the new api_base
    server = LiveServer(app).start()
    carrier.connect(app_url=server.url, public_url=runtime.settings.public_url)
    yield server
    carrier.stop()
    server.stop()
    runtime.close()  # no pooled REST connection outlives the test (ResourceWarning)
