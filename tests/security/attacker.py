"""What the attacker tests share: the owner signing in the way a browser would, and the
payload a hostile link carries (signing in is `dashboard_session`'s, shared with the dashboard's
own tests)."""

from __future__ import annotations

from dashboard_session import API_TOKEN, csrf, sign_in

__all__ = ["API_TOKEN", "PAYLOAD", "csrf", "session_cookie", "sign_in"]

#: A script that, run in the owner's browser, would steal the conversations.
PAYLOAD = "<script>document.title='pwned';fetch('/api/conversations')</script>"


def session_cookie(client, app) -> str | None:
    """The session cookie the client holds, if any."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return cookie.value if cookie is not None else None
