"""Dollar amounts from how people say them: "five grand", "$5k", "around 10,000 dollars".

Unasked, a number only counts as money with a cue ($, dollars, bucks, grand, k, or a word like
"spend" or "budget" just before it), so "hearing in 2026" is not a budget; when the question was
the budget, a bare number is enough.
"""

from __future__ import annotations

import re

from ivr.flow.numbers import SCALES, UNITS, words_to_number

_TOKENS = re.compile(r"\$?\d+(?:\.\d+)?k?|[a-z]+")
_CURRENCY = {"dollars", "dollar", "bucks", "usd"}
_CUES = {"spend", "budget", "afford", "pay", "paying", "retainer", "cost", "around", "about",
         "maybe", "roughly", "up", "under", "over", "most"}


def _tokens(text: str) -> list[str]:
    flat = re.sub(r"(?<=\d),(?=\d{3})", "", text.lower())
    return _TOKENS.findall(flat)


def _read_number(tokens: list[str], i: int) -> tuple[float | None, int, bool]:
    """The number starting at tokens[i]: (value, next index, explicitly money-like)."""
    token = tokens[i]
    if token[0] in "$0123456789":
        dollar = token.startswith("$")
        digits = token.lstrip("$")
        kilo = digits.endswith("k")
        value = float(digits.rstrip("k")) * (1000 if kilo else 1)
        j = i + 1
        if j < len(tokens) and tokens[j] in SCALES:
            value *= SCALES[tokens[j]]
            kilo = kilo or tokens[j] in ("grand", "k")
            j += 1
        return value, j, dollar or kilo
    j = i
    while j < len(tokens) and (tokens[j] in UNITS or tokens[j] in SCALES
                               or (tokens[j] in ("and", "a") and j + 1 < len(tokens)
                                   and (tokens[j + 1] in UNITS or tokens[j + 1] in SCALES))):
        j += 1
    run = tokens[i:j]
    if not run or all(t in ("a", "and") for t in run):
        return None, i + 1, False
    value = words_to_number(run)
    return (float(value) if value is not None else None), j, "grand" in run


def find_money(text: str, asked: bool = False) -> tuple[int, float] | None:
    """The first dollar amount in `text` as (whole dollars, confidence), or None."""
    tokens = _tokens(text)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not (token[0] in "$0123456789" or token in UNITS or token == "a"):
            i += 1
            continue
        value, j, explicit = _read_number(tokens, i)
        if value is None:
            i = j
            continue
        currency = j < len(tokens) and tokens[j] in _CURRENCY
        cued = any(t in _CUES for t in tokens[max(0, i - 3):i])
        if explicit or currency or (asked and value >= 1) or (cued and value >= 100):
            confidence = 1.0 if (explicit or currency or asked) else 0.8
            return int(round(value)), confidence
        i = j
    if asked and re.search(r"\b(a few|several) thousand\b", text.lower()):
        return 3000, 0.5
    return None
