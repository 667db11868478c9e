"""X-Twilio-Signature checks: rebuild the URL Twilio signed and validate with RequestValidator.

Twilio signs the public URL it was configured with, so behind a tunnel or proxy the URL must be
rebuilt from IVR_PUBLIC_URL (or, when trusted, X-Forwarded-Proto/Host) — never from the
internal address the request arrived on.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import urlparse

from twilio.request_validator import RequestValidator, add_port, remove_port


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


def is_valid(auth_token: str, url: str, params: Mapping[str, str], signature: str | None) -> bool:
    """True when `signature` is Twilio's HMAC of `url` and `params` under `auth_token`."""
    if not signature or not auth_token:
        return False
    validator = _validator(auth_token)
    parsed = urlparse(url)
    # Twilio accepts a signature over the URL with or without its port (RequestValidator
    # checks both, always). Same two candidates here, the URL as given first, so a genuine
    # request costs one HMAC, not two; compared in constant time.
    given = signature.encode("utf-8", "replace")
    fields = dict(params)
    forms = (add_port(parsed), remove_port(parsed))
    for form in (forms if parsed.port else forms[::-1]):
        if hmac.compare_digest(validator.compute_signature(form, fields).encode(), given):
            return True
    return False


@lru_cache(maxsize=8)
def _validator(auth_token: str) -> RequestValidator:
    """One validator per token (it only holds the token; built once, not per request)."""
    return RequestValidator(auth_token)


def sign(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """Compute the signature Twilio would send (used by the carrier simulator)."""
    return RequestValidator(auth_token).compute_signature(url, dict(params))
