"""A signed-in owner opens a hostile link in a real headless Chromium: the script it carries
must not run (it would rename the page and send the conversations to another host)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from browsing import launched, needs_chromium
from playwright.sync_api import Browser, Page, expect

from ivr.sim import LiveServer

pytestmark = needs_chromium

#: What the link's script would do: mark the page, then read the API with the owner's cookie
#: and post what it read to the attacker (here a path on the app, so it is seen if sent).
STEAL = ("<script>document.title='pwned';fetch('/api/conversations').then(r=>r.text())"
         ".then(t=>fetch('/stolen',{method:'POST',body:t}))</script>")

#: Every route that quotes what it was sent, each carrying the script.
LINKS = [
    "/transfer/audio/x?b={p}&h=x",
    "/transfer/audio/x?b=polar-bear-hvac&h={p}",
    "/no-such-page/{p}",
    "/login?next={p}",
    "/api/oncall?business={p}",
    "/api/conversations?phone={p}",
    "/api/conversations/{p}",
    "/api/callbacks?status={p}",
    "/dashboard/conversations/?date={p}",
    "/dashboard/conversations/{p}",
]


@pytest.fixture
def browser() -> Iterator[Browser]:
    with launched() as chromium:
        yield chromium


@pytest.fixture
def served(app) -> Iterator[str]:
    with LiveServer(app) as server:
        yield server.url


def sign_in(page: Page, url: str) -> None:
    page.goto(url + "/login")
    page.get_by_label("Access token").fill("test-api-token")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Last 30 days")).to_be_visible()


def test_reflected_script_in_a_link_does_not_run_for_a_signed_in_owner(browser: Browser,
                                                                       served: str):
    page = browser.new_page()
    sign_in(page, served)
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url))

    for link in LINKS:
        url = served + link.format(p=quote(STEAL))
        page.goto(url)
        page.wait_for_timeout(150)  # time for a script, had it run, to fetch

        assert page.title() != "pwned", f"the script ran on {link}"
        assert served + "/api/conversations" not in sent, f"the script read the API on {link}"
        assert served + "/stolen" not in sent, f"data left on {link}"
        sent.clear()

    page.goto(served + "/dashboard/")  # and the owner is still signed in, nothing changed
    expect(page.get_by_role("heading", name="Last 30 days")).to_be_visible()
