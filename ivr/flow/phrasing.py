"""Phrase sets and word-pair rules: how a flow says "an equipment word plus a symptom word".

Real customers rarely use a bucket's exact phrase ("my furnace is making a loud noise" names no
repair phrase), but they reliably combine two kinds of words: a thing (furnace, thermostat, heat
pump) and what is wrong with it (noise, blank, leaking). A flow names such word kinds once under
`vocabulary:` and combines them in `pairs:` on buckets and triggers; `ignore:` lists phrases
that contain a matching word but mean something else ("sick of waiting", "burnt orange").
All matching is on normalised, word-bounded text (see `ivr.flow.text`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

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


def normalized(phrases: Iterable[str]) -> tuple[str, ...]:
    """Phrases normalised once at load time, empty ones dropped, order kept."""
    return tuple(dict.fromkeys(n for p in phrases if (n := normalize(str(p)))))


class Reporter(Protocol):
    """What the loader's checker offers: a problem at a node's key's line."""

    def add(self, node: Any, key: Any, message: str) -> None: ...


def parse_vocabulary(check: Reporter, node: Any) -> dict[str, tuple[str, ...]]:
    """`vocabulary:` — named phrase sets; each a non-empty list of phrases."""
    sets: dict[str, tuple[str, ...]] = {}
    if node is None:
        return sets
    if not isinstance(node, Mapping):
        check.add(node, None, "vocabulary: a mapping of set name to a list of phrases")
        return sets
    for name, phrases in node.items():
        if isinstance(phrases, str) or not isinstance(phrases, list) or not phrases:
            check.add(node, name, f"vocabulary '{name}': a non-empty list of phrases")
            continue
        sets[str(name)] = normalized(phrases)
    return sets


def parse_pairs(check: Reporter, node: Any, vocabulary: Mapping[str, tuple[str, ...]],
                what: str, town: bool = False) -> tuple[Pair, ...]:
    """`pairs:` — each a list of two or more groups (a vocabulary set name or a list of
    phrases), or `{match: [...], weight: N}`. With `town` (a bucket with `places:`), the group
    `town` means "the message names a town"."""
    if not isinstance(node, list):
        check.add(node, None, f"{what}: pairs is a list of word-pair rules")
        return ()
    pairs: list[Pair] = []
    for i, entry in enumerate(node):
        weight: Any = 1.0
        items = entry
        if isinstance(entry, Mapping):
            unknown = [k for k in entry if k not in ("match", "weight")]
            for key in unknown:
                check.add(entry, key, f"{what}: pair {i + 1}: unknown key '{key}' "
                                      f"(known: match, weight)")
            items, weight = entry.get("match"), entry.get("weight", 1.0)
            if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
                check.add(entry, "weight", f"{what}: pair {i + 1}: weight is a positive number")
                weight = 1.0
        if not isinstance(items, list) or len(items) < 2:
            check.add(node, i, f"{what}: pair {i + 1} needs two or more groups, e.g. "
                               f"[equipment, symptom]")
            continue
        groups: list[tuple[str, ...]] = []
        for j, item in enumerate(items):
            if isinstance(item, list):
                group = normalized(item)
            elif town and str(item) == TOWN and TOWN not in vocabulary:
                group = (TOWN_MARK,)
            elif str(item) in vocabulary:
                group = vocabulary[str(item)]
            else:
                known = ", ".join(sorted(vocabulary)) or "none defined"
                check.add(items, j, f"{what}: pair {i + 1} names unknown phrase set '{item}' "
                                    f"(vocabulary: {known})")
                continue
            if group:
                groups.append(group)
        if len(groups) == len(items):
            names = tuple(str(x) if not isinstance(x, list) else "[...]" for x in items)
            pairs.append(Pair(tuple(groups), float(weight), names))
    return tuple(pairs)


def parse_ignore(check: Reporter, node: Any, what: str) -> tuple[str, ...]:
    """`ignore:` — a list of phrases that must not count as matches."""
    if node is None:
        return ()
    if isinstance(node, str) or not isinstance(node, list):
        check.add(node, None, f"{what}: ignore is a list of phrases")
        return ()
    return normalized(node)


def vocabulary_words(vocabulary: Mapping[str, tuple[str, ...]],
                     *phrase_lists: Iterable[str]) -> set[str]:
    """Every single word the flow's phrases use: what the speller corrects towards."""
    found: set[str] = set()
    for phrases in (*vocabulary.values(), *phrase_lists):
        for phrase in phrases:
            found.update(normalize(phrase).split())
    return found
