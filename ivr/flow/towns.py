"""Which town a "do you work in Georgetown?" names, and whether the business serves it.

A bucket with `places: service_area` answers a named town directly: "Yes, we serve Round Rock"
or "I'm sorry, we don't serve Georgetown at the moment. We serve Austin, Round Rock and
Pflugerville." The town is found among the business's own list first (typos allowed), then
among well-known places, then as the words after "in", "to", "near" or "around" at the end of
the question, so a town nobody listed still gets a kind, definite answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ivr.flow.places import PLACES, STATES
from ivr.flow.text import fuzzy_phrase, normalize

_TAIL = re.compile(r"\b(?:in|to|near|around|out to|out in|over in|service|serve|cover)"
                   r"\s+((?:[a-z][a-z'\-]*\s?){1,3})$")
#: Words that end a question but are not a town ("do you come out to my house").
_NOT_TOWNS = frozenset({"my", "our", "your", "the", "a", "an", "this", "that", "there", "here",
                        "me", "us", "it", "them", "you", "area", "areas", "house", "home",
                        "place", "town", "city", "neighborhood", "county", "work", "office",
                        "today", "tomorrow", "now", "weekends", "saturday", "sunday", "all",
                        "people", "customers", "please", "outside", "far", "every", "what",
                        "which", "any", "other", "these", "those", "repairs", "homes"})
_FUZZY = 0.85


def named_town(text: str, served: Sequence[str]) -> tuple[str, bool] | None:
    """(town as spoken, whether it is served) for the town `text` names, or None."""
    low = normalize(text)
    padded = f" {low} "
    for town in sorted(served, key=lambda t: -len(str(t))):
        if f" {normalize(str(town))} " in padded:
            return str(town), True
    for town in served:
        name = normalize(str(town))
        if len(name) >= 5 and fuzzy_phrase(low, name) >= _FUZZY:
            return str(town), True
    for place in sorted(PLACES, key=len, reverse=True):
        if f" {place} " in padded:
            return place.title(), False
    tail = _TAIL.search(low.rstrip(" ?"))
    if tail:
        words = [w for w in tail.group(1).split() if w not in ("tx", "texas")]
        if words and not any(w in _NOT_TOWNS for w in words) \
                and " ".join(words) not in {normalize(s) for s in STATES.values()}:
            return " ".join(words).title(), False
    return None
