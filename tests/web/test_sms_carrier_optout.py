"""STOP, START and HELP on a long code, where Twilio answers them itself and keeps its own
opt-out list (the carrier simulator's default Opt-Out Management, ivr/sim/optout.py).

A texter must get one answer to a keyword, not Twilio's and then ours; a STOP is recorded and
obeyed; and a number Twilio says opted out (error 21610) is never tried again.
"""

from __future__ import annotations

import pytest

from ivr.handoff.outbound import OptedOut, send_sms
from ivr.sim import optout

HVAC, HVAC_KEY = "+15125550200", "polar-bear-hvac"
TEXTER = "+15125550199"
QUICK = 0.2


def outcomes(runtime) -> list[str | None]:
    """The outcome of each of the texter's conversations."""
    return [r["outcome"] for r in runtime.store.conversations(phone=TEXTER)]


def test_stop_gets_twilios_confirmation_alone_and_the_opt_out_is_recorded(live_app, carrier,
                                                                           runtime):
    phone = carrier.phone(TEXTER)
    phone.text(HVAC, "what are your hours?", settle_s=QUICK)
    assert phone.text(HVAC, "STOP", settle_s=QUICK) == [optout.STOP_REPLY]
    assert "opted_out" in outcomes(runtime)
    assert runtime.store.opted_out(HVAC_KEY, TEXTER)
    assert carrier.errors == []  # we never tried to answer a number that just opted out
    assert phone.text(HVAC, "my furnace is out", settle_s=QUICK) == []
    assert carrier.errors == []


def test_help_gets_one_answer_not_two(live_app, carrier, runtime):
    assert carrier.phone(TEXTER).text(HVAC, "HELP", settle_s=QUICK) == [optout.HELP_REPLY]


def test_start_after_stop_gets_one_confirmation_and_the_conversation_can_resume(
        live_app, carrier, runtime):
    phone = carrier.phone(TEXTER)
    phone.text(HVAC, "stop", settle_s=QUICK)
    assert phone.text(HVAC, "START", settle_s=QUICK) == [optout.START_REPLY]
    assert not runtime.store.opted_out(HVAC_KEY, TEXTER)
    [answer] = phone.text(HVAC, "what are your hours?", settle_s=QUICK)
    assert "Monday to Friday" in answer


def test_a_texter_on_twilios_opt_out_list_is_not_texted_again(live_app, carrier, runtime):
    """They opted out where we could not see it (a STOP while our webhook was down, or before
    the number was ours): Twilio refuses the text with 21610, and we stop trying."""
    carrier.opt_outs.opt_out(HVAC, TEXTER)
    with pytest.raises(OptedOut):
        send_sms(runtime, HVAC_KEY, TEXTER, "We can come Tuesday at 9.", idempotency_key="t1")
    assert runtime.store.opted_out(HVAC_KEY, TEXTER)
    with pytest.raises(OptedOut):
        send_sms(runtime, HVAC_KEY, TEXTER, "Reminder: Tuesday at 9.", idempotency_key="t2")
    assert carrier.opt_outs.refused == [(HVAC, TEXTER)]  # the second was not even tried
    assert carrier.phone(TEXTER).inbox == []


def test_a_custom_keyword_twilio_took_as_stop_is_recorded(live_app, carrier, runtime):
    """Advanced Opt-Out: the webhook says what Twilio took the text for (OptOutType)."""
    carrier.opt_out_management(advanced=True)
    assert carrier.phone(TEXTER).text(HVAC, "UNSUBSCRIBE", settle_s=QUICK) == [
        optout.STOP_REPLY]
    assert outcomes(runtime) == ["opted_out"]
    assert carrier.errors == []


def test_a_texter_twilio_says_opted_out_has_their_conversation_closed_as_opted_out(
        live_app, carrier, runtime):
    """Mid-conversation, a text to them is refused with 21610: the owner's review shows the
    conversation closed as `opted_out`, not still open, and their next text starts afresh."""
    phone = carrier.phone(TEXTER)
    phone.text(HVAC, "can I get a quote", settle_s=QUICK)  # asked: furnace or AC?
    [live] = runtime.store.conversations(phone=TEXTER)
    assert live["outcome"] is None and not live["ended_at"]
    carrier.opt_outs.opt_out(HVAC, TEXTER)
    with pytest.raises(OptedOut):
        send_sms(runtime, HVAC_KEY, TEXTER, "Still there? Furnace or AC?", idempotency_key="t3")
    [record] = runtime.store.conversations(phone=TEXTER)
    assert record["id"] == live["id"]
    assert record["outcome"] == "opted_out" and record["ended_at"]
    assert runtime.store.load_live(HVAC_KEY, "sms", TEXTER) is None
