"""The one-paragraph handoff summary: what a person needs so the caller never repeats themselves.

Used for Transfer/QueueFollowUp/NotifyStaff `.summary`, the spoken whisper to the agent and the
staff text. Who (name if known, and number), bucket, slots, urgency, reasons, the bot's confidence
and what they said. The customer's own words (free-text slots, the message that needed a person
and, bounded, what came before it) are quoted through `ivr.flow.quote`, so what a texter types
cannot forge a line in a staff text.

Urgency and reasons are read from the decision the record stores (`State.urgent`, `.route`,
`.reasons`, copied to the record's `route` and `escalation`), never worked out again here: the
on-call person must not read "Not urgent" about a conversation that paged them.
"""

from __future__ import annotations

from typing import Any

from ivr.flow.context import Context
from ivr.flow.model import Flow
from ivr.flow.places import state_name
from ivr.flow.quote import quoted, they_said
from ivr.flow.state import State

REASON_WORDS = {
    "qualified": "qualified lead", "health_safety": "health or safety concern",
    "emergency": "emergency", "asked_for_human": "asked for a person",
    "frustration": "frustrated with the bot", "low_confidence": "bot could not understand",
    "order_over_threshold": "large order", "bulk_order": "bulk or event order",
    "repeat_customer": "repeat customer",
    "complaint": "complaint", "insurance_claim": "insurance claim",
    "existing_client": "existing client",
    "distress": "sounded urgent or in distress (not understood)",
    "needs_a_person": "needs a person (the bot could not place it)",
}


#: Longest free-text slot value quoted in a summary.
TEXT_SLOT_CHARS = 80
#: Longest earlier message quoted as context, and how many of them.
BEFORE_CHARS = 80
BEFORE_MESSAGES = 2

URGENT = "Urgent."
PERSON_NOW = "Needs a person now, not an emergency."
NOT_URGENT = "Not urgent."


def urgency_words(route: str | None, urgent: bool, *, now: bool) -> str:
    """How pressing it is, from the stored decision: urgent, or handed to a person now (route
    human), or a call back that can wait. One function for the staff text and the whisper, so
    what staff are told cannot disagree with the record."""
    if urgent:
        return URGENT
    if now and route == "human":
        return PERSON_NOW
    return NOT_URGENT


def reasons_words(reasons: list[str] | tuple[str, ...]) -> str:
    """"Why: emergency, asked for a person." from the stored reasons; empty without any."""
    if not reasons:
        return ""
    return "Why: " + ", ".join(REASON_WORDS.get(r, r.replace("_", " ")) for r in reasons) + "."


def their_words(trigger: str, before: list[str] | tuple[str, ...]) -> str:
    """The message that needed a person, quoted, then (bounded) what they said before it."""
    said = they_said(trigger)
    earlier = [quoted(b, BEFORE_CHARS) for b in before[-BEFORE_MESSAGES:] if b.strip()]
    if said and earlier:
        said += ". Before that: " + ", ".join(earlier) + "."
    return said


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


def summarize(flow: Flow, state: State, ctx: Context, *, now: bool = False) -> str:
    """One paragraph for the person taking over (plain text, no markup, speakable).

    `now`: a person is being brought in now (a transfer), not a call back later.
    """
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
    parts.append(urgency_words(state.route, state.urgent, now=now))
    why = reasons_words(state.reasons)
    if why:
        parts.append(why)
    if state.confidence is not None:
        parts.append(f"Bot confidence {round(state.confidence * 100)}%.")
    trigger = state.extra.get("trigger")
    said = (their_words(trigger, state.extra.get("before") or ()) if trigger
            else they_said(state.extra.get("gist") or ""))
    if said:
        parts.append(said)
    return " ".join(parts)
