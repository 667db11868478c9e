"""Personal data never reaches disk raw: a card number or SSN texted while Redis is down, an
export written for a CRM, or a log line; and the files that hold such data are ours alone."""

from __future__ import annotations

import json
import logging
import stat
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from own_redis import OwnRedisApp, app_on_own_redis

from ivr.app.cli import main
from ivr.logs import event
from ivr.store.records import add_turn, iso, new_conversation
from ivr.web.degraded import spool_of

LAW = "+15125550100"
TEXTER = "+15125550199"
CARD = "4111 1111 1111 1111"
SSN = "123-45-6789"
PII = f"I need help with a custody case in Texas, my card is {CARD} and my SSN is {SSN}"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def no_pii(text: str) -> bool:
    digits = text.replace(" ", "").replace("-", "")
    return "4111111111111111" not in digits and "123456789" not in digits


@pytest.fixture
def outage(settings, clock, tmp_path) -> Iterator[OwnRedisApp]:
    """The real app on a Redis of its own that the test can kill and bring back."""
    with app_on_own_redis(settings, clock, tmp_path) as app:
        yield app


def test_card_number_texted_during_redis_outage_is_masked_on_disk(outage, caplog):
    caplog.set_level(logging.DEBUG)
    texter = outage.carrier.phone(TEXTER)
    outage.server.kill()
    replies = texter.text(LAW, PII)
    assert replies and "we have your message" in replies[0]
    spool = spool_of(outage.runtime).path
    on_disk = spool.read_text(encoding="utf-8")
    assert "custody case" in on_disk and no_pii(on_disk), on_disk
    assert "[card number]" in on_disk and "[ssn]" in on_disk
    assert all(no_pii(r.getMessage()) for r in caplog.records)


def test_spool_file_is_private(outage):
    outage.server.kill()
    outage.carrier.phone(TEXTER).text(LAW, PII)
    spool = spool_of(outage.runtime).path
    assert mode(spool) == 0o600
    assert mode(spool.with_suffix(".lock")) == 0o600
    assert mode(spool.parent) == 0o700


def test_a_masked_spooled_text_still_replays_end_to_end(outage):
    texter = outage.carrier.phone(TEXTER)
    outage.server.kill()
    texter.text(LAW, PII)
    outage.server.start()
    urllib.request.urlopen(outage.live.url + "/healthz", timeout=5).close()  # starts the replay
    law = outage.runtime.directory.by_number(LAW)
    outage.carrier.wait_for(lambda: outage.runtime.store.conversations([law.key]), timeout=10)
    [record] = outage.runtime.store.conversations([law.key])
    first = record["transcript"][0]["text"]
    assert "custody case" in first and "[card number]" in first and no_pii(json.dumps(record))
    texter.wait_for_text("Hartley Family Law", timeout=10)  # the flow's reply, sent by REST
    outage.carrier.wait_for(lambda: spool_of(outage.runtime).pending() == 0, timeout=10)
    assert mode(spool_of(outage.runtime).path) == 0o600  # rewritten by the replay: still ours


def test_an_old_world_readable_spool_is_made_private_on_next_write(outage):
    spool = spool_of(outage.runtime).path
    spool.parent.mkdir(parents=True)
    spool.parent.chmod(0o755)
    spool.write_text("")
    spool.chmod(0o644)
    outage.server.kill()
    outage.carrier.phone(TEXTER).text(LAW, PII)
    assert mode(spool) == 0o600 and mode(spool.parent) == 0o700


def finished_record_stored_raw(runtime):
    """A finished conversation whose voicemail transcript was stored before it was masked."""
    business = runtime.directory.by_number(LAW)
    now = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
    record = new_conversation(business=business.name, business_key=business.key,
                              channel="voice", caller=TEXTER, flow="law_firm", now=now)
    add_turn(record, "caller", PII, now)
    record["voicemail"] = {"transcript": f"call me back my card is {CARD} social {SSN}"}
    record["ended_at"] = iso(now)
    runtime.store.save(record)
    return record


def test_export_file_is_private_and_masked(runtime, settings, tmp_path):
    record = finished_record_stored_raw(runtime)
    env = {"REDIS_URL": settings.redis_url, "IVR_CONFIG": str(settings.config_path)}
    for fmt in ("csv", "jsonl"):
        out = tmp_path / "exports" / f"all.{fmt}"
        result = CliRunner().invoke(main, ["export", "--format", fmt, "--out", str(out)], env=env)
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        assert record["id"] in text and "custody case" in text and no_pii(text), text
        assert mode(out) == 0o600 and mode(out.parent) == 0o700
    stdout = CliRunner().invoke(main, ["export", "--format", "jsonl"], env=env).output
    assert record["id"] in stdout and no_pii(stdout)


def test_the_crm_export_body_is_masked(runtime):
    from ivr.handoff.export import body_of

    body = body_of(finished_record_stored_raw(runtime)).decode()
    assert "call me back" in body and no_pii(body)


def test_logs_never_carry_a_card_number(caplog):
    caplog.set_level(logging.DEBUG)
    event("probe", logging.getLogger("ivr.test"), error=f"ValueError: {PII}",
          detail={"said": PII}, note=f"card {CARD.replace(' ', '-')}")
    [line] = [r.getMessage() for r in caplog.records]
    assert no_pii(line) and "[card_number]" in line, line


def test_a_value_with_newlines_cannot_forge_a_log_line(caplog):
    caplog.set_level(logging.DEBUG)
    forged = "/x\nevent=login.ok user=owner\r\u2028event=api.token_ok\x1b[2J"
    event("redis.down", logging.getLogger("ivr.test"), path=forged)
    [line] = [r.getMessage() for r in caplog.records]
    assert "\n" not in line and "\r" not in line and "\u2028" not in line and "\x1b" not in line
    assert line.count("event=") == 1 or line.startswith("event=redis.down path=/x_event=")
