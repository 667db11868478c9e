"""A hostile link that puts a script in a query or path: nothing the app answers renders it.

Every route that quotes what it was sent is tried; the answer must be plain text, escaped JSON
or an escaped page, and every response carries the headers that stop a browser from running
or framing anything the app did not ship.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from analytics_seed import SINCE, record

from ivr.store.records import add_turn

from .attacker import API_TOKEN, PAYLOAD, sign_in

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
Q = quote(PAYLOAD)

#: Routes that quote (or once quoted) what they were sent, and whether they need the token.
ECHOING = [
    (f"/transfer/audio/x?b={Q}&h=x", False),
    (f"/transfer/audio/x?b=polar-bear-hvac&h={Q}", False),
    (f"/transfer/audio/{Q}?b=polar-bear-hvac&h=x", False),
    (f"/no-such-page/{Q}", False),
    (f"/login?next={Q}", False),
    (f"/api/oncall?business={Q}", True),
    (f"/api/conversations?phone={Q}", True),
    (f"/api/conversations?business={Q}", True),
    (f"/api/conversations/{Q}", True),
    (f"/api/callbacks?status={Q}", True),
    (f"/api/metrics?since={Q}", True),
    (f"/dashboard/conversations/?date={Q}", True),
    (f"/dashboard/conversations/{Q}", True),
]


def test_reflected_script_in_transfer_audio_query_is_plain_text(client):
    response = client.get(f"/transfer/audio/x?b={Q}&h=x")

    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert "<script" not in response.get_data(as_text=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("path", "needs_auth"), ECHOING)
def test_reflected_script_in_any_echoing_route_never_comes_back_as_markup(client, path,
                                                                         needs_auth):
    if needs_auth:
        sign_in(client)  # the owner opening the link: the worst case

    response = client.get(path, headers=AUTH if path.startswith("/api/") else {})
    body = response.get_data(as_text=True)

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>document" not in body, f"{path} answered {response.mimetype} with the script"
    if response.mimetype not in ("text/html", "text/plain", "application/json"):
        pytest.fail(f"{path} answered {response.mimetype}")


def test_every_error_body_is_plain_text_not_a_page(client):
    for path, method in (("/no-such-page", "GET"), ("/dashboard/", "DELETE"),
                         ("/voice/status", "POST"), ("/transfer/audio/x", "GET")):
        response = client.open(path, method=method)

        assert response.status_code >= 400, path
        assert response.mimetype == "text/plain", f"{method} {path}: {response.mimetype}"


def _said(runtime, caller: str) -> dict:
    """A stored conversation in which the caller said the payload."""
    rec = record(SINCE, caller)
    add_turn(rec, "caller", PAYLOAD, SINCE, 0.9)
    runtime.store.save(rec)
    return rec


def _pages(client, runtime) -> list[str]:
    rec = _said(runtime, "+15125550190")
    return ["/login", "/dashboard/", "/dashboard/conversations/",
            f"/dashboard/conversations/{rec['id']}", "/no-such-page"]


def test_every_html_page_carries_csp_and_nosniff(client, runtime):
    sign_in(client)

    for path in _pages(client, runtime):
        response = client.get(path)
        policy = response.headers.get("Content-Security-Policy", "")

        assert "frame-ancestors 'none'" in policy, path
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
        assert "object-src 'none'" in policy and "base-uri 'none'" in policy, path
        assert response.headers.get("X-Content-Type-Options") == "nosniff", path
        assert response.headers.get("Referrer-Policy") == "same-origin", path
        if response.mimetype == "text/html":
            body = response.get_data(as_text=True).lower()
            assert "<script>" not in body and "style=" not in body, f"inline code on {path}"


def test_every_response_says_nosniff_whatever_it_is(client):
    for path, headers in (("/api/oncall", AUTH), ("/static/dashboard.css", {}),
                          ("/healthz", {}), ("/api/conversations", {})):
        response = client.get(path, headers=headers)

        assert response.headers.get("X-Content-Type-Options") == "nosniff", path
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path


def test_a_script_a_customer_texted_is_shown_as_words_on_the_owners_page(client, runtime):
    rec = _said(runtime, "+15125550191")
    sign_in(client)

    page = client.get(f"/dashboard/conversations/{rec['id']}").get_data(as_text=True)
    api = client.get(f"/api/conversations/{rec['id']}", headers=AUTH)

    assert PAYLOAD not in page and "&lt;script&gt;" in page
    assert "<script" not in api.get_data(as_text=True)
    assert PAYLOAD in str(api.get_json())  # the same words to a JSON reader
