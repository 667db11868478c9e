"""`ivr flows draft`: unlabelled conversations grouped by meaning into a starting flow (issue 26).

Why: the deployment that worked sorted its past conversations into buckets before configuring
anything; by hand that took the HVAC company two days. The semantic layer's own sentence model
(`ivr.semantic`, local) already measures how close two messages are, so the first messages are
grouped by it and each group becomes a candidate bucket whose `examples:` are the group's most
typical sentences: the flow then understands those customers the way the live product will.

Grouping (`group`): each message's unit vector; a message with many close neighbours leads a
group, and every message not yet grouped within `SIMILAR` of it joins (cosine), densest
leaders first, so a big topic is found before its stragglers. Groups smaller than `MIN_SIZE`
are left out and counted as unsorted (too rare to be a bucket yet). A group's name is its most
distinctive words; its examples are the members nearest its centre, masked and at least three
words long (what `ivr flows check` asks of an example).

The draft is a valid flow (`ivr flows check` passes it), but its decisions are the owner's:
every bucket starts `route: human` (nobody is missed while it is unfinished) and carries a
`TODO(owner)` comment for the route and the answer.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ivr.flow.redact import redact
from ivr.semantic import Semantic

#: Cosine similarity at which two first messages are taken to mean the same thing.
SIMILAR = 0.5
#: Fewest messages a candidate bucket needs.
MIN_SIZE = 2
#: Examples written per bucket.
EXAMPLES = 8
#: Words that never name a bucket.
STOP = frozenset("""a about after again all am an and any anyone are as at be been but by can
could did do does doing don for from get got had has have having hello hey hi how i i'm if in
is it it's its just me my need no not of on one or our out please so some that the their them
then there this to today up us was we what when where who why will with would yes you your
thanks thank want know like""".split())  # noqa: SIM905 - a word list reads as words
_WORD = re.compile(r"[a-z][a-z']+")


@dataclass(frozen=True)
class Group:
    """A candidate bucket: its name, how many messages, the most typical ones."""

    name: str
    size: int
    examples: tuple[str, ...]


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in STOP and len(w) > 2]


def _names(members: Sequence[Sequence[str]], everyone: Counter[str], total: int) -> str:
    """The group's two most distinctive words ("no_heat"): common in it, rare elsewhere."""
    mine = Counter(w for text in members for w in set(_words(" ".join(text))))
    ranked = sorted(mine, key=lambda w: (-(mine[w] / len(members)) * (
        total / max(everyone[w], 1)) ** 0.5, w))
    return "_".join(ranked[:2]) or "topic"


def group(texts: Sequence[str], semantic: Semantic, *, similar: float = SIMILAR,
          min_size: int = MIN_SIZE) -> tuple[list[Group], int]:
    """Candidate buckets, biggest first, and how many texts fitted none."""
    if not texts:
        return [], 0
    vectors = semantic.vectors(list(texts))
    sims = vectors @ vectors.T
    close = sims >= similar
    free = np.ones(len(texts), dtype=bool)
    everyone = Counter(w for t in texts for w in set(_words(t)))
    groups: list[Group] = []
    taken: set[str] = set()
    unsorted = 0
    for leader in np.argsort(-close.sum(axis=1), kind="stable"):
        if not free[leader]:
            continue
        members = np.flatnonzero(close[leader] & free)
        free[members] = False
        if len(members) < min_size:
            unsorted += len(members)
            continue
        centre = vectors[members].mean(axis=0)
        typical = members[np.argsort(-(vectors[members] @ centre), kind="stable")]
        examples: list[str] = []
        for i in typical:
            text = " ".join(redact(texts[i]).split())
            if len(text.split()) >= 3 and text.lower() not in {e.lower() for e in examples}:
                examples.append(text)
            if len(examples) == EXAMPLES:
                break
        name = base = _names([[texts[i]] for i in members], everyone, len(texts))
        suffix = 2
        while name in taken:
            name, suffix = f"{base}_{suffix}", suffix + 1
        taken.add(name)
        groups.append(Group(name, len(members), tuple(examples)))
    groups.sort(key=lambda g: (-g.size, g.name))
    return groups, unsorted


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def flow_yaml(groups: Sequence[Group], total: int, unsorted: int, name: str = "draft") -> str:
    """A starting flow whose buckets carry the groups' examples, for the owner to finish."""
    lines = [
        f"# A draft flow from {total} conversations (ivr flows draft): {len(groups)} candidate",
        f"# buckets; {unsorted} message(s) fitted no group. Every bucket starts `route: human`",
        "# so nobody is missed; TODO(owner): for each bucket choose the route (bot_only answers,",
        "# bot_first answers then offers a person, human hands over), write its `answer:`, rename",
        "# it, merge or delete it. Then `ivr flows check` this file and `ivr flows try` it.",
        f"name: {name}",
        'greeting: "Hi, this is the virtual assistant for {business}."',
        'ask: "How can I help you today?"',
        "reprompt: \"Sorry, I didn't catch that. Could you tell me in a few words what you "
        'need?"',
        "",
        "buckets:",
    ]
    for g in groups:
        lines += [f"  {g.name}:  # {g.size} conversation(s)",
                  "    route: human  # TODO(owner): bot_only | bot_first | human",
                  "    # answer: \"...\"  TODO(owner): what the bot says (bot_only, bot_first)"]
        if g.examples:
            lines.append("    examples:")
            lines += [f"      - {_quoted(e)}" for e in g.examples]
    if not groups:
        lines += ["  general:  # no group found: TODO(owner)", "    route: human"]
    return "\n".join(lines) + "\n"


def summary(groups: Sequence[Group], total: int, unsorted: int) -> list[str]:
    """What `ivr flows draft` prints: each candidate bucket, its size and a few examples."""
    lines = [f"{total} conversation(s) grouped into {len(groups)} candidate bucket(s); "
             f"{unsorted} fitted no group"]
    for g in groups:
        lines.append(f"  {g.name:<28} {g.size:>5}")
        lines += [f"      e.g. {e!r}" for e in g.examples[:3]]
    return lines
