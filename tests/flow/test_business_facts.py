"""Facts the business already gave: its own order ids, its customers, its hours, its params.

The shop flow once read only ids shaped like FG + 5 digits, so a shop whose customers file
holds four-digit ids never looked an order up; a return never met the big-order rule because
only the order-status bucket knew the order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from flowchat import TUESDAY_MORNING, Chat

from ivr.config.business import Business, load_business
from ivr.config.settings import PROJECT_ROOT
from ivr.conversation.service import build_context, flow_for
from ivr.flow.state import State
from ivr.flow.wording import say

STRANGER = "+15125550199"
MARIA = "+15125550188"  # one $32.50 order, FG-10231
PRIYA = "+15125550166"  # one $129 order, FG-10250

FOUR_DIGIT_ORDERS = """phone,name,order_id,total,status
+15125550144,Ana Ruiz,1042,22.00,on its way and arriving Friday
+15125550133,Ben Cho,1043,30.00,delivered
+15125550133,Ben Cho,1077,19.00,packed and ships today
"""


def four_digit_shop(tmp_path: Path) -> Business:
    """A shop on the shipped flow whose own order ids are four digits, no prefix."""
    (tmp_path / "orders.csv").write_text(FOUR_DIGIT_ORDERS, encoding="utf-8")
    (tmp_path / "shop.yaml").write_text(
        "name: Birch Lane\nnumbers: ['+15125550400']\ntimezone: America/Chicago\n"
        "hours: {mon-fri: '09:00-17:00'}\n"
        f"flow: {PROJECT_ROOT / 'flows' / 'ecommerce.yaml'}\ncustomers: orders.csv\n"
        "staff:\n  - {name: Kim Birch, phone: '+15125550411', skills: [support, safety]}\n"
        "on_call:\n  - {staff: Kim Birch}\n"
        "params: {order_threshold: 75, returns_text: Returns are free within 30 days.}\n",
        encoding="utf-8")
    return load_business(tmp_path / "shop.yaml")


def talk(business: Business, phone: str = STRANGER, channel: str = "sms") -> Chat:
    flow = flow_for(business)
    return Chat(flow, build_context(business, channel, phone, TUESDAY_MORNING, flow),
                State(flow=flow.name))


def test_a_shop_with_four_digit_order_ids_looks_the_order_up(tmp_path: Path) -> None:
    chat = talk(four_digit_shop(tmp_path))
    chat.send("hi, where is my order 1042?")
    assert "1042 is on its way and arriving Friday" in chat.said
    assert chat.outcome == "resolved"


def test_a_four_digit_order_number_given_when_asked_is_looked_up(tmp_path: Path) -> None:
    chat = talk(four_digit_shop(tmp_path))
    chat.send("has my package shipped?")
    assert chat.ask is not None and chat.ask.slot == "order_number"
    assert "FG" not in chat.said  # the shipped prompt no longer names another shop's prefix
    chat.send("it's 1 0 7 7")
    assert "1077 is packed and ships today" in chat.said


def test_an_order_id_is_read_with_or_without_its_prefix(shop: Callable[..., Chat]) -> None:
    for written in ("fg10250", "FG 10250", "10250", "f g 1 0 2 5 0"):
        chat = shop()
        chat.send(f"where is order {written}")
        assert chat.state.slots.get("order_number") == "FG-10250", written


def test_a_known_customer_with_one_order_needs_no_number(shop: Callable[..., Chat]) -> None:
    chat = shop(phone=MARIA)
    chat.send("has my stuff shipped yet?")
    assert "FG-10231 is shipped on Monday" in chat.said
    returning = shop(phone=MARIA)
    returning.send("I'd like to send back the candle, wrong scent")
    assert returning.state.slots.get("order_number") == "FG-10231"  # staff see which order


def test_a_customer_with_several_orders_is_asked_which_one(tmp_path: Path) -> None:
    chat = talk(four_digit_shop(tmp_path), phone="+15125550133")
    chat.send("where is my order?")
    assert chat.ask is not None and chat.ask.slot == "order_number"
    chat.send("1043")
    assert "1043 is delivered" in chat.said


def test_returning_a_big_order_reaches_a_person(shop: Callable[..., Chat]) -> None:
    chat = shop()
    chat.send("I want to return order FG-10250, the jar arrived cracked")
    assert chat.transfer is not None
    assert "order_over_threshold" in chat.state.reasons


def test_a_big_order_customer_asking_for_a_refund_reaches_a_person(
        shop: Callable[..., Chat]) -> None:
    chat = shop(phone=PRIYA)
    chat.send("I want a refund, the jar arrived cracked")
    assert chat.transfer is not None
    assert "order_over_threshold" in chat.state.reasons


def test_a_number_in_passing_is_not_taken_for_an_order(tmp_path: Path) -> None:
    chat = talk(four_digit_shop(tmp_path))
    chat.send("can I return something after 30 days")
    assert "order_number" not in chat.state.slots
    assert "Returns are free" in chat.said


def without(business: Business, *params: str) -> Business:
    """The business as if it had never set `params`."""
    kept = {k: v for k, v in business.params.items() if k not in params}
    return dataclasses.replace(business, params=kept)


def test_hours_question_is_answered_from_the_business_hours(
        business: Callable[[str], Business]) -> None:
    chat = talk(without(business("Polar Bear HVAC"), "hours_text"))
    chat.send("what are your hours?")
    assert ("We're open Monday to Friday 8:30 AM to 5:30 PM, Saturday 9 AM to noon."
            in chat.said)
    assert "don't have an answer" not in chat.said and not chat.unanswered


def test_the_business_own_hours_text_still_wins(business: Callable[[str], Business]) -> None:
    chat = talk(business("Polar Bear HVAC"))
    chat.send("what are your hours?")
    assert "emergency repairs 24/7" in chat.said


def test_an_unset_referral_is_left_out_not_rendered_empty(
        business: Callable[[str], Business]) -> None:
    firm = without(business("Hartley Family Law"), "referral")
    declines = {
        "I need help with a custody case in Ohio": "only takes cases in Texas",
        "custody case in Austin Texas, I already have a lawyer": "already representing you",
        "custody case in Austin Texas, hearing next month, no lawyer, I can spend $500":
            "beyond that budget",
    }
    for message, why in declines.items():
        chat = talk(firm)
        chat.send(message)
        for _ in range(4):  # answer whatever is still asked until the decline
            if chat.outcome:
                break
            chat.send({"jurisdiction": "Texas", "timeline": "next month",
                       "representation": "no", "budget": "$500"}.get(
                           chat.ask.slot if chat.ask else "", "no"))
        said = chat.said
        assert chat.outcome == "not_qualified" and why in said, message
        assert " ." not in said and " ," not in said and ", can help" not in said, said
        assert "that is ." not in said and not said.startswith(" "), said
        assert "referral service" in said  # the generic pointer stays




def test_an_unknown_customers_name_is_left_out_not_rendered_empty(
        business: Callable[[str], Business]) -> None:
    shop = business("Fernhill Goods")
    flow = flow_for(shop)
    thanks = "Thanks[, {customer.name}]! Anything else[ for {params.nowhere}]?"
    for phone, expected in ((STRANGER, "Thanks! Anything else?"),
                            (MARIA, "Thanks, Maria Lopez! Anything else?")):
        context = build_context(shop, "sms", phone, TUESDAY_MORNING, flow)
        assert say(flow, State(flow=flow.name), context, thanks) == expected
