"""Signing in to the dashboard from Flask's test client, the way a browser would."""

from __future__ import annotations

import re

API_TOKEN = "test-api-token"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client, path: str = "/login") -> str:
    """The CSRF token a page's forms carry."""
    match = _CSRF.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client, token: str = API_TOKEN, next_: str = ""):
    return client.post("/login", data={"csrf_token": csrf(client), "token": token,
                                       "next": next_})
