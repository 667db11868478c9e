"""Fixtures for end-to-end tests through the carrier simulator (registered from conftest.py).

    def test_texting_the_law_firm_gets_a_reply(live_app, carrier):
        replies = carrier.phone("+15125550199").text("+15125550100", "I need a divorce lawyer")

`carrier` is a started `ivr.sim.Carrier` for the test account; `live_app` serves the `app`
fixture on a real threaded loopback server, points the app's REST client at the carrier
(runtime.settings.api_base) and connects the carrier to it (webhooks signed for the app's
IVR_PUBLIC_URL; the numbers' Voice and Messaging fallback URLs are `/voice/fallback` and
`/sms/fallback`, as docs/deployment.md sets them in Twilio's console). Both stop everything — calls, threads, servers — after each test.
Background workers in a test should take `runtime.settings` (it carries the carrier's api_base).

Like `ivr serve` next to `ivr worker`, `live_app` runs a real rq worker on a thread
(`jobs_support.Background`), so what a webhook queues (the on-call person's text) goes out while
the test talks to the app; `jobs_support.settle(runtime)` waits for it. A test that wants to see
jobs wait in their queue marks itself `@pytest.mark.no_worker`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from jobs_support import Background

from ivr.sim import Carrier, LiveServer

ACCOUNT_SID = "AC" + "0" * 31 + "1"
AUTH_TOKEN = "test-auth-token-0123456789abcdef"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "no_worker: live_app runs no background rq worker "
                                       "(queued jobs wait for run_jobs)")


@pytest.fixture
def carrier() -> Iterator[Carrier]:
    sim = Carrier(ACCOUNT_SID, AUTH_TOKEN).start()
    yield sim
    sim.stop()


@pytest.fixture
def live_app(request: pytest.FixtureRequest, app, runtime,
             carrier: Carrier) -> Iterator[LiveServer]:
    runtime.settings = runtime.settings.with_(api_base=carrier.api_base)
    runtime.close()  # rebuild the REST client for the new api_base
    carrier.clock = runtime.clock  # callbacks' Timestamps on the app's (fake) clock, as in life
    server = LiveServer(app).start()
    carrier.connect(app_url=server.url, public_url=runtime.settings.public_url,
                    voice_fallback="/voice/fallback",  # as docs/deployment.md sets a number
                    sms_fallback="/sms/fallback")
    worker = None if request.node.get_closest_marker("no_worker") else Background(runtime).start()
    yield server
    if worker is not None:
        worker.stop()  # before the carrier: a job may be texting through it
    carrier.stop()
    server.stop()
    runtime.close()  # no pooled REST connection outlives the test (ResourceWarning)


