"""Everything the flow core needs from the outside world for one step, passed in explicitly."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Channel = Literal["voice", "sms"]
#: The semantic layer as the core sees it: a text's similarity to each label's examples, 0..1
#: (labels: the flow's bucket and trigger names, and "asked_for_human"). Supplied by the edge
#: (`ivr.semantic`) like the clock, so the core stays free of any model.
Similar = Callable[[str], Mapping[str, float]]


@dataclass(frozen=True)
class Order:
    """One row of a shop's order export (`customers:` CSV)."""

    order_id: str
    phone: str
    name: str
    total: float
    status: str


@dataclass(frozen=True)
class CustomerFacts:
    """What the business already knows about the person contacting it."""

    phone: str
    name: str | None = None
    orders: tuple[Order, ...] = ()
    suggested_state: str | None = None  # e.g. "TX" from the number's area code; confirm, never assume

    @property
    def purchases(self) -> int:
        return len(self.orders)


@dataclass(frozen=True)
class Context:
    """Inputs for one `step`: the clock, the channel, the business's params and the customer.

    Attributes:
        now: aware datetime (UTC or the business timezone).
        channel: "voice" or "sms".
        business_name: spoken/texted in greetings and HELP replies.
        params: the business's `params:` mapping (jurisdictions, min_budget, thresholds, ...).
        after_hours: True outside the business's hours (computed by the caller from its clock).
        next_opening: when the business next opens (for "we'll call you back ..."), or None.
        customer: facts about the customer (orders, name, suggested state).
        orders_by_id: the shop's orders by order number, for lookups by number.
        similar: the semantic layer for this flow, or None (rules only: no model, or a test).
            Not compared: two contexts of the same moment and customer are the same inputs.
    """

    now: datetime
    channel: Channel
    business_name: str
    params: Mapping[str, Any] = field(default_factory=dict)
    after_hours: bool = False
    next_opening: datetime | None = None
    customer: CustomerFacts = field(default_factory=lambda: CustomerFacts(phone=""))
    orders_by_id: Mapping[str, Order] = field(default_factory=dict)
    similar: Similar | None = field(default=None, compare=False, repr=False)
