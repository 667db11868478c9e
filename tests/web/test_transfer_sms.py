"""A text conversation that needs a person now becomes a phone call: the on-call person hears
the summary, presses 1, and is bridged to the texter; nobody → a text with the callback time."""

from __future__ import annotations

HVAC, ALEX, JO = "+15125550200", "+15125550211", "+15125550212"
TEXTER = "+15125550199"
GAS = "I smell gas and the furnace is out"


def record_of(runtime):
    return runtime.store.conversations(phone=TEXTER)[-1]


def wait_for_record(carrier, runtime, test, what):
    return carrier.wait_for(lambda: (lambda r: r if test(r) else None)(record_of(runtime)),
                            20, what)


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


def test_texted_emergency_nobody_answers_so_the_texter_gets_the_callback_time(
        live_app, carrier, runtime):
    carrier.seat(ALEX, "no_answer")
    carrier.seat(JO, "pass")
    texter = carrier.phone(TEXTER)
    texter.text(HVAC, GAS)
    text = texter.wait_for_text("call you back", timeout=10)
    assert "within the hour" in text.body
    record = wait_for_record(carrier, runtime, lambda r: r["transfer"] and r["transfer"].get(
        "accepted") is False, "escalated")
    assert record["outcome"] == "escalated"
