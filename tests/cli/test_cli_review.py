"""`ivr report`, `ivr export` and `ivr oncall` work against the embedded Redis on a fresh
machine (nothing recorded yet) and against a Redis holding conversations."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from analytics_seed import HVAC, LAW, SINCE, record
from cli_env import clean_env, ivr
from click.testing import CliRunner

from ivr.app.cli import main
from ivr.config.settings import PROJECT_ROOT
from ivr.store.conversations import Store


def test_on_a_fresh_machine_report_export_and_oncall_start_their_own_redis(tmp_path):
    env = clean_env(tmp_path / "var")
    report = ivr("report", env=env)
    assert report.returncode == 0, report.stderr[-2000:]
    assert report.stdout.startswith("# Monthly review")
    assert "Nothing went unanswered." in report.stdout
    export = ivr("export", "--format", "csv", env=env)
    assert export.returncode == 0, export.stderr[-2000:]
    assert export.stdout.splitlines()[0].startswith("id,business,channel,caller")
    assert len(export.stdout.splitlines()) == 1  # the header, no rows
    oncall = ivr("oncall", env=env)
    assert oncall.returncode == 0 and "1. Alex Kim" in oncall.stdout
    assert (tmp_path / "var" / "redis" / "port").exists()


@pytest.fixture
def recorded(redis_conn, redis_server, monkeypatch):
    """Two finished conversations in the test Redis, and the environment pointing at it."""
    store = Store(redis_conn)
    store.save(record(SINCE + timedelta(hours=9), "+15125550101", business=HVAC,
                      bucket="emergency_repair", route="human", outcome="transferred",
                      accepted=True, seconds=21.0))
    store.save(record(SINCE + timedelta(hours=10), "+15125550102", business=LAW, channel="sms",
                      bucket="intake", route="human", outcome="qualified"))
    for name in ("TWILIO_API_BASE", "IVR_VAR_DIR", "IVR_PUBLIC_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    monkeypatch.setenv("IVR_CONFIG", str(PROJECT_ROOT / "examples"))


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_export_writes_each_finished_conversation_as_csv_and_as_json_lines(recorded):
    window = ("--since", "2026-11-01", "--until", "2026-11-02")
    rows = list(csv.DictReader(io.StringIO(run("export", "--format", "csv", *window))))
    assert sorted((r["business"], r["channel"], r["caller"]) for r in rows) == [
        ("Hartley Family Law", "sms", "+15125550102"), ("Polar Bear HVAC", "voice", "+15125550101")]
    lines = [json.loads(line) for line in run("export", *window).splitlines()]
    assert {line["outcome"] for line in lines} == {"transferred", "qualified"}


def test_the_report_counts_the_recorded_conversations(recorded):
    output = run("report", "--since", "2026-11-01", "--until", "2026-11-02")
    assert "| Conversations | 2 |" in output
    assert "| Polar Bear HVAC | 1 |" in output and "| Hartley Family Law | 1 |" in output


def test_oncall_for_an_unknown_business_names_the_known_ones(recorded):
    result = CliRunner().invoke(main, ["oncall", "--business", "Nobody Inc"])
    assert result.exit_code == 1
    assert "known: Fernhill Goods, Hartley Family Law, Polar Bear HVAC" in result.output


def test_a_business_can_be_named_the_way_the_demo_takes_it(recorded):
    assert run("oncall", "--business", "hvac").startswith("Polar Bear HVAC — on call")
    output = run("report", "--business", "hartley", "--since", "2026-11-01",
                 "--until", "2026-11-02")
    assert "| Conversations | 1 |" in output
