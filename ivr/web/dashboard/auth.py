"""Dashboard sign-in with IVR_API_TOKEN, the session cookie, and CSRF tokens for its forms.

The owner pastes the same token the API uses; the server-side session (`ivr.web.sessions`:
the cookie is only its id) then carries `ivr_auth`, which `api_auth` also honours. Every form
carries a per-session CSRF token checked on POST. Failed sign-ins count against the address
(`ivr.web.guessing`, shared with wrong API tokens): past the limit it is answered 429 with
Retry-After, while the owner can still sign in from anywhere else.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from ivr.logs import event
from ivr.web import guessing
from ivr.web.context import current_runtime
from ivr.web.security import csrf_matches, token_ok

bp = Blueprint("auth", __name__)

#: Headers on every dashboard page: no caching of personal data. (The security headers every
#: response carries are set app-wide by `ivr.web.hardening`.)
PAGE_HEADERS = {
    "Cache-Control": "no-store",
}


def page_headers(response: Response) -> Response:
    """Set `PAGE_HEADERS` on a dashboard response (unless a view chose otherwise)."""
    for name, value in PAGE_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


bp.after_request(page_headers)

def csrf_token() -> str:
    """This session's CSRF token (made on first use); templates call it as `csrf_token()`."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    """Abort 400 unless the posted form carries this session's CSRF token."""
    if not csrf_matches(request.form.get("csrf_token")):
        abort(400, description="This form has expired. Reload the page and try again.")


def signed_in() -> bool:
    return bool(session.get("ivr_auth"))


def may_view() -> bool:
    """Signed in, or the open local demo: what the pages' navigation shows for."""
    return signed_in() or open_demo()


def open_demo() -> bool:
    """The local demo without a token: anyone on this machine may look."""
    settings = current_runtime().settings
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


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    status = 200
    wait_s = 0
    if request.method == "POST":
        check_csrf()
        wait_s = guessing.locked_for()
        if wait_s:
            error, status = "Too many attempts from here. Wait a few minutes and try again.", 429
        elif token_ok(request.form.get("token", "").strip()) or open_demo():
            guessing.forgive()
            session.clear()
            session["ivr_auth"] = True
            session.regenerate()  # type: ignore[attr-defined]  # a fresh id: no fixation
            event("dashboard.login", remote=guessing.client_address())
            return redirect(_safe_next(request.form.get("next")))
        else:
            guessing.record_failure("login")
            event("dashboard.login_failed", remote=guessing.client_address())
            error, status = "That token is not right.", 401
    response = make_response(render_template(
        "login.html", error=error, next=request.values.get("next", ""), demo=open_demo()), status)
    return guessing.too_many(response, wait_s) if wait_s else response


@bp.post("/logout")
def logout():
    check_csrf()
    session.clear()
    return redirect(url_for("auth.login"))
