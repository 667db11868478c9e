"""The one-paragraph handoff summary: what a person needs so the caller never repeats themselves.

Used for Transfer/QueueFollowUp/NotifyStaff `.summary`, the spoken whisper to the agent and the
staff text. Who (name if known, and number), bucket, slots, urgency, reasons, the bot's confidence
and a one-line gist of what they said. The customer's own words (the gist, free-text slots) are
quoted through `ivr.flow.quote`, so what a texter types cannot forge a line in a staff text.
"""

from __future__ import annotations

from typing import Any

from ivr.flow.context import Context
from ivr.flow.model import Flow
from ivr.flow.places import state_name
from ivr.flow.quote import quoted, they_said
from ivr.flow.state import State
from ivr.flow.timeline import urgency

REASON_WORDS = {
    "qualified": "qualified lead", "health_safety": "health or safety concern",
    "emergency": "emergency", "asked_for_human": "asked for a person",
    "frustration": "frustrated with the bot", "low_confidence": "bot could not understand",
    "order_over_threshold": "large order", "repeat_customer": "repeat customer",
    "complaint": "complaint", "insurance_claim": "insurance claim",
    "existing_client": "existing client",
    "distress": "sounded urgent or in distress (not understood)",
}


#: Longest free-text slot value quoted in a summary.
TEXT_SLOT_CHARS = 80


def slot_text(flow: Flow, name: str, value: Any) -> str:
    """A slot value as a person would say it: "$5,000", "Texas", "child custody"."""
    slot = flow.slots.get(name)
    if slot is None:
        return str(value)
    if slot.type == "money" and isinstance(value, int | float):
        return f"${value:,.0f}"
    if slot.type == "state":
        return "another state" if value == "other" else state_name(value)
    if slot.type == "yesno":
        return "yes" if value == "yes" else "no"
    if slot.type == "text":  # the customer's own words
        return quoted(str(value), TEXT_SLOT_CHARS)
    for option in slot.options:
        if option.value == value:
            return option.label
    return str(value).replace("_", " ")


def who(ctx: Context) -> str:
    phone = ctx.customer.phone or "unknown number"
    return f"{ctx.customer.name} ({phone})" if ctx.customer.name else f"Caller {phone}"


def summarize(flow: Flow, state: State, ctx: Context, *, urgent: bool = False) -> str:
    """One paragraph for the person taking over (plain text, no markup, speakable)."""
    bucket = flow.buckets.get(state.bucket or "")
    topic = (bucket.label or bucket.name.replace("_", " ")) if bucket else "a general enquiry"
    parts = [f"{who(ctx)} about {topic}, by {'phone' if ctx.channel == 'voice' else 'text'}."]
    filled = [f"{flow.slots[n].label if n in flow.slots else n}: {slot_text(flow, n, v)}"
              for n, v in state.slots.items()]
    if filled:
        line = "; ".join(filled)
        parts.append(line[:1].upper() + line[1:] + ".")
    order = state.extra.get("order")
    if order:
        parts.append(f"Order {order['order_id']}: ${order['total']:,.2f}, {order['status']}.")
    if ctx.customer.purchases:
        parts.append(f"{ctx.customer.purchases} previous order(s).")
    pressing = urgent or urgency(state.slots.get("timeline")) == "urgent"
    parts.append("Urgent." if pressing else "Not urgent.")
    if state.reasons:
        parts.append("Why: " + ", ".join(REASON_WORDS.get(r, r.replace("_", " "))
                                         for r in state.reasons) + ".")
    if state.confidence is not None:
        parts.append(f"Bot confidence {round(state.confidence * 100)}%.")
    said = they_said(state.extra.get("gist") or "")
    if said:
        parts.append(said)
    return " ".join(parts)
