"""Order numbers as the business writes them: recognised from its own customers file.

A shop's ids come in every shape ("FG-10231", "1042", "A7-0042"), so no pattern in a flow can
know them; the customers file does. A message names an order when a run of its letters and
digits, written with or without the prefix, spaces or dashes ("fg 10231", "F G 1 0 2 3 1",
"10231", "one oh four two"), is one of the business's ids. Pure: the index comes in the context.
"""

from __future__ import annotations

import re

from ivr.flow.context import Order, OrderIndex
from ivr.flow.numbers import spoken_digits
from ivr.flow.text import normalize

#: A possible id: up to four letters (each may stand alone, as spelled out), then digits that
#: may be spaced or dashed ("f g 1 0 2 3 1", "fg-10231", "1042"); not inside a longer word.
_SPACED = re.compile(r"(?<![a-z0-9])((?:[a-z][\s-]?){0,4}?)((?:\d[\s-]?)*\d)(?![a-z0-9])")
#: Each token holding a digit, whole ("a7-0042", "1042").
_TOKEN = re.compile(r"[a-z0-9]*\d[a-z0-9-]*")
#: Digits alone below this length name an order only when the number was asked for: "2" or
#: "30 days" in passing is not an order.
UNPROMPTED_DIGITS = 3


def named_order(text: str, index: OrderIndex, asked: bool = False) -> Order | None:
    """The business's order that `text` names, or None."""
    low = spoken_digits(normalize(text))
    if asked:
        found = index.by_compact.get("".join(ch for ch in low if ch.isalnum()))
        if found is not None:
            return found
    candidates: list[tuple[str, str]] = [(m.group(1), m.group(2)) for m in _SPACED.finditer(low)]
    candidates += [("", token) for token in _TOKEN.findall(low)]
    for prefix, body in candidates:
        found = index.by_compact.get(_alnum(prefix + body))
        if found is not None:
            return found
    for _prefix, body in candidates:
        digits = "".join(ch for ch in body if ch.isdigit())
        if len(digits) >= UNPROMPTED_DIGITS or asked:
            found = index.by_digits.get(digits)
            if found is not None:
                return found
    return None


def _alnum(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())
