"""`ivr report`: the monthly review in Markdown, HTML and CSV, from seeded conversations."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import time
from datetime import timedelta
from html.parser import HTMLParser

from analytics_seed import SINCE, UNTIL, record, week
from click.testing import CliRunner
from rq import SimpleWorker

from ivr.analytics.period import Period
from ivr.analytics.report import (
    build_review,
    render_csv,
    render_html,
    render_md,
    routing_suggestions,
)
from ivr.analytics.staleness import stale_content
from ivr.app.cli import main
from ivr.config.business import load_business
from ivr.config.settings import PROJECT_ROOT
from ivr.jobs import queues as jobs

WEEK = Period(SINCE, UNTIL)


def seed(runtime, records):
    for rec in records:
        runtime.store.save(rec)


def complaints_mostly_unneeded():
    """Five complaint escalations; staff said four did not need them."""
    return [record(SINCE + timedelta(hours=i), f"+1512555020{i}", bucket="complaint",
                   route="human", outcome="transferred", accepted=True, seconds=30,
                   needed=(i == 0)) for i in range(5)]


def test_the_review_suggests_a_gentler_route_when_staff_call_escalations_unnecessary(runtime):
    seed(runtime, complaints_mostly_unneeded())

    review = build_review(runtime, WEEK)

    assert review.suggestions == [
        "complaint: 4 of 5 escalations judged unnecessary — consider bot_first"]


def test_no_suggestion_from_too_few_verdicts():
    few = {"complaint": {"route": "human", "judged_needed": 0, "judged_unneeded": 2}}
    assert routing_suggestions(few) == []


def test_markdown_review_has_metrics_with_trends_and_the_open_questions(runtime):
    seed(runtime, week())
    seed(runtime, [record(SINCE - timedelta(days=2), "+15125550210", outcome="abandoned",
                          unanswered=("Do you sell gift cards?",)),
                   record(SINCE + timedelta(days=3), "+15125550211",
                          unanswered=("Do you service boilers?",))])

    text = render_md(build_review(runtime, WEEK))

    assert "# Monthly review: 01 Nov 2026 00:00 UTC – 08 Nov 2026 00:00 UTC" in text
    assert "| Resolution rate | 45.5% | 0% | ▲ 45.5 pts |" in text
    assert "| Time to a human (p50) | 30 s | — | — |" in text
    assert "## By business" in text and "| Polar Bear HVAC |" in text
    assert "| 1 | Do you service boilers? | — | open |" in text
    assert "gift cards" not in text  # asked in the previous period, not this one
    assert "No failed jobs." in text


def test_html_review_is_a_standalone_page_with_charts(runtime):
    seed(runtime, week())

    page = render_html(build_review(runtime, WEEK))

    parser = HTMLParser()
    parser.feed(page)
    assert page.startswith("<!doctype html>")
    assert "<style>" in page and "<link" not in page and "http://" not in page.split("<svg")[0]
    assert page.count("<svg") == 2
    assert "Escalation accuracy" in page and "50%" in page


def test_csv_review_is_one_table_a_spreadsheet_can_read(runtime):
    seed(runtime, week() + complaints_mostly_unneeded())

    rows = list(csv.DictReader(io.StringIO(render_csv(build_review(runtime, WEEK)))))

    metric = {(r["business"], r["item"]): r for r in rows if r["section"] == "metric"}
    assert metric[("all", "conversations")]["value"] == "15"
    assert metric[("all", "time_to_human_p50_s")]["value"] == "30.0"
    assert metric[("Polar Bear HVAC", "conversations")]["value"] == "14"
    assert any(r["section"] == "suggestion" and r["item"] == "complaint" for r in rows)
    assert metric[("all", "escalation_accuracy")]["previous"] == ""  # undefined, not 0


def test_a_failed_background_job_shows_up_in_the_review(runtime):
    jobs.enqueue(runtime.redis, "ivr.analytics.metrics.percentile", "no second argument", retry=())
    SimpleWorker([jobs.queue(runtime.redis)], connection=runtime.redis).work(burst=True)

    text = render_md(build_review(runtime, WEEK))

    assert "`ivr.analytics.metrics.percentile`" in text and "TypeError" in text


def test_every_time_in_the_review_says_its_zone(runtime):
    jobs.enqueue(runtime.redis, "ivr.analytics.metrics.percentile", "no second argument", retry=())
    SimpleWorker([jobs.queue(runtime.redis)], connection=runtime.redis).work(burst=True)

    text = render_md(build_review(runtime, WEEK))

    assert "Generated 24 Nov 2026 16:00 UTC." in text
    [failed] = [line for line in text.splitlines() if "percentile" in line]
    assert re.match(r"- \d\d \w{3} \d{4} \d\d:\d\d UTC `", failed), failed


def test_content_untouched_for_90_days_is_listed_and_a_change_resets_it(runtime, clock):
    businesses = list(runtime.directory)
    assert stale_content(runtime.store, businesses, clock()) == []

    clock.set(clock() + timedelta(days=91))
    stale = stale_content(runtime.store, businesses, clock())

    items = {(s.business, s.item) for s in stale}
    assert ("Hartley Family Law", "params.min_budget") in items
    assert any(item.startswith("flow hvac:") for _, item in items)


def test_a_changed_param_is_no_longer_stale(runtime, clock, tmp_path):
    source = PROJECT_ROOT / "examples" / "polar_bear_hvac.yaml"
    copy = tmp_path / "polar_bear_hvac.yaml"
    shutil.copy(source, copy)
    old = time.time() - 200 * 86400
    os.utime(copy, (old, old))
    business = load_business(copy)
    before = {s.item for s in stale_content(runtime.store, [business], clock())}
    assert "params.service_area" in before  # the file itself is 200 days old

    key = next(iter(business.params))
    text = copy.read_text().replace(f"{key}:", f"{key}: 1\n  old_{key}:", 1)
    copy.write_text(text)
    after = {s.item for s in stale_content(runtime.store, [load_business(copy)], clock())}

    assert f"params.{key}" not in after


def test_ivr_report_prints_the_review_for_the_given_dates(runtime, redis_server):
    seed(runtime, week())
    env = {"REDIS_URL": redis_server.url, "IVR_CONFIG": str(PROJECT_ROOT / "examples")}

    result = CliRunner().invoke(main, ["report", "--since", "2026-11-01", "--until",
                                       "2026-11-07", "--format", "md"], env=env)

    assert result.exit_code == 0, result.output
    assert "| Conversations | 10 |" in result.output  # the 7th is included; J falls after it


def test_ivr_report_explains_a_bad_date(redis_server):
    result = CliRunner().invoke(main, ["report", "--since", "the other day"],
                                env={"REDIS_URL": redis_server.url})

    assert result.exit_code == 2
    assert "ISO 8601" in result.output


def test_ivr_report_for_one_business_as_csv(runtime, redis_server):
    seed(runtime, week())
    env = {"REDIS_URL": redis_server.url, "IVR_CONFIG": str(PROJECT_ROOT / "examples")}

    result = CliRunner().invoke(main, ["report", "--since", "2026-11-01", "--until",
                                       "2026-11-07", "--format", "csv", "--business",
                                       "Hartley Family Law"], env=env)

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {r["business"] for r in rows if r["section"] == "metric"} == {"all"}
    assert next(r for r in rows if r["item"] == "conversations")["value"] == "1"


def test_ivr_report_names_an_unknown_business(redis_server):
    result = CliRunner().invoke(main, ["report", "--business", "Nobody Inc"],
                                env={"REDIS_URL": redis_server.url})

    assert result.exit_code == 1
    assert "no business called 'Nobody Inc'" in result.output


def test_a_month_with_no_conversations_still_renders_every_format(runtime):
    review = build_review(runtime, WEEK)

    text = render_md(review)
    assert "| Resolution rate | — | — | — |" in text
    assert "No conversations in this period." in text and "Nothing went unanswered." in text
    assert "No data for this period" in render_html(review)
    rows = list(csv.DictReader(io.StringIO(render_csv(review))))
    assert next(r for r in rows if r["item"] == "resolution_rate")["value"] == ""
