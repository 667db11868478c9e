"""X-Twilio-Signature checks: rebuild the URL Twilio signed and validate as RequestValidator does.

Twilio signs the public URL it was configured with, so behind a tunnel or proxy the URL must be
rebuilt from IVR_PUBLIC_URL (or, when trusted, X-Forwarded-Proto/Host) — never from the
internal address the request arrived on.

What is signed (the installed twilio library's `RequestValidator`, which we match):
- a form POST: the URL, then every field name sorted, each followed by each of its values
  sorted — a field Twilio sends twice is signed with both values, so the whole multi-valued
  form must be passed, never a dict that keeps the first;
- a JSON body: the URL alone, which carries `bodySHA256` (the body's hex SHA-256) in its query
  string; the body is checked against that hash, so neither can change without the other;
- the key: the account's Auth Token (HMAC-SHA1), or, when the request carries
  `X-Twilio-Webhooks-Signature-Settings: key=<id>,algorithm=HMAC_SHA256`, the webhook shared
  key's secret with the algorithm it names (TWILIO_SIGNING_KEY).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol
from urllib.parse import parse_qs, urlparse

from twilio.request_validator import (
    HMAC_SHA1,
    SIGNATURE_SETTINGS_HEADER,
    RequestValidator,
    add_port,
    get_signature_algorithm,
    remove_port,
)

__all__ = ["HMAC_SHA1", "SIGNATURE_SETTINGS_HEADER", "Fields", "Key", "body_sha256", "is_valid",
           "key_for", "sign", "signed_url"]


class MultiValued(Protocol):
    """A form that may hold a field more than once (werkzeug's MultiDict is one)."""

    def getlist(self, key: str) -> list[str]: ...

    def __iter__(self) -> Iterator[str]: ...


#: A form: a multi-valued form as received, a plain mapping, or one whose values are lists
#: (each value of a list is sent, and signed, as a repeated field).
Fields = MultiValued | Mapping[str, str] | Mapping[str, list[str]]


class _Form(dict[str, list[str]]):
    """Every value of every field, in the shape RequestValidator reads: `getall` is what it
    asks first (then `getlist`), so it finds it at once rather than after an AttributeError
    per field, a visible share of checking a webhook."""

    def getlist(self, key: str) -> list[str]:
        return self[key]

    getall = getlist


def _form(params: Fields) -> _Form:
    lists = getattr(params, "lists", None)
    if lists is not None:  # werkzeug's MultiDict, as a request's form arrives: all at once
        return _Form((name, [str(v) for v in values]) for name, values in lists())
    getlist = getattr(params, "getlist", None)
    form = _Form()
    for name in params:
        values = getlist(name) if getlist else params[name]  # type: ignore[index]
        form[name] = ([str(v) for v in values] if isinstance(values, (list, tuple))
                      else [str(values)])
    return form


@dataclass(frozen=True)
class Key:
    """The secret a request was signed with and the HMAC it names."""

    secret: str
    algorithm: str = HMAC_SHA1


def key_for(auth_token: str, signing_key: str, settings_header: str | None) -> Key:
    """The key to check a request with: the webhook shared key's secret and the algorithm
    named in `X-Twilio-Webhooks-Signature-Settings` when the request carries that header (and
    "" — refused — if no TWILIO_SIGNING_KEY is configured), else the Auth Token, HMAC-SHA1."""
    if settings_header:
        return Key(signing_key, get_signature_algorithm(settings_header))
    return Key(auth_token)


def signed_url(public_url: str, host_url: str, full_path: str) -> str:
    """The URL Twilio signed: the public base (or the request's own) plus path and query.

    Args:
        public_url: IVR_PUBLIC_URL, e.g. "https://ivr.example.com" ("" when unset).
        host_url: the request's own scheme://host/ (after any trusted proxy headers).
        full_path: path plus query string as received ("/sms/incoming?x=1").
    """
    base = (public_url or host_url).rstrip("/")
    path = full_path[:-1] if full_path.endswith("?") else full_path
    return base + path


def is_valid(key: Key | str, url: str, params: Fields, signature: str | None, *,
             body: str | None = None) -> bool:
    """True when `signature` is Twilio's HMAC of `url` and `params` (every value of every
    field) under `key` (a `Key`, or an Auth Token for HMAC-SHA1).

    Args:
        body: the raw body of a JSON request: then `url` must carry `bodySHA256`, the body must
            hash to it, and only the URL is signed (`params` is ignored).
    """
    key = key if isinstance(key, Key) else Key(key)
    if not signature or not key.secret:
        return False
    parsed = urlparse(url)
    fields: Fields = params
    if body is not None:
        claimed = parse_qs(parsed.query).get("bodySHA256", [""])[0]
        if not claimed or not hmac.compare_digest(body_sha256(body), claimed):
            return False  # a JSON body nobody vouched for, or one changed on the way
        fields = {}
    validator = _validator(key.secret)
    try:
        form = _form(fields)
        # Twilio accepts a signature over the URL with or without its port (RequestValidator
        # checks both, always). Same two candidates here, the URL as given first, so a genuine
        # request costs one HMAC, not two; compared in constant time.
        given = signature.encode("utf-8", "replace")
        forms = (add_port(parsed), remove_port(parsed))
        for candidate in (forms if parsed.port else forms[::-1]):
            computed = validator.compute_signature(candidate, form, key.algorithm)
            if hmac.compare_digest(computed.encode(), given):
                return True
    except ValueError:  # an algorithm the library does not know: not a signature we can trust
        return False
    return False


@lru_cache(maxsize=8)
def _validator(secret: str) -> RequestValidator:
    """One validator per secret (it only holds the secret; built once, not per request)."""
    return RequestValidator(secret)


def sign(secret: str, url: str, params: Fields, algorithm: str = HMAC_SHA1) -> str:
    """Compute the signature Twilio would send (used by the carrier simulator): every value of
    a repeated field counts."""
    return RequestValidator(secret).compute_signature(url, _form(params), algorithm)


def body_sha256(body: str) -> str:
    """The `bodySHA256` Twilio adds to the URL of a webhook with a JSON body."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
