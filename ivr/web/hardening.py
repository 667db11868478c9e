"""What every response from this app carries, set in one place: security headers, plain-text
error bodies and JSON that a browser can never read as markup.

A reflected value is only dangerous when a browser renders it as HTML, so the app gives it
no chance: errors are `text/plain`, JSON escapes `<`, `>` and `&`, every response says
`nosniff` (no guessing HTML out of text), and the Content-Security-Policy allows no inline
script, so even a page that did echo markup could not run it. A few lines of our own rather
than a headers library: the whole policy is the dictionary below (docs/security.md says why).
"""

from __future__ import annotations

from typing import Any, NoReturn

from flask import Flask, Response, abort
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import HTTPException

#: Only this origin's files: no inline script or style (the dashboard's script and styles are
#: static files), no plugins, no framing by other sites, forms post only back here.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'"
)

#: Set on every response (a view may choose its own value for any of them).
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),  # frame-ancestors for browsers that predate CSP 2
    ("Referrer-Policy", "same-origin"),
)


def security_headers(response: Response) -> Response:
    """Add `SECURITY_HEADERS` to a response (TwiML and audio too: they cost nothing there).
    The response's own header names are read once (each `in` on werkzeug's headers is a
    scan of them all), and each missing one is appended."""
    headers = response.headers
    present = {name.lower() for name, _value in headers.items()}
    for name, value in SECURITY_HEADERS:
        if name.lower() not in present:
            headers.add(name, value)
    return response


def plain_text(status: int, message: str) -> Response:
    """A `text/plain` response: whatever `message` quotes is shown, never rendered."""
    return Response(message + "\n", status=status, mimetype="text/plain")


def fail(status: int, message: str) -> NoReturn:
    """Stop the request with a plain-text `message` (use instead of `abort(Response(...))`)."""
    abort(plain_text(status, message))


def error_as_text(exc: HTTPException) -> Response:
    """Every HTTP error as plain text: werkzeug's own pages are HTML, and a view's
    `abort(Response(...))` defaults to `text/html` with whatever it quoted."""
    if exc.response is not None:
        exc.response.mimetype = "text/plain"
        return exc.response
    response = plain_text(exc.code or 500, f"{exc.code} {exc.name}: {exc.description}")
    for name, value in exc.get_headers():  # e.g. Allow on a 405
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


class EscapedJSONProvider(DefaultJSONProvider):
    """JSON with `<`, `>` and `&` written as `\\u003c`-style escapes: the same data to any JSON
    parser, but no markup if a browser ever sniffs it as HTML."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        text = super().dumps(obj, **kwargs)
        if "<" in text or ">" in text or "&" in text:
            text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return text


def init_app(app: Flask) -> None:
    """Install the headers, the plain-text error bodies and the escaping JSON provider."""
    app.json = EscapedJSONProvider(app)
    app.after_request(security_headers)
    app.register_error_handler(HTTPException, error_as_text)
