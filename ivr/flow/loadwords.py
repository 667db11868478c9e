"""Loading a flow's words: `vocabulary:` sets, `pairs:`, `ignore:`, `urgent_if:`, the speller.

Kept beside the loader (which builds everything else) so the rules for customers' wording are
validated in one place, each problem reported as `file:line: problem` like any other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from ivr.flow.model import Bucket, Slot, Trigger
from ivr.flow.phrasing import TOWN, TOWN_MARK, Pair
from ivr.flow.spelling import Speller
from ivr.flow.text import normalize

#: Keys of a bucket's `urgent_if:` mapping.
URGENT_IF_KEYS = {"reason", "phrases", "pairs", "patterns", "ignore"}


def strings(value: Any) -> tuple[str, ...]:
    """A YAML scalar or list as a tuple of strings."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def normalized(phrases: Iterable[str]) -> tuple[str, ...]:
    """Phrases normalised once at load time, empty ones dropped, order kept."""
    return tuple(dict.fromkeys(n for p in phrases if (n := normalize(str(p)))))


class Checker(Protocol):
    """What the loader's checker offers: report a problem at a node's key's line, check keys
    and compile regexes (see `ivr.flow.loader`)."""

    def add(self, node: Any, key: Any, message: str) -> None: ...

    def keys(self, node: Any, known: set[str], what: str) -> None: ...

    def regex(self, node: Any, key: Any, text: str, what: str) -> re.Pattern[str] | None: ...


def parse_vocabulary(check: Checker, flow: Any) -> dict[str, tuple[str, ...]]:
    """`vocabulary:` — named phrase sets; each a non-empty list of phrases."""
    sets: dict[str, tuple[str, ...]] = {}
    node = flow.get("vocabulary")
    if node is None:
        return sets
    if not isinstance(node, Mapping):
        check.add(flow, "vocabulary", "vocabulary: a mapping of set name to a list of phrases")
        return sets
    for name, phrases in node.items():
        if isinstance(phrases, str) or not isinstance(phrases, list) or not phrases:
            check.add(node, name, f"vocabulary '{name}': a non-empty list of phrases")
            continue
        sets[str(name)] = normalized(phrases)
    return sets


def parse_pairs(check: Checker, parent: Any, vocabulary: Mapping[str, tuple[str, ...]],
                what: str, town: bool = False) -> tuple[Pair, ...]:
    """`pairs:` — each a list of two or more groups (a vocabulary set name or a list of
    phrases), or `{match: [...], weight: N}`. With `town` (a bucket with `places:`), the group
    `town` means "the message names a town"."""
    node = parent.get("pairs")
    if node is None:
        return ()
    if not isinstance(node, list):
        check.add(parent, "pairs", f"{what}: pairs is a list of word-pair rules")
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
            if not group:
                check.add(items, j, f"{what}: pair {i + 1} has an empty group")
                continue
            groups.append(group)
        if len(groups) == len(items):
            names = tuple(str(x) if not isinstance(x, list) else "[...]" for x in items)
            pairs.append(Pair(tuple(groups), float(weight), names))
    return tuple(pairs)


def parse_ignore(check: Checker, parent: Any, what: str) -> tuple[str, ...]:
    """`ignore:` — a list of phrases that must not count as matches."""
    node = parent.get("ignore")
    if node is None:
        return ()
    if isinstance(node, str) or not isinstance(node, list):
        check.add(parent, "ignore", f"{what}: ignore is a list of phrases")
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


def parse_urgent_if(check: Checker, bucket: Any, vocabulary: dict[str, tuple[str, ...]],
                    what: str) -> Trigger | None:
    """`urgent_if:` — phrases/pairs/patterns that make the bucket urgent, and the reason."""
    node = bucket["urgent_if"]
    what = f"{what} urgent_if"
    if not isinstance(node, dict) or not (node.get("phrases") or node.get("pairs")
                                          or node.get("patterns")):
        check.add(bucket, "urgent_if", f"{what}: a mapping with phrases, pairs or patterns")
        return None
    check.keys(node, URGENT_IF_KEYS, what)
    patterns = [c for j, text in enumerate(node.get("patterns") or [])
                if (c := check.regex(node["patterns"], j, text, what)) is not None]
    return Trigger(name=str(node.get("reason", "urgent")), urgent=True,
                   phrases=strings(node.get("phrases")), patterns=tuple(patterns),
                   pairs=parse_pairs(check, node, vocabulary, what),
                   ignore=parse_ignore(check, node, what),
                   keys=normalized(strings(node.get("phrases"))))


def speller_for(vocabulary: dict[str, tuple[str, ...]], buckets: dict[str, Bucket],
                slots: dict[str, Slot], triggers: list[Trigger]) -> Speller:
    """A speller that repairs typos towards every word the flow's phrases use."""
    rules = [*triggers, *(b.urgent_if for b in buckets.values() if b.urgent_if)]
    lists = [b.phrases for b in buckets.values()] + [t.phrases for t in rules]
    lists += [p for s in slots.values() for p in (s.yes_phrases, s.no_phrases)]
    lists += [o.phrases for s in slots.values() for o in s.options]
    lists += [g for item in (*buckets.values(), *rules) for pair in item.pairs
              for g in pair.groups if g != (TOWN_MARK,)]
    return Speller(vocabulary_words(vocabulary, *lists))
