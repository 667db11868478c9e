"""What the on-call person reads is what the customer wrote and what the record decided.

Through the carrier simulator: the texter's words that needed a person are the ones quoted in
the staff text (an earlier unrelated question only as context), and the urgency the staff text
states is the one stored on the record, which is the one the transfer rang with.
"""

from __future__ import annotations

import pytest
import texting

from ivr.handoff.summary import whisper_text

HVAC = "+15125550200"
ALEX = "+15125550211"  # dispatch and emergency
TEXTER = "+15125550199"


def record_of(runtime) -> dict:
    [record] = runtime.store.conversations(phone=TEXTER)
    return record


def test_on_call_text_quotes_the_burning_smell_not_the_pool_heater_question(live_app, carrier,
                                                                            runtime):
    phone = carrier.phone(TEXTER)
    phone.text(HVAC, "do you sell pool heaters?", settle_s=texting.QUICK)
    phone.text(HVAC, "my furnace is making a loud bang and there is a burning smell",
               settle_s=texting.QUICK)
    [staff_text] = texting.handoff_texts(runtime, carrier, ALEX, record_of(runtime))
    # sent GSM-safe: our curly quotes go out as straight ones (the customer's own double
    # quotes were already made single by ivr.flow.quote, so these still mark their words)
    assert ('They said: "my furnace is making a loud bang and there is a burning smell". '
            'Before that: "do you sell pool heaters?".') in staff_text
    assert "Urgent. Why: emergency." in staff_text


@pytest.mark.parametrize(("text", "told"), [
    ("my AC is leaking water all over the floor", "Needs a person now, not an emergency."),
    ("there's no heat in the house", "Urgent."),
])
def test_urgency_told_to_the_on_call_person_matches_the_record(live_app, carrier, runtime,
                                                               text, told):
    carrier.phone(TEXTER).text(HVAC, text, settle_s=texting.QUICK)
    record = record_of(runtime)
    assert record["route"] == "human"
    [staff_text] = texting.handoff_texts(runtime, carrier, ALEX, record)
    assert told in staff_text
    assert "Not urgent" not in staff_text  # they were paged: never told it can wait
    assert record["escalation"]["urgent"] is (told == "Urgent.")
    why = ", ".join(r.replace("_", " ") for r in record["escalation"]["reasons"])
    assert f"Why: {why}." in staff_text


@pytest.mark.parametrize("text", ["my AC is leaking water all over the floor",
                                  "the furnace has been making an awful grinding noise all night"])
def test_the_confidence_staff_read_and_hear_is_the_one_the_record_reports(live_app, carrier,
                                                                           runtime, text):
    carrier.phone(TEXTER).text(HVAC, text, settle_s=texting.QUICK)
    record = record_of(runtime)
    percent = round(record["escalation"]["confidence"] * 100)
    [staff_text] = texting.handoff_texts(runtime, carrier, ALEX, record)
    assert f"Bot confidence {percent}%." in staff_text
    heard = whisper_text(record, business="Polar Bear HVAC")
    assert f"Bot confidence {percent} percent." in heard
