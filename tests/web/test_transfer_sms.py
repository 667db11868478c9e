"""A text conversation that needs a person now becomes a phone call: the on-call person hears
the summary, presses 1, and is bridged to the texter; nobody → a text with the callback time.
The worker places the call and sends that text, so a carrier outage is retried, never dropped."""

from __future__ import annotations

import pytest
from jobs_support import age_pending_claims, carrier_unreachable, later, run_jobs
from latest_record import latest, wait_for_latest
from rq.job import Job

from ivr.jobs.queues import URGENT, failed_jobs, queue
from ivr.store.callbacks import list_callbacks

HVAC, ALEX, JO = "+15125550200", "+15125550211", "+15125550212"
TEXTER = "+15125550199"
GAS = "I smell gas and the furnace is out"


def record_of(runtime):
    return latest(runtime, TEXTER)


def wait_for_record(carrier, runtime, test, what):
    return wait_for_latest(carrier, runtime, TEXTER, test, what)


def test_texted_emergency_calls_the_on_call_person_and_bridges_them_to_the_texter(
        live_app, carrier, runtime):
    alex = carrier.seat(ALEX, "accept")
    texter = carrier.seat(TEXTER, "manual")
    texter.text(HVAC, GAS)
    texter.wait_for_text("passing this to Alex, who will call you in a minute")
    agent = alex.wait_for_call()
    customer = texter.wait_for_call()
    carrier.wait_for(lambda: customer.connected_to(agent) or None, 10, "Alex bridged to texter")
    assert customer.from_ == HVAC  # the customer sees the business calling, not Alex's cell
    assert "Hi, this is Alex from Polar Bear HVAC about your text. Connecting you now." in \
        customer.heard
    record = wait_for_record(carrier, runtime, lambda r: (r["transfer"] or {}).get(
        "time_to_human_s") is not None, "connected")
    assert record["transfer"]["agent"] == "Alex Kim" and record["transfer"]["accepted"]


def test_texted_emergency_staff_get_the_summary_once_and_a_link(live_app, carrier, runtime):
    alex = carrier.seat(ALEX, "accept")
    carrier.seat(TEXTER, "manual")
    carrier.phone(TEXTER).text(HVAC, GAS)
    alex.wait_for_text("/dashboard/conversations/")
    record = record_of(runtime)
    summaries = [t for t in alex.texts if record["id"] in t]
    assert len(summaries) == 2  # the notification with the summary, then the link on accepting
    assert sum("gas" in t.lower() for t in alex.texts) <= 1


def test_texted_emergency_nobody_answers_so_the_texter_gets_the_callback_time_as_recorded(
        live_app, carrier, runtime):
    carrier.seat(ALEX, "no_answer")
    carrier.seat(JO, "pass")
    texter = carrier.phone(TEXTER)
    texter.text(HVAC, GAS)
    text = texter.wait_for_text("call you back", timeout=10)
    assert "within the hour" in text.body
    record = wait_for_record(carrier, runtime, lambda r: r["transfer"] and r["transfer"].get(
        "accepted") is False and r["transcript"][-1]["text"] == text.body,
        "escalated, the callback text recorded as sent")
    assert record["outcome"] == "escalated"


def queued(runtime, function: str) -> list:
    return [j for j in queue(runtime.redis, URGENT).jobs if j.func_name == function]


def bridge_failed(runtime) -> bool:
    return any(j["function"] == "ivr.handoff.sms_bridge.sms_bridge_job"
               for j in failed_jobs(runtime.redis))


@pytest.mark.no_worker
def test_a_texter_handoff_rings_the_on_call_person_from_the_worker(live_app, carrier, runtime):
    alex = carrier.seat(ALEX, "accept")
    texter = carrier.seat(TEXTER, "manual")
    replies = texter.text(HVAC, GAS, settle_s=0.05)

    assert any("passing this to Alex, who will call you in a minute" in r for r in replies)
    [job] = queued(runtime, "ivr.handoff.sms_bridge.sms_bridge_job")
    assert alex.calls == []  # nothing rings until the worker runs the job
    run_jobs(runtime)
    customer = texter.wait_for_call()
    carrier.wait_for(lambda: customer.connected_to(alex.calls[0]) or None, 10, "bridged")

    queue(runtime.redis, URGENT).enqueue_job(Job.fetch(job.id, connection=runtime.redis))
    run_jobs(runtime)  # the same job again (a retry after a crash): Alex is not rung twice
    assert len(alex.calls) == 1


