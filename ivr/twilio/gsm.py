"""GSM-7 for texts we word ourselves, and how many segments a text costs. Pure: no I/O.

A text whose every character is in the GSM 03.38 alphabet is sent as GSM-7: 160 characters in
one segment, 153 per segment when split. A single other character (an em-dash, a curly quote,
an ellipsis, an emoji) makes the carrier send the whole text as UCS-2: 70 characters, 67 per
segment when split — the same words cost two or three times as much and may arrive in pieces.
Our own wording uses typographic punctuation (flows, summaries, "Thanks — I'm passing this
to…"), so every text is made GSM-safe where it is sent: that punctuation becomes its plain
equivalent. A customer's own emoji or accented letters outside the alphabet are left as they
are (then the text is UCS-2, which is right: their words matter more than the price).
"""

from __future__ import annotations

import math

#: GSM 03.38 basic character set (one septet each).
BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
#: The extension table: each costs two septets (an escape, then the character).
EXTENDED = frozenset("^{}\\[~]|€\f")

#: Typographic punctuation our wording introduces, and its GSM-7 equivalent.
PLAIN = str.maketrans({
    "\u2014": "-", "\u2013": "-", "\u2012": "-", "\u2010": "-", "\u2011": "-", "\u2212": "-",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u2033": '"',
    "\u2026": "...", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ",
    "\u2022": "-", "\u00b7": "-",
})

GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


def gsm_safe(text: str) -> str:
    """`text` with typographic dashes, quotes, ellipses and odd spaces made plain GSM-7."""
    return text.translate(PLAIN)


def is_gsm7(text: str) -> bool:
    """Whether the whole text can be sent in the GSM-7 alphabet."""
    return all(ch in BASIC or ch in EXTENDED for ch in text)


def segments(text: str) -> int:
    """How many segments the carrier bills and sends for `text` (0 for an empty text)."""
    if not text:
        return 0
    if is_gsm7(text):
        septets = sum(2 if ch in EXTENDED else 1 for ch in text)
        return 1 if septets <= GSM_SINGLE else math.ceil(septets / GSM_PART)
    units = len(text.encode("utf-16-le")) // 2  # an emoji is two UTF-16 code units
    return 1 if units <= UCS2_SINGLE else math.ceil(units / UCS2_PART)
