"""Typo repair towards a flow's own words: "my furnase is leeking" reads as "furnace leaking".

Texters mistype and recognisers mishear, but only words the flow knows matter, so each unknown
word is compared with the flow's vocabulary (every word of every phrase) and replaced by the
one it is a slip of. To keep ordinary words ordinary ("fine" must never become "fire"), only
words of five letters or more are repaired, the first letter must agree, one edit is allowed
(two from eight letters), a tie between two vocabulary words repairs nothing, and everyday
English and Spanish words (`ivr.flow.common_words`, `common_words_es`) are taken as meant
("change" never becomes "charge", "harta" never "hasta").
A plural of a flow word becomes the word ("heat pumps" is about a "heat pump").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz.distance import OSA

from ivr.flow.common_words import COMMON_WORDS
from ivr.flow.common_words_es import COMMON_WORDS_ES
from ivr.flow.text import fold_accents

#: Shortest word that is repaired; shorter words are too easily another real word.
MIN_LENGTH = 5
#: A few everyday words beyond the frequency list that are one slip from a flow word.
_EXTRA = """
hikes hires hides dives fives liner bakes dated paged sized timed turned burner waits sweat
wheat horse
"""
#: Everyday words one slip away from a shipped flow's vocabulary: never "repaired" (in English
#: and in Spanish: the flows carry Spanish phrases, so "harta" would become "hasta").
COMMON = COMMON_WORDS | COMMON_WORDS_ES | frozenset(_EXTRA.split())
#: Pronouns ending in "s" that are no plural of a flow word: "ours is just two people growing
#: apart" must keep its "ours" (it sets the customer's own story apart), not become "our".
POSSESSIVES = frozenset(("ours", "yours", "hers", "theirs"))
_WORD = re.compile(r"[A-Za-z][A-Za-z']*")


class Speller:
    """Repairs mistyped words towards a fixed vocabulary; built once per flow at load."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        words = {w for w in vocabulary if w.isalpha()}
        self.known = frozenset(words)
        self._by_letter: dict[str, list[str]] = {}
        for word in sorted(words):
            if len(word) >= MIN_LENGTH:
                self._by_letter.setdefault(word[0], []).append(word)
        self._cache: dict[str, str | None] = {}

    def repair(self, word: str) -> str | None:
        """The vocabulary word `word` is a slip of, or None (known, common, or no clear match)."""
        low = word.lower()
        if low in self._cache:
            return self._cache[low]
        found = self._closest(low)
        if len(self._cache) < 8192:
            self._cache[low] = found
        return found

    def _closest(self, low: str) -> str | None:
        if low in self.known or not low.isalpha() or low in COMMON_WORDS_ES:
            return None  # a Spanish word is never an English plural ("unos" is not "uno"s)
        if len(low) >= 4 and low.endswith("s") and low[:-1] in self.known \
                and low not in POSSESSIVES:
            return low[:-1]  # "heat pumps" is about a "heat pump"
        if len(low) < MIN_LENGTH or low in COMMON:
            return None
        limit = 2 if len(low) >= 8 else 1
        best: tuple[int, str | None] = (limit + 1, None)
        tie = False
        for candidate in self._by_letter.get(low[0], ()):
            if abs(len(candidate) - len(low)) > limit:
                continue
            distance = OSA.distance(low, candidate, score_cutoff=limit)
            if distance < best[0]:
                best, tie = (distance, candidate), False
            elif distance == best[0] and distance <= limit:
                tie = True
        return None if tie else best[1]

    def correct(self, text: str) -> str:
        """`text` with each slipped word replaced by its vocabulary word (the rest untouched)."""
        # accents folded first, as `normalize` does: "cotización" is one word, not "cotizaci n"
        return _WORD.sub(lambda m: self.repair(m.group(0)) or m.group(0), fold_accents(text))
