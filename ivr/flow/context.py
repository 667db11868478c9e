"""Everything the flow core needs from the outside world for one step, passed in explicitly."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from ivr.flow.language import DEFAULT_LANGUAGE, Detect

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


def compact_id(order_id: str) -> str:
    """An order id as compared: lower case, letters and digits only ("FG-10231" -> "fg10231")."""
    return "".join(ch for ch in order_id.lower() if ch.isalnum())


@dataclass(frozen=True)
class OrderIndex:
    """A shop's orders indexed by every way a customer may write an id: as the file has it,
    without its separators ("fg10231"), and by its digits alone ("10231", when only one order
    has them). Built once per customers file by the edge, so a turn never scans the file."""

    by_compact: Mapping[str, Order]
    by_digits: Mapping[str, Order]

    @classmethod
    def of(cls, orders: Iterable[Order]) -> OrderIndex:
        by_compact: dict[str, Order] = {}
        digits: dict[str, list[Order]] = {}
        for order in orders:
            by_compact.setdefault(compact_id(order.order_id), order)
            key = "".join(ch for ch in order.order_id if ch.isdigit())
            if key:
                digits.setdefault(key, []).append(order)
        # digits shared by two ids ("A-1001", "B-1001") name neither: the prefix must be given
        return cls(by_compact, {k: v[0] for k, v in digits.items() if len(v) == 1})

    def find(self, written: str) -> Order | None:
        """The order `written` names: the whole id (any case or separators), else its digits."""
        found = self.by_compact.get(compact_id(written))
        if found is not None:
            return found
        digits = "".join(ch for ch in written if ch.isdigit())
        return self.by_digits.get(digits) if digits else None


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
class Recent:
    """The same number's last conversation with the business, as the store recorded it.

    `conversation` is its record's id: a short "thanks" after the end is kept on that record
    rather than opening a new one (which would count as a resolved conversation and a repeat
    contact, and skew both)."""

    ended_at: datetime
    outcome: str | None = None
    conversation: str | None = None


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
        order_index: the same orders indexed for recognising an id in a message (built once
            per file by the edge; None: indexed from `orders_by_id` when needed, as in tests).
        recent: the same number's previous conversation, when it ended within the repeat
            window (a new text then continues it: no second greeting or disclosure).
        hours_text: the business's `hours:` in words ("Monday to Friday 8:30 AM to 5:30 PM"),
            said as `params.hours_text` when the business set no such param.
        similar: the semantic layer for this flow, or None (rules only: no model, or a test).
            Not compared: two contexts of the same moment and customer are the same inputs.
        languages: the business's languages (`languages:`), English first.
        detect: the language detector for those languages (`ivr.semantic.language`), or None
            (English only, or a test): `detect(text) -> (language, confidence)`.
    """

    now: datetime
    channel: Channel
    business_name: str
    params: Mapping[str, Any] = field(default_factory=dict)
    after_hours: bool = False
    next_opening: datetime | None = None
    customer: CustomerFacts = field(default_factory=lambda: CustomerFacts(phone=""))
    orders_by_id: Mapping[str, Order] = field(default_factory=dict)
    order_index: OrderIndex | None = field(default=None, compare=False, repr=False)
    recent: Recent | None = None
    hours_text: str = ""
    similar: Similar | None = field(default=None, compare=False, repr=False)
    languages: tuple[str, ...] = (DEFAULT_LANGUAGE,)
    detect: Detect | None = field(default=None, compare=False, repr=False)

    def orders(self) -> OrderIndex:
        """The shop's orders indexed for recognising ids (the edge's, else built now)."""
        return self.order_index or OrderIndex.of(self.orders_by_id.values())
