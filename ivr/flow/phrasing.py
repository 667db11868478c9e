"""Phrase sets and word-pair rules: how a flow says "an equipment word plus a symptom word".

Real customers rarely use a bucket's exact phrase ("my furnace is making a loud noise" names no
repair phrase), but they reliably combine two kinds of words: a thing (furnace, thermostat, heat
pump) and what is wrong with it (noise, blank, leaking). A flow names such word kinds once under
`vocabulary:` and combines them in `pairs:` on buckets and triggers; `ignore:` lists phrases
that contain a matching word but mean something else ("sick of waiting", "burnt orange").
All matching is on normalised, word-bounded text (see `ivr.flow.text`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ivr.flow.text import normalize

#: The group a bucket with `places:` may use in its pairs: "a town is named" (see towns.py).
TOWN = "town"
#: How a named town shows in the text pairs are matched against (never a typed word).
TOWN_MARK = "@town"


@dataclass(frozen=True)
class Pair:
    """A word-pair rule: matches when every group has a phrase in the message.

    Attributes:
        groups: each group's normalised phrases (from a vocabulary set or written inline).
        weight: multiplies the score, so a telling combination ("your tech" + "damaged") can
            outweigh single words that point elsewhere ("damaged" alone hints at a claim).
        names: how the groups were written, for error messages and the docs.
    """

    groups: tuple[tuple[str, ...], ...]
    weight: float = 1.0
    names: tuple[str, ...] = ()

    def score(self, padded: str) -> float:
        """The letters of the longest phrase found in each group, times the weight; 0 if any
        group is missing."""
        total = 0
        for group in self.groups:
            best = max((len(p) for p in group if f" {p} " in padded), default=0)
            if not best:
                return 0.0
            total += best
        return total * self.weight


def padded(text: str) -> str:
    """The normalised message with a space each side, ready for word-bounded `in` tests."""
    return f" {normalize(text)} "


def mask(padded_text: str, ignore: Iterable[str]) -> str:
    """Blank out `ignore` phrases (already normalised) so their words match nothing else."""
    for phrase in ignore:
        needle = f" {phrase} "
        while needle in padded_text:
            padded_text = padded_text.replace(needle, " | ")
    return padded_text


def phrase_score(padded_text: str, phrases: Iterable[str]) -> int:
    """Letters of every phrase (normalised) found in the message: longer wording counts more."""
    return sum(len(p) for p in phrases if p and f" {p} " in padded_text)
