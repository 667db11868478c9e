"""Signed webhooks, the way Twilio sends them: form POST (or GET), X-Twilio-Signature over the
PUBLIC url, delivered to wherever the app really listens.

Twilio signs the URL it was configured with (IVR_PUBLIC_URL + path); the app rebuilds that URL
to validate. The sim therefore signs `public_url + path` and sends to `app_url + path`, so a
test exercises the same proxy/tunnel situation production has.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlencode, urljoin, urlsplit

import requests

from ivr.twilio.signature import SIGNATURE_SETTINGS_HEADER, sign

#: What a webhook's form may hold: one value per field, or a list for a field sent repeatedly
#: (Twilio signs every value, sorted, so a repeated field must reach the app as sent).
Params = Mapping[str, str | list[str] | None]

log = logging.getLogger("ivr.sim")

#: Twilio gives up on a webhook after 15 seconds.
WEBHOOK_TIMEOUT_S = 15.0

Signing = Literal["valid", "missing", "wrong"]


@dataclass
class Exchange:
    """One request the sim made to the app and what came back (for debugging and tests)."""

    method: str
    url: str
    params: dict[str, str | list[str]]
    status: int = 0
    body: str = ""
    content_type: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and 200 <= self.status < 300


@dataclass
class Webhooks:
    """Where the app lives and how to sign for it.

    Attributes:
        auth_token: the account's token; the HMAC key of X-Twilio-Signature.
        signing_key: a webhook shared key's secret; when set, webhooks are signed with it
            (HMAC-SHA256) and say so in X-Twilio-Webhooks-Signature-Settings, as Twilio does
            for an account whose webhooks a shared key signs.
        app_url: where requests are really sent (the live server), no trailing slash.
        public_url: the base the app believes Twilio sees (IVR_PUBLIC_URL); signed URLs use it.
        log: every exchange, in order.
    """

    auth_token: str
    app_url: str = ""
    public_url: str = ""
    signing_key: str = ""
    signing_key_sid: str = "webhooks_sharedkey_sim"
    log: list[Exchange] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def connect(self, app_url: str, public_url: str | None = None) -> None:
        self.app_url = app_url.rstrip("/")
        self.public_url = (public_url or app_url).rstrip("/")

    def absolute(self, url: str, base: str | None = None) -> str:
        """Resolve `url` (maybe relative) against `base` (the current document) or the public
        base, as Twilio resolves relative URLs in TwiML."""
        return urljoin(base or (self.public_url + "/"), url)

    def target(self, url: str) -> str:
        """Where a request for the public `url` is really sent."""
        if self.public_url and url.startswith(self.public_url):
            rest = url[len(self.public_url):]
            if not rest or rest[0] in "/?":
                return self.app_url + rest
        return url

    def local_ws(self, url: str) -> str:
        """The ws:// address a Media Stream for the public wss:// `url` really connects to."""
        parts = urlsplit(url)
        as_http = url.replace(parts.scheme, "https" if parts.scheme == "wss" else "http", 1)
        public = urlsplit(self.public_url)
        if parts.netloc == public.netloc:
            as_http = self.app_url + parts.path + (f"?{parts.query}" if parts.query else "")
        return as_http.replace("https://", "wss://", 1).replace("http://", "ws://", 1)

    def request(self, url: str, params: Params, method: str = "POST",
                signing: Signing = "valid", timeout: float = WEBHOOK_TIMEOUT_S,
                idempotency: str | None = None) -> Exchange:
        """Send one signed webhook to the (absolute, public) `url`; never raises for HTTP trouble.

        Args:
            url: absolute public URL (resolve relative ones with `absolute` first).
            params: form parameters (query parameters for GET); a list value is sent as the
                same field repeated, once per value, and signed so.
            method: "POST" or "GET", as the TwiML/REST `method` attribute says.
            signing: "valid", or "missing"/"wrong" to check the app refuses forged requests.
            idempotency: what makes this delivery unique (a replayed retry repeats it, so it
                carries the same I-Twilio-Idempotency-Token); default: a fresh token.
        """
        method = (method or "POST").upper()
        form: dict[str, str | list[str]] = {
            k: [str(x) for x in v] if isinstance(v, list) else str(v)
            for k, v in params.items() if v is not None}
        signed_url, data = url, form
        if method == "GET":
            signed_url = (url + ("&" if "?" in url else "?") + urlencode(form, doseq=True)
                          if form else url)
            data = {}
        headers = {
            "User-Agent": "TwilioProxy/1.1",
            "I-Twilio-Idempotency-Token": str(uuid.uuid5(uuid.NAMESPACE_URL,
                                                         f"{idempotency}|{url}")
                                              if idempotency else uuid.uuid4()),
            "X-Home-Region": "us1",
            "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
        }
        secret, algorithm = self.auth_token, "HMAC_SHA1"
        if self.signing_key:
            secret, algorithm = self.signing_key, "HMAC_SHA256"
            headers[SIGNATURE_SETTINGS_HEADER] = (f"key={self.signing_key_sid},"
                                                  f"algorithm={algorithm}")
        if signing == "valid":
            headers["X-Twilio-Signature"] = sign(secret, signed_url, data, algorithm)
        elif signing == "wrong":
            headers["X-Twilio-Signature"] = sign(secret + "x", signed_url, data, algorithm)
        exchange = Exchange(method, signed_url, form)
        try:
            response = requests.request(method, self.target(signed_url), data=data or None,
                                        headers=headers, timeout=timeout,
                                        allow_redirects=False)
            exchange.status = response.status_code
            exchange.body = response.text
            exchange.content_type = response.headers.get("Content-Type", "")
        except requests.RequestException as exc:
            exchange.error = f"{type(exc).__name__}: {exc}"
        if not exchange.ok:
            log.warning("sim webhook %s %s -> %s %s", method, url, exchange.status,
                        exchange.error)
        with self._lock:
            self.log.append(exchange)
        return exchange

    def fetch(self, url: str, timeout: float = WEBHOOK_TIMEOUT_S) -> Exchange:
        """GET a media URL (a <Play> file), signed like Twilio's own fetches."""
        return self.request(url, {}, method="GET", timeout=timeout)
