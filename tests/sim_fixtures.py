"""Fixtures for end-to-end tests through the carrier simulator (registered from conftest.py).

    def test_texting_the_law_firm_gets_a_reply(live_app, carrier):
        replies = carrier.phone("+15125550199").text("+15125550100", "I need a divorce lawyer")

`carrier` is a started `ivr.sim.Carrier` for the test account; `live_app` serves the `app`
fixture on a real threaded loopback server, points the app's REST client at the carrier
(runtime.settings.api_base) and connects the carrier to it (webhooks signed for the app's
IVR_PUBLIC_URL). Both stop everything — calls, threads, servers — after each test.
Background workers in a test should take `runtime.settings` (it carries the carrier's api_base).

Like `ivr serve` next to `ivr worker`, `live_app` runs a real rq worker on a thread
(`jobs_support.Background`), so what a webhook queues (the on-call person's text) goes out while
the test talks to the app; `jobs_support.settle(runtime)` waits for it. A test that wants to see
jobs wait in their queue marks itself `@pytest.mark.no_worker`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import requests
from jobs_support import Background, rest_calls_to
from werkzeug.wrappers import Request, Response

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
    server = LiveServer(app).start()
    carrier.connect(app_url=server.url, public_url=runtime.settings.public_url)
    worker = None if request.node.get_closest_marker("no_worker") else Background(runtime).start()
    yield server
    if worker is not None:
        worker.stop()  # before the carrier: a job may be texting through it
    carrier.stop()
    server.stop()
    runtime.close()  # no pooled REST connection outlives the test (ResourceWarning)


#: Headers passed on to the carrier by `calls_refused`'s front.
_FORWARDED = ("authorization", "content-type", "accept", "user-agent")


@contextmanager
def calls_refused(runtime: Any, carrier: Carrier, refusals: dict[str, int]) -> Iterator[None]:
    """Meanwhile the carrier refuses calls to some numbers for good, the way Twilio refuses a
    number it cannot dial (HTTP 400 with its error JSON, e.g. 21211 "invalid 'To' number"),
    so the twilio library raises its real `TwilioRestException`.

    The simulator's own faults cover texts only: this puts a front on its REST API that
    answers those calls itself and passes every other request through unchanged.
    """
    def front(environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        body = request.get_data()  # cached: the form below is parsed from it
        to = (request.form.get("To") if request.method == "POST"
              and request.path.endswith("/Calls.json") else None)
        if to in refusals:
            code = refusals[to]
            error = {"code": code, "status": 400, "message": f"Invalid 'To' number: {to}",
                     "more_info": f"https://www.twilio.com/docs/errors/{code}"}
            answer = Response(json.dumps(error), status=400, mimetype="application/json")
            return answer(environ, start_response)
        upstream = requests.request(
            request.method, carrier.api_base + request.full_path.rstrip("?"), data=body,
            headers={k: v for k, v in request.headers.items() if k.lower() in _FORWARDED},
            timeout=10)
        answer = Response(upstream.content, status=upstream.status_code,
                          content_type=upstream.headers.get("Content-Type"))
        return answer(environ, start_response)

    with LiveServer(front) as server, rest_calls_to(runtime, server.url):
        yield
