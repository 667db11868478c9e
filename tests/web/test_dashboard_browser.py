"""The dashboard in a real headless Chromium: sign in, read the cards, follow a conversation,
filter by bucket, mark an unanswered question handled. Screenshots land in the test's tmp_path.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from analytics_seed import record, week
from browsing import launched, needs_chromium
from playwright.sync_api import Browser, Page, expect

from ivr.sim import LiveServer

pytestmark = needs_chromium


@pytest.fixture
def browser() -> Iterator[Browser]:
    with launched() as chromium:
        yield chromium


@pytest.fixture
def served(app, runtime, clock) -> Iterator[str]:
    """The app on loopback with the seeded week and three unanswered questions, its public URL
    plain http like the browser's (an https one would make the session cookie Secure)."""
    runtime.settings = runtime.settings.with_(public_url="http://ivr.test")
    for rec in week():
        runtime.store.save(rec)
    for i, question in enumerate(["Do you install heat pumps?", "do you install heat pumps",
                                  "Can I pay with Bitcoin?"]):
        runtime.store.save(record(clock() - timedelta(days=3) + timedelta(hours=i), f"+1512555030{i}",
                                  bucket="quote", route="bot_first", outcome="resolved",
                                  unanswered=(question,)))
    with LiveServer(app) as server:
        yield server.url


def sign_in(page: Page, url: str, shots) -> None:
    page.goto(url + "/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.screenshot(path=str(shots / "login.png"))
    page.get_by_label("Access token").fill("test-api-token")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Last 30 days")).to_be_visible()


def test_owner_reviews_the_month_in_a_real_browser(browser: Browser, served: str, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, served, tmp_path)

    cards = page.locator(".card")
    expect(cards).to_have_count(6)
    expect(page.locator('.card[data-metric="resolution_rate"] .value')).to_have_text("64.3%")  # 9 of 14
    expect(page.locator('.card[data-metric="time_to_human_p50_s"] .value')).to_have_text("30 s")
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)

    row = page.locator('tr[data-question="Do you install heat pumps?"]')
    expect(row.locator("td.num")).to_contain_text("2")
    row.get_by_role("button", name="Mark “Do you install heat pumps?” handled").click()
    expect(page.get_by_role("status")).to_contain_text("Marked handled")
    expect(row.get_by_text("Handled")).to_be_visible()

    page.get_by_label("Business", exact=True).select_option(label="Hartley Family Law")
    expect(page).to_have_url(f"{served}/dashboard/?days=30&business=hartley-family-law")
    expect(page.locator('.card[data-metric="conversations"] .value')).to_have_text("1")

    page.get_by_role("link", name="Conversations", exact=True).click()
    page.get_by_label("Bucket").select_option("complaint")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("table.conversations tbody tr")
    expect(rows).to_have_count(1)
    page.screenshot(path=str(tmp_path / "conversations.png"), full_page=True)
    rows.first.get_by_role("link").click()

    expect(page.get_by_role("heading", name="Transcript")).to_be_visible()
    expect(page.get_by_text("confidence 87%")).to_be_visible()
    expect(page.get_by_text("did not need a person")).to_be_visible()
    page.screenshot(path=str(tmp_path / "conversation.png"), full_page=True)
    assert (tmp_path / "dashboard.png").stat().st_size > 10_000
