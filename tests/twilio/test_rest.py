"""The app's REST client (ivr.twilio.rest): it reaches the carrier through the proxy the
environment names, as the twilio library's default client does, and reports refusals and
outages in the shapes the jobs' retry rules read."""

from __future__ import annotations

import http.server
import socket
import threading
import urllib.request
from collections.abc import Iterator

import pytest
from sim_fixtures import ACCOUNT_SID, AUTH_TOKEN
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client
from urllib3.exceptions import ConnectTimeoutError, ReadTimeoutError

from ivr.config.settings import Settings
from ivr.handoff.outbound import nothing_sent
from ivr.store.redis_server import free_port
from ivr.twilio.rest import PooledHttpClient, make_client

FIRM = "+15125550100"
CALLER = "+15125550199"


#: The proxy's own way out: straight to the carrier, not back through HTTP_PROXY.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class _Forwarder(http.server.BaseHTTPRequestHandler):
    """A plain HTTP proxy: relays absolute-URI requests and remembers their paths."""

    seen: list[str]

    def _relay(self) -> None:
        self.seen.append(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        upstream = urllib.request.Request(
            self.path, data=self.rfile.read(length) if length else None, method=self.command,
            headers={k: v for k, v in self.headers.items() if k.lower() != "proxy-connection"})
        try:
            reply = _DIRECT.open(upstream, timeout=10)
        except urllib.error.HTTPError as refused:
            reply = refused
        body = reply.read()
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.headers.get("Content-Type", "application/json"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_DELETE = _relay

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def proxy() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    handler = type("Forwarder", (_Forwarder,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def _client(api_base: str):
    return make_client(Settings(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN,
                                api_base=api_base))


def test_texts_go_through_the_proxy_the_environment_names(carrier, proxy, monkeypatch):
    url, seen = proxy
    monkeypatch.setenv("HTTP_PROXY", url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    _client(carrier.api_base).messages.create(to=CALLER, from_=FIRM, body="Through the proxy")
    assert carrier.phone(CALLER).texts == ["Through the proxy"]
    assert [path.split("/2010-04-01/")[-1] for path in seen] == [
        f"Accounts/{ACCOUNT_SID}/Messages.json"]


def test_hosts_listed_in_no_proxy_are_reached_directly(carrier, proxy, monkeypatch):
    url, seen = proxy
    monkeypatch.setenv("HTTP_PROXY", url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    _client(carrier.api_base).messages.create(to=CALLER, from_=FIRM, body="Directly")
    assert carrier.phone(CALLER).texts == ["Directly"]
    assert seen == []


def test_a_refusal_carries_twilios_status_and_code(carrier):
    carrier.faults.refuse(CALLER, code=21614)
    with pytest.raises(TwilioRestException) as refused:
        _client(carrier.api_base).messages.create(to=CALLER, from_=FIRM, body="x")
    assert (refused.value.status, refused.value.code) == (400, 21614)
    assert "not a valid mobile number" in refused.value.msg
    assert nothing_sent(refused.value)


def test_an_unreachable_carrier_is_known_to_have_received_nothing():
    with pytest.raises(ConnectTimeoutError) as down:
        _client(f"http://127.0.0.1:{free_port()}").messages.create(to=CALLER, from_=FIRM,
                                                                   body="x")
    assert nothing_sent(down.value)


def test_a_carrier_that_took_the_request_but_never_answered_may_have_sent_it():
    """A read timeout is not "nothing sent": a retry must ask the carrier first, or the
    customer could get the text twice."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        client = PooledHttpClient(f"http://127.0.0.1:{silent.getsockname()[1]}", timeout=0.3)
        with pytest.raises(ReadTimeoutError) as lost:
            Client(ACCOUNT_SID, AUTH_TOKEN, http_client=client).messages.create(
                to=CALLER, from_=FIRM, body="x")
    assert not nothing_sent(lost.value)
