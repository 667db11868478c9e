"""What the attacker tests share: the owner signing in the way a browser would, and the
payload a hostile link carries."""

from __future__ import annotations

import re

API_TOKEN = "test-api-token"

#: A script that, run in the owner's browser, would steal the conversations.
PAYLOAD = "<script>document.title='pwned';fetch('/api/conversations')</script>"

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client, path: str = "/login") -> str:
    """The CSRF token the forms on `path` carry (the sign-in page, or any signed-in page)."""
    match = _CSRF.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client, token: str = API_TOKEN):
    """Post the sign-in form with `token`, as the owner's browser would."""
    return client.post("/login", data={"csrf_token": csrf(client), "token": token, "next": ""})


def session_cookie(client, app) -> str | None:
    """The session cookie the client holds, if any."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return cookie.value if cookie is not None else None
