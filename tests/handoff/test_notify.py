"""The on-call person's text about a handoff goes out from the worker, not from the webhook: the
customer's reply is never held up by the carrier, a refused number passes the text to the next
person on call, an outage is retried with backoff, and nobody is ever texted twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from jobs_support import age_pending_claims, later, run_jobs, settle
from rq.job import Job

from ivr.analytics.period import Period
from ivr.analytics.report import build_review, render_md
from ivr.flow.actions import NotifyStaff
from ivr.handoff.notify import notify_staff_by_text
from ivr.handoff.outbound import enqueue_text
from ivr.jobs.queues import URGENT, failed_jobs, queue
from ivr.store.records import new_conversation
from ivr.twilio.gsm import is_gsm7, segments

LAW, HVAC = "+15125550100", "+15125550200"
HVAC_ON_CALL = "+15125550211"  # Alex Kim
DANA, SAM = "+15125550111", "+15125550112"
TEXTER = "+15125550199"
EMERGENCY = "my ex took my kids and won't return them"
SUMMARY = "Custody matter in Texas, hearing next week, no lawyer yet."
AUTH = {"Authorization": "Bearer test-api-token"}


def summaries(carrier, phone: str, record: dict) -> list[str]:
    """The handoff texts `phone` received about this conversation (not digests or calls)."""
    return [t for t in carrier.agent(phone).texts if f"Conversation {record['id']}" in t]


def texted_emergency(carrier, runtime) -> tuple[list[str], dict]:
    replies = carrier.phone(TEXTER).text(LAW, EMERGENCY, settle_s=0.05)
    [record] = runtime.store.conversations(phone=TEXTER)
    return replies, record


def notify_from_a_call(runtime) -> dict:
    """A caller's conversation asks for staff to be texted (no call bridge is involved)."""
    business = runtime.directory.by_number(LAW)
    record = new_conversation(business=business.name, business_key=business.key,
                              channel="voice", caller=TEXTER, flow="law_firm",
                              now=runtime.clock())
    runtime.store.save(record)
    actions = [NotifyStaff(SUMMARY, skill="intake")]
    notify_staff_by_text(runtime, business, record, actions)
    return record


def staff_jobs(runtime) -> list[Job]:
    """The queued jobs that send a staff text: a texter's Transfer sends it in the bridge's
    job (one job with the ring), anything else in a staff text's own."""
    return [j for j in queue(runtime.redis, URGENT).jobs
            if j.func_name in ("ivr.handoff.notify.notify_staff_job",
                               "ivr.handoff.sms_bridge.sms_bridge_job")]


@pytest.mark.no_worker
def test_staff_text_is_sent_by_the_worker_not_the_webhook(live_app, carrier, runtime):
    replies, record = texted_emergency(carrier, runtime)

    assert any("passing this to Dana" in r for r in replies)  # named before any text went out
    assert summaries(carrier, DANA, record) == []
    [job] = staff_jobs(runtime)
    assert job.meta["conversation"] == record["id"]

    run_jobs(runtime)
    [text] = summaries(carrier, DANA, record)
    assert TEXTER in text and "Hartley Family Law" in text
    [noted] = runtime.store.get(record["id"])["notified"]
    assert noted["staff"] == "Dana Ortiz" and noted["sid"].startswith("SM")

    queue(runtime.redis, URGENT).enqueue_job(Job.fetch(job.id, connection=runtime.redis))
    run_jobs(runtime)  # the same job again (a retry after a crash): no second text
    assert len(summaries(carrier, DANA, record)) == 1
    assert len(runtime.store.get(record["id"])["notified"]) == 1


def test_refused_staff_number_fails_over_to_the_next_on_call_person(live_app, carrier, runtime):
    carrier.faults.refuse(DANA, code=21614)  # Twilio: "not a valid mobile number"
    _replies, record = texted_emergency(carrier, runtime)
    settle(runtime)

    assert summaries(carrier, DANA, record) == []
    [text] = summaries(carrier, SAM, record)
    assert TEXTER in text
    [noted] = runtime.store.get(record["id"])["notified"]
    assert noted["staff"] == "Sam Lee" and noted["phone"] == SAM


@pytest.mark.no_worker
@pytest.mark.parametrize("status", [500, 429])
def test_carrier_outage_retries_the_staff_text_with_backoff(live_app, carrier, runtime, status):
    carrier.faults.fail_messages(1, status=status)
    record = notify_from_a_call(runtime)
    [job] = staff_jobs(runtime)

    run_jobs(runtime)  # the carrier is down: the text waits for its retry
    assert carrier.agent(DANA).texts == []
    assert job.get_status(refresh=True) == "scheduled" and failed_jobs(runtime.redis) == []

    # Minutes later the carrier is back. A 500 leaves it unknown whether the text went out,
    # so the retry first looks in the carrier's message log; a 429 said no, so it just sends.
    age_pending_claims(runtime, 120)
    run_jobs(runtime, until=later())
    [text] = carrier.agent(DANA).texts
    assert SUMMARY in text and carrier.agent(SAM).texts == []
    assert [n["staff"] for n in runtime.store.get(record["id"])["notified"]] == ["Dana Ortiz"]


