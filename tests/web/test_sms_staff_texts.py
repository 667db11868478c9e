"""The on-call person is texted the written summary when a conversation needs a person.

The effect decides who and queues the text; the worker `live_app` runs sends it (`settle`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from jobs_support import settle

from ivr.flow.actions import NotifyStaff, Say, Transfer
from ivr.handoff.notify import notify_staff_by_text
from ivr.handoff.outcomes import Handoff
from ivr.store.records import new_conversation

DANA, SAM = "+15125550111", "+15125550112"
CALLER = "+15125550199"
SUMMARY = "Custody matter in Texas, filing within a month, no lawyer yet, budget about $5,000."


def conversation(runtime, channel: str):
    business = runtime.directory.by_number("+15125550100")
    record = new_conversation(business=business.name, business_key=business.key,
                              channel=channel, caller=CALLER, flow="law_firm",
                              now=datetime(2026, 11, 24, 16, 0, tzinfo=UTC))
    runtime.store.save(record)
    return business, record


def run(runtime, business, record, actions) -> Handoff | None:
    handoff = notify_staff_by_text(runtime, business, record, actions)
    settle(runtime)
    return handoff


def test_a_texter_handed_to_intake_puts_the_summary_on_danas_phone(live_app, carrier, runtime):
    business, record = conversation(runtime, "sms")
    handoff = run(runtime, business, record, [Transfer("intake", ("qualified",), SUMMARY)])
    [text] = carrier.agent(DANA).texts
    assert SUMMARY in text and CALLER in text and record["id"] in text
    assert "Hartley Family Law" in text
    assert handoff == Handoff(person="Dana Ortiz", via="text")
    assert runtime.store.get(record["id"])["notified"][0]["staff"] == "Dana Ortiz"
    assert carrier.agent(SAM).texts == []


def test_a_caller_being_warm_transferred_is_not_also_texted_about(live_app, carrier, runtime):
    business, record = conversation(runtime, "voice")
    run(runtime, business, record, [Say("One moment."), Transfer("intake", (), SUMMARY)])
    assert carrier.agent(DANA).texts == []


def test_a_notify_action_texts_staff_from_a_call_too(live_app, carrier, runtime):
    business, record = conversation(runtime, "voice")
    run(runtime, business, record, [NotifyStaff(SUMMARY, skill="intake")])
    [text] = carrier.agent(DANA).texts
    assert f"{CALLER} called" in text


def test_the_same_step_retried_texts_staff_once(live_app, carrier, runtime):
    business, record = conversation(runtime, "sms")
    actions = [NotifyStaff(SUMMARY)]
    run(runtime, business, record, actions)
    run(runtime, business, runtime.store.get(record["id"]), actions)
    assert len(carrier.agent(DANA).texts) == 1


def test_when_dana_cannot_be_texted_the_next_person_on_call_is(live_app, carrier, runtime):
    business, record = conversation(runtime, "sms")
    runtime.store.set_opted_out(business.key, DANA)  # Dana's phone refuses our texts
    handoff = run(runtime, business, record, [Transfer("intake", (), SUMMARY)])
    assert carrier.agent(DANA).texts == []
    assert len(carrier.agent(SAM).texts) == 1
    assert handoff == Handoff(person="Sam Lee", via="text")


def test_when_nobody_can_be_texted_the_customer_is_promised_the_team(live_app, carrier,
                                                                    runtime):
    business, record = conversation(runtime, "sms")
    for phone in (DANA, SAM):
        runtime.store.set_opted_out(business.key, phone)
    handoff = run(runtime, business, record, [Transfer("intake", (), SUMMARY)])
    assert handoff is None
    assert "notified" not in runtime.store.get(record["id"])
