"""Redaction of personal data that must never be stored or logged: card numbers and SSNs.

Callers read card numbers aloud and text SSNs; transcripts, summaries and logs keep only a
mask. Card candidates are checked with the Luhn sum so order numbers and phone numbers survive.
"""

from __future__ import annotations

import re

_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
_SSN = re.compile(r"(?<!\d)\d{3}[- ]\d{2}[- ]\d{4}(?!\d)|\b(?:ssn|social security(?: number)?)"
                  r"\W{0,3}(?:is\W{0,3})?\d{9}\b", re.IGNORECASE)
_SPOKEN_DIGITS = re.compile(
    r"\b(?:(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)[\s,-]+){12,18}"
    r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b", re.IGNORECASE)


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum every payment card number satisfies."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char)
        if i % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "[card number]" if luhn_ok(digits) else match.group(0)


#: The shortest text the patterns above can mask without a digit in it: a card number read
#: out as 13 number words ("oh" each) and the 12 separators between them. (Every other
#: pattern needs digits.) Shorter texts with no digit, most of what a log line carries
#: (business keys, channels, event names), are returned without running the patterns.
_SHORTEST_SPOKEN = 13 * len("oh") + 12
_DIGIT = re.compile(r"\d")


def redact(text: str) -> str:
    """`text` with SSNs and card numbers (typed or spoken digit by digit) masked."""
    if not text or len(text) < _SHORTEST_SPOKEN and _DIGIT.search(text) is None:
        return text
    text = _SSN.sub("[ssn]", text)
    text = _CARD.sub(_card, text)
    return _SPOKEN_DIGITS.sub("[card number]", text)