@pytest.mark.no_worker
def test_the_on_call_person_is_rung_once_the_carrier_is_reachable_again(
        live_app, carrier, runtime):
    alex = carrier.seat(ALEX, "accept")
    carrier.seat(TEXTER, "manual")
    carrier.phone(TEXTER).text(HVAC, GAS, settle_s=0.05)

    [job] = queued(runtime, "ivr.handoff.sms_bridge.sms_bridge_job")
    with carrier_unreachable(runtime):
        run_jobs(runtime)  # the dial fails: it waits for its retry
    assert job.get_status(refresh=True) == "scheduled" and alex.calls == []

    run_jobs(runtime, until=later())
    wait_for_record(carrier, runtime, lambda r: (r["transfer"] or {}).get("accepted"),
                    "Alex took it")
    assert len(alex.calls) == 1 and not bridge_failed(runtime)


@pytest.mark.no_worker
def test_a_texter_is_told_when_we_will_call_back_when_the_carrier_stays_down(
        live_app, carrier, runtime):
    carrier.seat(ALEX, "accept")
    texter = carrier.phone(TEXTER)
    texter.text(HVAC, GAS, settle_s=0.05)

    with carrier_unreachable(runtime):
        for _ in range(10):  # every retry of the dial fails, through the whole backoff
            run_jobs(runtime, until=later(), rounds=1)
            if bridge_failed(runtime):
                break
    assert bridge_failed(runtime)

    run_jobs(runtime, until=later())  # the carrier is back: the callback text goes out
    [text] = [t for t in texter.texts if "call you back" in t]
    assert "within the hour" in text
    record = record_of(runtime)
    assert record["outcome"] == "escalated" and record["transfer"]["accepted"] is False
    assert any(t["conversation"] == record["id"]
               for t in list_callbacks(runtime.store, record["business_key"], "open"))


@pytest.mark.no_worker
def test_the_missed_transfer_text_is_retried_when_the_carrier_fails(live_app, carrier, runtime):
    carrier.seat(ALEX, "no_answer")
    carrier.seat(JO, "pass")
    carrier.faults.fail_messages(1, status=500, to=TEXTER)  # the texter's next text fails
    texter = carrier.phone(TEXTER)
    texter.text(HVAC, GAS, settle_s=0.05)
    run_jobs(runtime)  # the staff text, and Alex is rung; the hunt moves on without the worker
    carrier.wait_for(lambda: queued(runtime, "ivr.handoff.transfer.missed_text_job")
                     or not carrier.faults.outages_left(TEXTER), 20, "nobody took it")
    run_jobs(runtime)  # the missed-transfer text meets the outage (unless it already has)
    assert not carrier.faults.outages_left(TEXTER)
    assert not any("call you back" in t for t in texter.texts)

    age_pending_claims(runtime, 120)  # minutes later: the retry asks the carrier, then sends
    run_jobs(runtime, until=later())
    [text] = [t for t in texter.texts if "call you back" in t]
    assert "within the hour" in text


@pytest.mark.no_worker
def test_a_number_the_carrier_will_not_call_passes_the_texter_to_the_next_on_call_person(
        live_app, carrier, runtime):
    alex, jo = carrier.seat(ALEX, "accept"), carrier.seat(JO, "accept")
    carrier.seat(TEXTER, "manual")
    carrier.phone(TEXTER).text(HVAC, GAS, settle_s=0.05)

    carrier.faults.refuse_calls(ALEX, 21211)  # Twilio: invalid 'To' number
    run_jobs(runtime)  # at once, no retry: a refused number will not be callable later
    record = wait_for_record(carrier, runtime, lambda r: (r["transfer"] or {}).get("accepted"),
                             "Jo took it")
    assert record["transfer"]["agent"] == "Jo Park"
    assert alex.calls == [] and len(jo.calls) == 1 and not bridge_failed(runtime)
