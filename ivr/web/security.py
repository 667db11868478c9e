"""Request guards: Twilio signatures on carrier-facing routes, the API token elsewhere."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import abort, jsonify, request, session

from ivr.logs import event
from ivr.twilio import urls
from ivr.twilio.rest import rest_deadline
from ivr.twilio.signature import SIGNATURE_SETTINGS_HEADER, is_valid, key_for, signed_url
from ivr.web import guessing
from ivr.web.context import current_runtime

log = logging.getLogger("ivr.security")

#: WSGI environ key holding this request's signature verdict.
_SIGNED = "ivr.twilio_signed"



def twilio_request_is_signed() -> bool:
    """Whether the current request carries a valid X-Twilio-Signature.

    Checked once per request: the retry, abuse and view guards all ask, and the HMAC over the
    URL and every form field is the largest fixed cost of a webhook. Every value of a repeated
    field is signed (the whole MultiDict goes in); a JSON body is checked against the URL's
    `bodySHA256`; a request naming a shared key is checked with TWILIO_SIGNING_KEY.
    """
    cached = request.environ.get(_SIGNED)
    if cached is not None:
        return cached
    settings = current_runtime().settings
    # host_url is only needed without IVR_PUBLIC_URL (and werkzeug builds it at some cost)
    url = signed_url(settings.public_url, "" if settings.public_url else request.host_url,
                     request.full_path)
    key = key_for(settings.auth_token, settings.signing_key,
                  request.headers.get(SIGNATURE_SETTINGS_HEADER))
    signature = request.headers.get("X-Twilio-Signature")
    if request.method == "POST" and request.is_json:
        valid = is_valid(key, url, {}, signature, body=request.get_data(as_text=True))
    else:
        valid = is_valid(key, url, request.form if request.method == "POST" else {}, signature)
    request.environ[_SIGNED] = valid
    return valid


def websocket_url(url: str) -> str:
    """The ws(s):// form of an http(s):// URL (Twilio signs Media Streams URLs so)."""
    for plain, secure in (("https://", "wss://"), ("http://", "ws://")):
        if url.startswith(plain):
            return secure + url[len(plain):]
    return url


def twilio_stream_is_signed() -> bool:
    """Whether a Media Streams WebSocket upgrade carries a valid X-Twilio-Signature.

    Twilio's docs (Media Streams, "Webhook security") say the upgrade is signed but not over
    which form of the URL: the `wss://` URL in the `<Stream>` we send (`urls.stream_url`:
    wss wherever Twilio is the carrier), or its `https://` form as for webhooks. Any of them,
    with no parameters, is accepted: each still needs the auth token to forge.
    """
    settings = current_runtime().settings
    url = signed_url(settings.public_url, request.host_url, request.full_path)
    parts = urlsplit(url)
    as_stream = urlunsplit(("ws" if parts.scheme == "http" and urls.is_loopback(url) else "wss",
                            parts.netloc, parts.path, parts.query, ""))
    key = key_for(settings.auth_token, settings.signing_key,
                  request.headers.get(SIGNATURE_SETTINGS_HEADER))
    signature = request.headers.get("X-Twilio-Signature")
    return any(is_valid(key, candidate, {}, signature)
               for candidate in dict.fromkeys((as_stream, websocket_url(url), url)))


def twilio_signed(view: Callable[..., Any]) -> Callable[..., Any]:
    """Reject (403, no side effect) any request Twilio did not sign; run a signed one under
    the webhook's REST deadline (`ivr.twilio.rest.rest_deadline`), so however slowly Twilio's
    API answers, the webhook answers Twilio well inside its 15 s."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not twilio_request_is_signed():
            event("webhook.unsigned", log, logging.WARNING, path=request.path)
            abort(403)
        with rest_deadline():
            return view(*args, **kwargs)

    return wrapper


def token_ok(given: str | None) -> bool:
    expected = current_runtime().settings.api_token
    return bool(expected) and bool(given) and hmac.compare_digest(given, expected)


#: Methods a cross-site page can make a browser send with the owner's cookie and that change
#: something: a session (not a bearer token) must show its CSRF token for these.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def csrf_matches(given: str | None) -> bool:
    """Whether `given` is this session's CSRF token (made by the dashboard's pages)."""
    expected = session.get("csrf", "")
    return bool(expected) and bool(given) and hmac.compare_digest(str(given), expected)


def _session_may(method: str) -> bool:
    """A signed-in session may read; to change anything it also shows its CSRF token
    (`X-CSRF-Token` header or `csrf_token` form field), which another site cannot know."""
    if method not in UNSAFE_METHODS:
        return True
    return csrf_matches(request.headers.get("X-CSRF-Token") or request.form.get("csrf_token"))


def api_auth(view: Callable[..., Any]) -> Callable[..., Any]:
    """Bearer IVR_API_TOKEN (or a signed-in dashboard session) or 401.

    A wrong bearer token counts against the caller's address (`guessing`); past the limit the
    address gets 429 with Retry-After, whatever token it sends, until the window passes.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        header = request.headers.get("Authorization", "")
        bearer = header[7:] if header.lower().startswith("bearer ") else None
        if bearer is None and session.get("ivr_auth"):
            if _session_may(request.method):
                return view(*args, **kwargs)
            return {"error": "forbidden: a signed-in session must send its CSRF token "
                             "(X-CSRF-Token) to change anything"}, 403
        wait_s = guessing.locked_for()
        if wait_s:
            return guessing.too_many(
                jsonify(error="too many wrong tokens from this address: try again later"),
                wait_s)
        if token_ok(bearer):
            return view(*args, **kwargs)
        if bearer is not None:
            guessing.record_failure("api")
        return {"error": "unauthorized: send Authorization: Bearer <IVR_API_TOKEN>"}, 401

    return wrapper