def test_when_every_on_call_number_is_refused_the_failure_is_listed_with_the_conversation(
        live_app, carrier, runtime, client):
    carrier.faults.refuse(DANA, code=21610)  # unsubscribed
    carrier.faults.refuse(SAM, code=21211)  # not a valid number
    record = notify_from_a_call(runtime)
    settle(runtime)

    assert carrier.agent(DANA).texts == [] and carrier.agent(SAM).texts == []
    [failed] = client.get("/api/jobs/failed", headers=AUTH).get_json()["jobs"]
    assert failed["queue"] == URGENT and failed["meta"]["conversation"] == record["id"]
    assert "NobodyReachable" in failed["error"]  # at once: no pointless retries
    assert "notified" not in runtime.store.get(record["id"])
    review = render_md(build_review(runtime, Period(runtime.clock() - timedelta(days=30),
                                                    runtime.clock())))
    assert "`ivr.handoff.notify.notify_staff_job`" in review and record["id"] in review


@pytest.mark.no_worker
def test_api_health_shows_urgent_texts_waiting_for_a_worker(live_app, runtime, client):
    owner = {"Authorization": "Bearer test-api-token"}
    assert client.get("/api/health", headers=owner).get_json()["urgent_jobs"] == 0
    enqueue_text(runtime.redis, "hartley-family-law", DANA, "hello", "health-1")
    health = client.get("/api/health", headers=owner)
    assert health.status_code == 200 and health.get_json()["urgent_jobs"] == 1


def gas_texts(person) -> list[str]:
    """The summaries of the gas-smell conversation `person` received (not the link alone)."""
    return [t for t in person.texts if "gas" in t.lower()]


def took_the_gas_call(carrier, runtime, *, hold_staff_text: bool) -> tuple:
    """A texter smells gas; Alex, on call, is rung by the worker and takes it. With
    `hold_staff_text` the carrier turns the staff text away for now (429: not sent), so it
    waits for the job's retry while the ring goes ahead, and the job is returned."""
    alex = carrier.seat(HVAC_ON_CALL, "accept")
    carrier.seat(TEXTER, "manual")
    carrier.phone(TEXTER).text(HVAC, "I smell gas and the furnace is out", settle_s=0.05)
    [held] = staff_jobs(runtime)
    if hold_staff_text:
        carrier.faults.fail_messages(1, status=429)
    run_jobs(runtime)  # the bridge job rings Alex (and, unless held, the staff text goes out)
    carrier.wait_for(lambda: run_jobs(runtime) or any(  # took the call: the worker texts the link
        "/dashboard/conversations/" in t for t in alex.texts) or None, 15, "the link to Alex")
    return alex, held


@pytest.mark.no_worker
def test_the_agent_who_accepts_gets_the_summary_once_when_the_staff_text_runs_after(
        live_app, carrier, runtime):
    alex, held = took_the_gas_call(carrier, runtime, hold_staff_text=True)
    [summary] = gas_texts(alex)  # accepting texted the summary with the link
    assert "/dashboard/conversations/" in summary

    assert held.get_status(refresh=True) == "scheduled"  # the staff text waits for its retry
    run_jobs(runtime, until=later())  # the retry comes late
    assert gas_texts(alex) == [summary]
    [record] = runtime.store.conversations(phone=TEXTER)
    assert [n["staff"] for n in runtime.store.get(record["id"])["notified"]] == ["Alex Kim"]


@pytest.mark.no_worker
def test_the_agent_who_accepts_while_the_staff_text_is_being_retried_gets_it_once(
        live_app, carrier, runtime):
    carrier.faults.fail_messages(1, status=500)  # the staff text's fate is unknown for a while
    alex, _held = took_the_gas_call(carrier, runtime, hold_staff_text=False)
    assert gas_texts(alex) == []  # only the link: the summary is the retrying job's to send

    age_pending_claims(runtime, 120)
    run_jobs(runtime, until=later())
    assert len(gas_texts(alex)) == 1
    assert sum("/dashboard/conversations/" in t for t in alex.texts) == 1


def test_staff_text_is_gsm7_and_counts_its_segments(live_app, carrier, runtime):
    """An em-dash or curly quote of ours made the on-call person's text UCS-2: 70 characters
    a segment instead of 160, so a summary arrived in more pieces and cost more."""
    replies, record = texted_emergency(carrier, runtime)
    settle(runtime)
    [text] = summaries(carrier, DANA, record)
    assert is_gsm7(text), [ch for ch in text if not is_gsm7(ch)]
    assert all(is_gsm7(reply) for reply in replies)
    [noted] = runtime.store.get(record["id"])["notified"]
    assert noted["segments"] == segments(text) >= 1
