"""The one Twilio REST client factory: every REST call goes through TWILIO_API_BASE.

The twilio library builds URLs on its own domains (https://api.twilio.com/...). A small HTTP
client subclass rewrites that origin to TWILIO_API_BASE, so calls, messages, conferences and
recordings all reach the carrier simulator in tests and Twilio in production, unchanged.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from ivr.config import DEFAULT_API_BASE, Settings

#: Seconds before a REST request to Twilio gives up (a webhook must still answer in time).
REST_TIMEOUT_S = 10.0


class BaseRewritingHttpClient(TwilioHttpClient):
    """Sends requests meant for *.twilio.com to `api_base` instead."""

    def __init__(self, api_base: str, timeout: float = REST_TIMEOUT_S) -> None:
        super().__init__(timeout=timeout)
        self.api_base = api_base.rstrip("/")

    def request(self, method, url, params=None, data=None, headers=None, auth=None,
                timeout=None, allow_redirects=False):  # noqa: D401 - same signature as parent
        parts = urlsplit(url)
        if parts.hostname and parts.hostname.endswith("twilio.com"):
            url = self.api_base + parts.path + (f"?{parts.query}" if parts.query else "")
        return super().request(method, url, params=params, data=data, headers=headers,
                               auth=auth, timeout=timeout, allow_redirects=allow_redirects)


def make_client(settings: Settings) -> Client:
    """A twilio `Client` whose every request goes to `settings.api_base`."""
    if settings.api_base.rstrip("/") == DEFAULT_API_BASE:
        http = TwilioHttpClient(timeout=REST_TIMEOUT_S)
    else:
        http = BaseRewritingHttpClient(settings.api_base)
    return Client(settings.account_sid, settings.auth_token, http_client=http)
