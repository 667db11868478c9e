"""Callers who only use the keypad get through every shipped flow, through the carrier sim."""

from __future__ import annotations

from twilio_speech import heard_by_twilio
from voice_calls import (
    ALEX,
    CALLER,
    DANA,
    HVAC,
    JO,
    LAW,
    RILEY,
    SAM,
    SHOP,
    SHOP_KEY,
    assert_no_application_error,
    caller_lines,
    conversation,
)


def test_greeting_names_the_business_and_says_it_is_a_virtual_assistant(live_app, carrier):
    call = carrier.phone(CALLER).call(LAW)
    gather = call.wait_for_gather()
    greeting = " ".join(gather["prompt"])
    assert "Hartley Family Law" in greeting
    assert "virtual assistant" in greeting
    assert "Press 1 for" in greeting
    assert gather["input"] == "dtmf"
    call.hangup()


def test_law_firm_caller_qualified_by_keypad_is_put_through_to_intake(live_app, carrier,
                                                                       runtime):
    call = carrier.phone(CALLER).call(LAW)
    call.wait_for_gather()
    assert "divorce" in " ".join(call.press("1")).lower()      # a new legal matter
    assert "state" in " ".join(call.press("1")).lower()        # divorce
    call.press("1")                                             # Texas
    call.press("1")                                             # within two weeks
    call.press("2")                                             # no lawyer yet
    heard = " ".join(call.press("3"))                           # more than $10,000
    assert "connecting you" in heard.lower()
    dana_leg = carrier.phone(DANA).wait_for_call()
    assert dana_leg.to == DANA
    record = conversation(runtime)
    assert record["channel"] == "voice"
    assert record["slots"]["matter_type"] == "divorce"
    assert record["slots"]["jurisdiction"] == "TX"
    assert record["slots"]["representation"] == "no"
    assert record["route"] == "human"
    assert caller_lines(record) == ["1", "1", "1", "1", "2", "3"]
    assert_no_application_error(carrier, call)
    call.hangup()


def test_law_firm_caller_who_already_has_a_lawyer_is_declined_politely_and_nobody_is_rung(
        live_app, carrier, runtime):
    call = carrier.phone(CALLER).call(LAW)
    call.wait_for_gather()
    for key in ("1", "1", "1", "1"):
        call.press(key)
    heard = " ".join(call.press("1"))                           # yes, I have a lawyer
    call.wait_until("completed")
    assert "already representing you" in heard
    assert not carrier.phone(DANA).calls and not carrier.phone(SAM).calls
    record = conversation(runtime)
    assert record["outcome"] == "not_qualified"
    assert record["ended_at"]
    assert_no_application_error(carrier, call)


def test_hvac_repair_from_the_menu_rings_the_dispatcher_on_call(live_app, carrier, runtime):
    call = carrier.phone(CALLER).call(HVAC)
    call.wait_for_gather()
    heard = " ".join(call.press("1"))                           # a repair or emergency
    assert "connecting you" in heard.lower()
    assert carrier.phone(ALEX).wait_for_call().to == ALEX
    record = conversation(runtime)
    assert (record["bucket"], record["route"]) == ("emergency_repair", "human")
    assert_no_application_error(carrier, call)
    call.hangup()


def test_hvac_hours_from_the_menu_are_answered_by_the_bot_without_staff(live_app, carrier,
                                                                         runtime):
    call = carrier.phone(CALLER).call(HVAC)
    call.wait_for_gather()
    heard = " ".join(call.press("6"))                           # our hours
    assert "Monday to Friday" in heard
    call.press("2")                                             # nothing else, thanks
    call.wait_until("completed")
    record = conversation(runtime)
    assert (record["bucket"], record["route"]) == ("hours", "bot_only")
    assert record["outcome"] == "resolved"
    assert not carrier.phone(ALEX).calls and not carrier.phone(JO).calls
    assert_no_application_error(carrier, call)


def test_shop_regular_customer_is_handed_to_a_person(live_app, carrier, runtime):
    regular = "+15125550177"                                    # three orders in orders.csv
    call = carrier.phone(regular).call(SHOP)
    call.wait_for_gather()
    heard = " ".join(call.press("1"))                           # an order
    assert "regular customer" in heard
    assert carrier.phone(RILEY).wait_for_call().to == RILEY
    record = conversation(runtime, regular)
    assert "repeat_customer" in record["escalation"]["reasons"]
    assert_no_application_error(carrier, call)
    call.hangup()


def test_shop_caller_saying_they_had_a_reaction_reaches_a_person(live_app, carrier, runtime):
    heard_by_twilio(runtime, SHOP_KEY)  # the caller says it: the shop lets Twilio hear them
    call = carrier.phone(CALLER).call(SHOP)
    call.wait_for_gather()
    heard = " ".join(call.say("I had an allergic reaction to the lavender soap"))
    assert "911" in heard
    assert carrier.phone(RILEY).wait_for_call().to == RILEY
    record = conversation(runtime)
    assert "health_safety" in record["escalation"]["reasons"]
    assert_no_application_error(carrier, call)
    call.hangup()


def test_shop_order_over_the_threshold_goes_to_a_person(live_app, carrier, runtime):
    big_spender = "+15125550166"                                # a $129 order in orders.csv
    heard_by_twilio(runtime, SHOP_KEY)  # an order number has letters: it is said, not pressed
    call = carrier.phone(big_spender).call(SHOP)
    call.wait_for_gather()
    heard = call.press("1")                                     # an order
    if "order number" in " ".join(heard).lower():
        heard = call.say("FG-10250")
    assert "larger order" in " ".join(heard)
    assert carrier.phone(RILEY).wait_for_call().to == RILEY
    assert_no_application_error(carrier, call)
    call.hangup()
