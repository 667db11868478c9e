"""The one Twilio REST client factory: every REST call goes through TWILIO_API_BASE.

The twilio library builds URLs on its own domains (https://api.twilio.com/...). Our HTTP client
rewrites that origin to TWILIO_API_BASE, so calls, messages, conferences and recordings all reach
the carrier simulator in tests and Twilio in production, unchanged.

It is twilio's `HttpClient` interface on a urllib3 connection pool rather than the library's
default (requests): a REST call is made inside a webhook whenever a transfer dials, and requests
spent about 0.6 ms of CPU more per call on preparing and merging settings we never use
(measured against the carrier simulator). Behaviour kept from the default: the environment's
HTTPS_PROXY / HTTP_PROXY / NO_PROXY, REQUESTS_CA_BUNDLE (else certifi's CA bundle), no
redirects, no retries (a job retries, with backoff, knowing whether anything was sent: see
`ivr.handoff.outbound.nothing_sent`). The environment is read when the client is built.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import urlencode, urlsplit

import certifi
import urllib3
from twilio.http import HttpClient
from twilio.http.response import Response
from twilio.rest import Client

from ivr.config.settings import DEFAULT_API_BASE, Settings

#: Seconds before a REST request to Twilio gives up, to connect and again to read. REST calls
#: run inside webhooks (a transfer's dial, a caller redirected to voicemail), and Twilio gives
#: up on a webhook at 15 s and plays "an application error has occurred": two short waits
#: (at most 8 s together) leave the webhook time to answer with a fallback. Work that can
#: wait for a slow API is queued as a job, which retries.
REST_TIMEOUT_S = 4.0
#: Seconds after a webhook arrives by which every REST request it makes must be over. Twilio
#: gives up on a webhook at 15 s; a transfer's webhook may dial, pass to the next person and
#: redirect the caller, each request with its own timeouts, so the sum is bounded here: past
#: the deadline no request is started (`RestBudgetSpent`: nothing was sent) and one under way
#: is cut at it. What is left is done by a job, and the webhook still has ~7 s to answer.
WEBHOOK_REST_BUDGET_S = 8.0
#: A request is not started with less than this left: it would time out before Twilio answers.
MIN_REQUEST_S = 0.5
#: Pooled connections kept per host: one per gunicorn thread that may be dialling at once.
POOL_SIZE = 32
_JSON_TYPES = ("application/json", "application/scim+json")


#: The monotonic time by which this request's REST calls must be over (None: no deadline, as in
#: a job, which has its own retries).
_deadline: ContextVar[float | None] = ContextVar("ivr_rest_deadline", default=None)


class RestBudgetSpent(RuntimeError):
    """The webhook's time for REST calls is used up: this request was not sent at all, so a
    job may safely do it instead (unlike a timeout, after which Twilio may have acted)."""

    status = None  # not the carrier's answer: `carrier_said_no` is False for it


@contextmanager
def rest_deadline(seconds: float = WEBHOOK_REST_BUDGET_S) -> Iterator[None]:
    """Bound every REST request made inside the block to end `seconds` from now (a webhook's
    budget: see `WEBHOOK_REST_BUDGET_S`). Nested blocks keep the earlier deadline."""
    ends = time.monotonic() + seconds
    current = _deadline.get()
    token = _deadline.set(ends if current is None else min(current, ends))
    try:
        yield
    finally:
        _deadline.reset(token)


def time_left() -> float | None:
    """Seconds left for REST calls in this request, or None when it has no deadline."""
    ends = _deadline.get()
    return None if ends is None else ends - time.monotonic()


def ca_bundle() -> str:
    """The CA certificates to trust: the environment's bundle if it names one (a company's own
    CA in front of the internet; the variables requests and OpenSSL read), else certifi's."""
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
        if os.environ.get(name):
            return os.environ[name]
    return certifi.where()


class PooledHttpClient(HttpClient):
    """twilio's HttpClient on urllib3; sends requests meant for *.twilio.com to `api_base`."""

    def __init__(self, api_base: str = DEFAULT_API_BASE, timeout: float = REST_TIMEOUT_S) -> None:
        super().__init__(logging.getLogger("twilio.http_client"), False, timeout)
        self.api_base = api_base.rstrip("/")
        self.rewrite = self.api_base != DEFAULT_API_BASE
        self.direct = urllib3.PoolManager(maxsize=POOL_SIZE, ca_certs=ca_bundle())
        self.proxies = urllib.request.getproxies()  # read once: it scans the whole environment
        self.routes: dict[str, urllib3.PoolManager] = {}  # "scheme://host" → its pool

    def request(self, method: str, url: str, params: dict | None = None,
                data: dict | None = None, headers: dict | None = None,
                auth: tuple[str, str] | None = None, timeout: float | None = None,
                allow_redirects: bool = False) -> Response:
        parts = urlsplit(url)
        if self.rewrite and parts.hostname and parts.hostname.endswith("twilio.com"):
            url = self.api_base + parts.path + (f"?{parts.query}" if parts.query else "")
        if params:
            url += ("&" if "?" in url else "?") + urlencode(params, doseq=True)
        sent = dict(headers or {})
        if auth is not None:
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
            sent["Authorization"] = f"Basic {token}"
        body = None
        if data:
            if sent.get("Content-Type") in _JSON_TYPES:
                body = json.dumps(data)
            else:
                body = urlencode(data, doseq=True)
                sent["Content-Type"] = "application/x-www-form-urlencoded"
        wait = timeout if timeout is not None else self.timeout
        left = time_left()
        if left is not None and left < MIN_REQUEST_S:
            raise RestBudgetSpent(f"no time left for {method.upper()} {parts.path}")
        limit = urllib3.Timeout(connect=wait, read=wait, total=left)
        reply = self._pool(url).request(
            method.upper(), url, body=body, headers=sent, redirect=allow_redirects,
            retries=False, timeout=limit)
        self._test_only_last_response = Response(reply.status, reply.data.decode("utf-8"),
                                                 reply.headers)
        return self._test_only_last_response

    def _pool(self, url: str) -> urllib3.PoolManager:
        """The direct pool, or a proxy's when the environment names one for this host (decided
        once per scheme and host: NO_PROXY is read from the environment at each decision)."""
        parts = urlsplit(url)
        route = f"{parts.scheme}://{parts.hostname}"
        pool = self.routes.get(route)
        if pool is None:
            proxy = self.proxies.get(parts.scheme)
            if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
                pool = self.direct
            else:
                pool = urllib3.ProxyManager(proxy, maxsize=POOL_SIZE, ca_certs=ca_bundle())
            self.routes[route] = pool
        return pool

    def close(self) -> None:
        """Close the pooled connections (a runtime rebuilt for another API base, tests)."""
        self.direct.clear()
        for pool in self.routes.values():  # the direct pool may be among them: harmless
            pool.clear()


def make_client(settings: Settings) -> Client:
    """A twilio `Client` whose every request goes to `settings.api_base`."""
    return Client(settings.account_sid, settings.auth_token,
                  http_client=PooledHttpClient(settings.api_base))
