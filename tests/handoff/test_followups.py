"""After hours: the lead is captured, the customer is told by text when to expect a reply (in the
business's timezone, across weekends, holidays and DST), the on-duty person gets a digest when
the doors open — and an emergency still reaches on-call staff right away."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from jobs_support import business_dir, point_at, run_jobs
from twilio_speech import heard_by_twilio

from ivr.config.directory import load_directory
from ivr.handoff.followups import confirmation_text, expected_reply, queue_callback
from ivr.jobs.queues import DEFAULT, queue
from ivr.runtime import Runtime
from ivr.store.callbacks import list_callbacks, mark_done
from ivr.store.records import new_conversation

CHICAGO = ZoneInfo("America/Chicago")
LAW, HVAC = "+15125550100", "+15125550200"
DANA, ALEX, JO = "+15125550111", "+15125550211", "+15125550212"
CUSTOMER = "+15125550199"
QUICK = 0.05


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=CHICAGO)


@pytest.fixture
def sim(runtime, carrier):
    return point_at(runtime, carrier)


def lead(runtime: Runtime, business_key: str = "hartley-family-law", channel: str = "sms",
         caller: str = CUSTOMER) -> dict:
    business = runtime.directory.by_key(business_key)
    record = new_conversation(business=business.name, business_key=business.key, channel=channel,
                              caller=caller, flow=business.flow_name, now=runtime.clock())
    runtime.store.save(record)
    return record


def scheduled_digests(runtime: Runtime) -> list[float]:
    registry = queue(runtime.redis, DEFAULT).scheduled_job_registry
    return [score for _jid, score in runtime.redis.zrange(registry.key, 0, -1, withscores=True)]


def test_saturday_night_lead_waits_for_monday_digest_to_the_on_call_lawyer(sim, carrier, clock):
    clock.set(local(2026, 11, 21, 21, 0))
    business = sim.directory.by_key("hartley-family-law")
    first = queue_callback(sim, business, lead(sim), summary="Custody question, Travis County.")
    clock.set(local(2026, 11, 22, 10, 0))  # Sunday morning
    second = queue_callback(sim, business, lead(sim, caller="+15125550177"),
                            summary="Divorce, wants a consultation.")

    assert first["due_text"] == "Monday after 8:30 AM"
    assert scheduled_digests(sim) == [local(2026, 11, 23, 8, 30).timestamp()]  # one digest
    assert carrier.phone(DANA).inbox == []  # nobody is disturbed on Saturday night

    clock.set(local(2026, 11, 23, 8, 30))
    run_jobs(sim)

    [digest] = carrier.phone(DANA).texts
    assert "2 callbacks waiting" in digest
    assert CUSTOMER in digest and "Custody question" in digest and "+15125550177" in digest
    assert all(t["digested_at"] for t in list_callbacks(sim.store, business.key))
    assert [t["id"] for t in list_callbacks(sim.store, business.key)] == [first["id"],
                                                                          second["id"]]
    run_jobs(sim)  # a second run of the digest texts nobody again
    assert len(carrier.phone(DANA).texts) == 1


def test_queueing_the_same_conversation_twice_keeps_one_callback(sim, clock):
    clock.set(local(2026, 11, 21, 21, 0))
    business = sim.directory.by_key("hartley-family-law")
    record = lead(sim)
    queue_callback(sim, business, record, summary="first")
    queue_callback(sim, business, record, summary="second", reason="transfer_missed")
    [task] = list_callbacks(sim.store, business.key)
    assert task["summary"] == "second" and task["reasons"] == ["follow_up", "transfer_missed"]
    assert sim.store.get(record["id"])["followup"]["callback"] == task["id"]


def test_a_callback_closed_before_the_morning_digest_is_left_out_of_it(sim, carrier, clock):
    clock.set(local(2026, 11, 21, 21, 0))
    business = sim.directory.by_key("hartley-family-law")
    handled = queue_callback(sim, business, lead(sim), summary="Custody question.")
    queue_callback(sim, business, lead(sim, caller="+15125550177"), summary="Divorce question.")
    clock.set(local(2026, 11, 22, 11, 0))  # Sunday: Dana returns one call from home
    mark_done(sim.store, handled["id"], sim.clock(), by="Dana")

    clock.set(local(2026, 11, 23, 8, 30))
    run_jobs(sim)
    [digest] = carrier.phone(DANA).texts
    assert "1 callback waiting" in digest and "Divorce" in digest
    assert "Custody" not in digest
    assert [t["status"] for t in list_callbacks(sim.store, business.key, "done")] == ["done"]


def test_callback_during_opening_hours_is_texted_to_on_duty_now(sim, carrier, clock):
    clock.set(local(2026, 11, 23, 10, 0))
    business = sim.directory.by_key("polar-bear-hvac")
    task = queue_callback(sim, business, lead(sim, "polar-bear-hvac"),
                          summary="Quote for a heat pump.", skill="service")
    assert task["due_text"] == "within the hour"
    run_jobs(sim)
    [text] = carrier.phone(JO).texts
    assert "Callback request" in text and "heat pump" in text

    clock.set(local(2026, 11, 23, 19, 0))  # that evening, another lead waits for the morning
    queue_callback(sim, business, lead(sim, "polar-bear-hvac", caller="+15125550177"),
                   summary="Thermostat questions.", skill="service")
    clock.set(local(2026, 11, 24, 8, 30))
    run_jobs(sim)
    morning = carrier.phone(JO).texts[1]
    assert "1 callback waiting" in morning and "Thermostat" in morning
    assert "heat pump" not in morning  # already passed on yesterday


def test_a_callback_in_the_same_second_as_the_last_text_still_reaches_on_duty(
        sim, carrier, clock):
    clock.set(local(2026, 11, 23, 10, 0))
    business = sim.directory.by_key("polar-bear-hvac")
    for caller, summary in (("+15125550171", "Heat pump quote."),
                            ("+15125550172", "Duct cleaning quote.")):
        queue_callback(sim, business, lead(sim, "polar-bear-hvac", caller=caller),
                       summary=summary, skill="service")
        run_jobs(sim)  # the worker texts the first before the second call ends, same second
    assert ["Heat pump" in t for t in carrier.phone(JO).texts] == [True, False]
    assert "Duct cleaning" in carrier.phone(JO).texts[1]
    assert all(t["digested_at"] for t in list_callbacks(sim.store, business.key))


def test_callbacks_waiting_for_the_worker_go_out_in_one_text(sim, carrier, clock):
    clock.set(local(2026, 11, 23, 10, 0))
    business = sim.directory.by_key("polar-bear-hvac")
    for caller in ("+15125550171", "+15125550172", "+15125550173"):
        queue_callback(sim, business, lead(sim, "polar-bear-hvac", caller=caller),
                       summary="Furnace quote.", skill="service")
    run_jobs(sim)
    [text] = carrier.phone(JO).texts  # a flood of callbacks is one buzz, not one per caller
    assert text.count("Furnace quote") == 3

    clock.set(local(2026, 11, 23, 10, 5))  # the next callback after that text: a text of its own
    queue_callback(sim, business, lead(sim, "polar-bear-hvac", caller="+15125550174"),
                   summary="Thermostat install.", skill="service")
    run_jobs(sim)
    assert len(carrier.phone(JO).texts) == 2
    assert "Thermostat install" in carrier.phone(JO).texts[1]
    assert "Furnace" not in carrier.phone(JO).texts[1]


def texted_after_hours(sim, carrier, clock, moment: datetime, message: str) -> list[str]:
    clock.set(moment)
    return carrier.phone(CUSTOMER).text(HVAC, message, settle_s=QUICK)


@pytest.mark.parametrize(("moment", "expected", "opening"), [
    (local(2026, 11, 21, 19, 0), "Monday after 8:30 AM", local(2026, 11, 23, 8, 30)),
    (local(2026, 11, 20, 20, 0), "tomorrow after 9:00 AM", local(2026, 11, 21, 9, 0)),
    (local(2026, 3, 7, 13, 0), "Monday after 8:30 AM", local(2026, 3, 9, 8, 30)),  # DST
], ids=["weekend", "friday-night", "spring-forward"])
def test_after_hours_complaint_by_text_is_confirmed_and_queued(
        sim, live_app, carrier, clock, moment, expected, opening):
    replies = texted_after_hours(sim, carrier, clock, moment, "I want to file a complaint")

    assert any(expected in r for r in replies), replies
    [task] = list_callbacks(sim.store, "polar-bear-hvac")
    assert task["caller"] == CUSTOMER and task["due_text"] == expected
    assert sim.store.get(task["conversation"])["outcome"] == "after_hours_queued"
    assert scheduled_digests(sim) == [opening.timestamp()]
    assert carrier.phone(JO).inbox == [] and carrier.phone(ALEX).inbox == []

    clock.set(opening)
    run_jobs(sim)
    staff_texts = carrier.phone(JO).texts + carrier.phone(ALEX).texts
    assert len(staff_texts) == 1 and CUSTOMER in staff_texts[0]


def test_holiday_pushes_the_promise_to_the_next_working_day(sim, live_app, carrier, clock,
                                                            tmp_path: Path):
    sim.directory = load_directory(business_dir(tmp_path, "polar_bear_hvac.yaml",
                                                holidays=["US"]))
    replies = texted_after_hours(sim, carrier, clock, local(2026, 7, 2, 18, 0),
                                 "I want to file a complaint")
    # Friday July 3rd is Independence Day observed and Saturday the 4th the day itself:
    # without the holidays this would say "tomorrow after 8:30 AM"
    assert any("Monday after 8:30 AM" in r for r in replies), replies
    assert scheduled_digests(sim) == [local(2026, 7, 6, 8, 30).timestamp()]


def test_emergency_after_hours_still_reaches_on_call_now(sim, live_app, carrier, clock):
    replies = texted_after_hours(sim, carrier, clock, local(2026, 11, 21, 23, 30),
                                 "my furnace stopped working and there's no heat")
    assert replies
    alex = carrier.phone(ALEX)
    carrier.wait_for(lambda: alex.texts or alex.calls, timeout=5)
    assert list_callbacks(sim.store, "polar-bear-hvac") == []  # not left for the morning


def test_after_hours_caller_gets_the_confirmation_by_text(sim, live_app, carrier, clock):
    clock.set(local(2026, 11, 21, 19, 0))
    heard_by_twilio(sim)  # the caller says what it is about
    phone = carrier.phone(CUSTOMER)
    call = phone.call(HVAC)
    call.wait_for_gather()
    call.say("I want to file a complaint")
    call.wait_until("completed")

    run_jobs(sim)
    [confirmation] = phone.texts
    assert "Monday after 8:30 AM" in confirmation
    assert confirmation.startswith("Polar Bear HVAC")  # who is texting, for a caller
    [task] = list_callbacks(sim.store, "polar-bear-hvac")
    assert task["channel"] == "voice"


def test_caller_whose_number_cannot_take_texts_is_not_texted(sim, live_app, carrier, clock):
    clock.set(local(2026, 11, 21, 19, 0))
    heard_by_twilio(sim)
    abroad = carrier.phone("+442071838750")  # a London landline: outside the allowed countries
    call = abroad.call(HVAC)
    call.wait_for_gather()
    call.say("I want to file a complaint")
    call.wait_until("completed")
    run_jobs(sim)
    [task] = list_callbacks(sim.store, "polar-bear-hvac")  # the lead is still captured
    assert task["caller"] == "+442071838750"
    assert abroad.inbox == [] and [m for m in carrier.messages if m.to == abroad.number] == []


@pytest.mark.parametrize(("now", "when"), [
    (local(2026, 11, 27, 20, 0), "mañana después de las 9:00 de la mañana"),  # Fri night: Sat
    (local(2026, 11, 24, 11, 0), "en menos de una hora"),  # Tuesday, open
])
def test_a_spanish_customer_whose_flow_words_no_confirmation_is_told_in_spanish_when_we_will_reply(
        runtime, now, when):
    """A flow without its own confirmation falls back to ours: a Spanish customer must read it,
    and the time they are promised, in Spanish ("Monday after 8:30 AM" is not an answer)."""
    hvac = runtime.directory.by_key("polar-bear-hvac")
    _moment, words, _open = expected_reply(hvac, now, "es")
    assert words == when
    text = confirmation_text(hvac, words, "es")
    assert text.startswith("Gracias por comunicarse con Polar Bear HVAC.")
    assert f"le responderemos {when}." in text and ".." not in text
