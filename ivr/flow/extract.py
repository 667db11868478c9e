"""Slot extractors: one message in, a value and how sure we are out.

Every extractor takes the message and whether its slot was the question just asked: answers to
a question may be bare ("five thousand", "no", "Texas"), while facts volunteered in passing need
clearer wording before they fill a slot.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ivr.flow.model import Option, Slot
from ivr.flow.money import find_money
from ivr.flow.numbers import spoken_digits
from ivr.flow.places import find_state
from ivr.flow.text import find_phrases, fuzzy_phrase, normalize
from ivr.flow.timeline import find_timeline

Found = tuple[Any, float]

YES = ("yes", "yeah", "yep", "yup", "ya", "sure", "correct", "right", "that is right",
       "affirmative", "ok", "okay", "i do", "please", "absolutely", "of course", "definitely",
       "uh huh", "yes please", "that is correct", "exactly", "y")
NO = ("no", "nope", "nah", "not yet", "not really", "negative", "i do not", "wrong",
      "incorrect", "no thanks", "no thank you", "none", "never", "n", "not at all", "that is it",
      "that is all", "i am good", "all good")

DEFAULT_ORDER = re.compile(r"\b([a-z]{1,3}-?\d{4,8}|\d{4,8})\b")


def yes_or_no(text: str) -> bool | None:
    """True for a yes, False for a no, None when the message is neither (or both, unclear)."""
    low = normalize(text)
    if low in ("1",):
        return True
    if low in ("2",):
        return False
    padded = f" {low} "
    # (where it starts, longer first): "i do not" beats "i do" at the same place.
    hits = [(padded.find(f" {w} "), -len(w), answer) for words, answer in ((YES, True), (NO, False))
            for w in words if f" {w} " in padded]
    return min(hits)[2] if hits else None


def match_option(options: tuple[Option, ...], text: str, asked: bool) -> Found | None:
    """The option a message names: exact phrase first (longest wins), then fuzzy."""
    low = normalize(text)
    if asked:
        for option in options:
            if option.digit and low == option.digit:
                return option.value, 1.0
    best: tuple[int, Option] | None = None
    for option in options:
        for phrase in find_phrases(text, option.phrases):
            size = len(normalize(phrase))
            if best is None or size > best[0]:
                best = (size, option)
    if best is not None:
        return best[1].value, 1.0
    threshold = 0.8 if asked else 0.9
    scored = max(((max(fuzzy_phrase(text, p) for p in o.phrases), o) for o in options
                  if o.phrases), key=lambda pair: pair[0], default=(0.0, None))
    if scored[1] is not None and scored[0] >= threshold:
        return scored[1].value, round(scored[0], 2)
    return None


def _yesno(slot: Slot, text: str, asked: bool) -> Found | None:
    no = find_phrases(text, slot.no_phrases)
    # "do not have a lawyer" contains "have a lawyer": the longer, negative phrase wins.
    yes = [y for y in find_phrases(text, slot.yes_phrases)
           if not any(normalize(y) in normalize(n) for n in no)]
    if no and not yes:
        return "no", 1.0
    if yes and not no:
        return "yes", 1.0
    if asked:
        answer = yes_or_no(text)
        if answer is not None:
            return ("yes" if answer else "no"), 1.0
    return None


def _order_number(slot: Slot, text: str, asked: bool) -> Found | None:
    pattern = slot.pattern or DEFAULT_ORDER
    low = spoken_digits(normalize(text))
    match = pattern.search(low) or pattern.search(text)
    if not match:
        return None
    value = match.group(1) if match.groups() else match.group(0)
    return value.strip().upper(), 1.0


def _text(slot: Slot, text: str, asked: bool) -> Found | None:
    if slot.pattern is not None:
        match = slot.pattern.search(text)
        if match:
            return (match.group(1) if match.groups() else match.group(0)).strip(), 1.0
        return None
    if asked and text.strip():
        return text.strip(), 1.0
    return None


#: Extractors with their own vocabulary; a slot's menu options are the fallback when asked.
_READERS: dict[str, Callable[[str, bool], Found | None]] = {
    "state": find_state, "money": find_money, "timeline": find_timeline,
}


def extract(slot: Slot, text: str, asked: bool = False) -> Found | None:
    """Fill `slot` from `text` if the message says it: (value, confidence 0..1) or None."""
    if not text.strip() or (not asked and not slot.unprompted):
        return None
    if slot.type == "choice":
        return match_option(slot.options, text, asked)
    if slot.type in _READERS:
        found = _READERS[slot.type](text, asked)
        if found is None and asked and slot.options:
            found = match_option(slot.options, text, asked)
            if found and slot.type == "money":  # menu values of a money slot are dollars
                found = (int(found[0]), found[1]) if str(found[0]).isdigit() else None
        return found
    if slot.type == "yesno":
        return _yesno(slot, text, asked)
    if slot.type == "order_number":
        return _order_number(slot, text, asked)
    return _text(slot, text, asked)


def from_digits(slot: Slot, digits: str) -> Any | None:
    """The value a keypad press picks for `slot` (menu choices, or 1 = yes / 2 = no)."""
    for choice in slot.choices:
        if choice.digit == digits:
            if slot.type == "money" and choice.value.isdigit():
                return int(choice.value)
            return choice.value
    if slot.type == "order_number" and digits.isdigit() and len(digits) >= 4:
        return digits
    return None
