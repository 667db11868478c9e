"""Order numbers as the business writes them: recognised from its own customers file.

A shop's ids come in every shape ("FG-10231", "1042", "A7-0042"), so no pattern in a flow can
know them; the customers file does. A message names an order when a run of its letters and
digits, written with or without the prefix, spaces or dashes ("fg 10231", "F G 1 0 2 3 1",
"10231", "one oh four two"), is one of the business's ids. Pure: the index comes in the context.

Failing that, the slips people make with ids are undone and each reading looked up again, so
only an id that exists is ever named: the letter O for a zero beside digits ("fg-1o231"),
zeros padded in front ("fg-010231") and ids said in groups ("ten two thirty one",
"ten thousand two hundred fifty").
"""

from __future__ import annotations

import re

from ivr.flow.context import Order, OrderIndex
from ivr.flow.numbers import digit_readings, spoken_digits
from ivr.flow.text import normalize

#: A possible id: up to four letters (each may stand alone, as spelled out), then digits that
#: may be spaced or dashed ("f g 1 0 2 3 1", "fg-10231", "1042"); not inside a longer word.
_SPACED = re.compile(r"(?<![a-z0-9])((?:[a-z][\s-]?){0,4}?)((?:\d[\s-]?)*\d)(?![a-z0-9])")
#: Each token holding a digit, whole ("a7-0042", "1042").
_TOKEN = re.compile(r"[a-z0-9]*\d[a-z0-9-]*")
#: Digits alone below this length name an order only when the number was asked for: "2" or
#: "30 days" in passing is not an order.
UNPROMPTED_DIGITS = 3


#: The letter O typed for a zero beside a digit ("1o231", "1O198").
_O_FOR_ZERO = re.compile(r"(?<=\d)o+|o+(?=\d)")


def named_order(text: str, index: OrderIndex, asked: bool = False) -> Order | None:
    """The business's order that `text` names, or None."""
    plain = normalize(text)
    found = _as_written(spoken_digits(plain), index, asked)
    if found is not None:
        return found
    zeros = re.sub(r"\S*\d\S*", lambda m: _O_FOR_ZERO.sub(lambda o: "0" * len(o.group()),
                                                          m.group()), plain)
    if zeros != plain:
        found = _as_written(spoken_digits(zeros), index, asked)
        if found is not None:
            return found
    # said in groups, or padded with zeros: only as the answer to "what is your order number?"
    for digits in [*digit_readings(plain), *re.findall(r"\d+", zeros)] if asked else []:
        if digits.strip("0"):
            found = index.by_digits.get(digits) or index.by_digits.get(digits.lstrip("0"))
            if found is not None:
                return found
    return None


def _as_written(low: str, index: OrderIndex, asked: bool) -> Order | None:
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
