"""Dashboard sign-in with IVR_API_TOKEN, the session cookie, and CSRF tokens for its forms.

The owner pastes the same token the API uses; a signed session cookie (HttpOnly, SameSite=Lax)
then carries `ivr_auth`, which `api_auth` also honours. Every form carries a per-session
CSRF token checked on POST. Failed sign-ins are counted per address in Redis and slowed to a
stop after `MAX_FAILURES`, so the token cannot be guessed by brute force.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from ivr.logs import event
from ivr.web.security import token_ok

bp = Blueprint("auth", __name__)

#: Headers on every dashboard page: no third-party code or framing, no caching of personal data.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; media-src 'self'; "
                               "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def page_headers(response: Response) -> Response:
    """Set `PAGE_HEADERS` on a dashboard response (unless a view chose otherwise)."""
    for name, value in PAGE_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


bp.after_request(page_headers)

#: Failed sign-ins allowed per client address per `FAILURE_WINDOW_S`.
MAX_FAILURES = 10
FAILURE_WINDOW_S = 15 * 60


def csrf_token() -> str:
    """This session's CSRF token (made on first use); templates call it as `csrf_token()`."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    """Abort 400 unless the posted form carries this session's CSRF token."""
    given = request.form.get("csrf_token", "")
    expected = session.get("csrf", "")
    if not expected or not hmac.compare_digest(given, expected):
        abort(400, description="This form has expired. Reload the page and try again.")


def signed_in() -> bool:
    return bool(session.get("ivr_auth"))


def may_view() -> bool:
    """Signed in, or the open local demo: what the pages' navigation shows for."""
    return signed_in() or open_demo()


def open_demo() -> bool:
    """The local demo without a token: anyone on this machine may look."""
    settings = current_app.extensions["ivr"].settings
    return settings.demo and not settings.api_token


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send anyone not signed in to the sign-in page, remembering where they were going."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not may_view():
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper


def _safe_next(target: str | None) -> str:
    """Only local paths: never an open redirect to another site."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return url_for("dashboard.overview")
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else url_for("dashboard.overview")


def _failures_key() -> str:
    store = current_app.extensions["ivr"].store
    return store.global_key("login-failures", request.remote_addr or "unknown")


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    status = 200
    if request.method == "POST":
        check_csrf()
        redis = current_app.extensions["ivr"].redis
        key = _failures_key()
        failures = int(redis.get(key) or 0)
        if failures >= MAX_FAILURES:
            error, status = "Too many attempts. Wait a few minutes and try again.", 429
        elif token_ok(request.form.get("token", "").strip()) or open_demo():
            redis.delete(key)
            session.clear()
            session["ivr_auth"] = True
            session.permanent = True
            event("dashboard.login", remote=request.remote_addr or "-")
            return redirect(_safe_next(request.form.get("next")))
        else:
            redis.incr(key)
            redis.expire(key, FAILURE_WINDOW_S)
            event("dashboard.login_failed", remote=request.remote_addr or "-")
            error, status = "That token is not right.", 401
    return render_template("login.html", error=error, next=request.values.get("next", ""),
                           demo=open_demo()), status


@bp.post("/logout")
def logout():
    check_csrf()
    session.clear()
    return redirect(url_for("auth.login"))
