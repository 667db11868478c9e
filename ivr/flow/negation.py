"""What the customer denies: "not an emergency", "nobody is hurt", "no gas smell".

A trigger phrase inside a denial must lower the trigger, not fire it: "not an emergency and
nobody's in danger" started the emergency path and "call 911". Genuine danger is often worded
with a negation too, so a denial is read narrowly:

- the denying word is one of `DENIALS` ("no", "not", "nobody", "nothing", "never", "without"...);
  a verb's own "not" ("he will not let me leave", "the furnace does not fire") and "cannot"
  ("I cannot breathe") deny nothing, nor does a "not" before an -ing word ("he is not
  breathing", "not responding"): those are the danger;
- it reaches `REACH` words forward (again after "or": "no smoke or burning smell"), never
  past a clause break ("and", "but"): in "not an emergency and my mom is 80" only "an
  emergency" is denied;
- a phrase the flow wrote with the negation inside ("no heat", "not safe", "no one came") is the
  flow's meaning and is never blanked ("no heat and my mom is 80" still fires);
- a leading "no" before a pronoun is an answer, not a denial ("no, I smell gas" fires).
"""

from __future__ import annotations

from collections.abc import Iterable

DENIALS = frozenset(("no", "not", "nobody", "nothing", "never", "without", "none", "neither",
                     "nor", "noone"))
#: Words before "not" that make it a verb's negation ("will not let me leave").
AUXILIARIES = frozenset(("do", "does", "did", "will", "would", "can", "could", "should", "must",
                         "might", "may", "shall"))
#: Words after an answer-like "no" that show it answers the question ("no i smell gas").
PRONOUNS = frozenset(("i", "we", "my", "our", "it", "he", "she", "they", "there", "the", "this",
                      "that", "but", "actually", "wait", "sorry", "thanks", "thank", "yes"))
BREAKS = frozenset(("and", "but", "so", "because", "|", "though", "although", "while",
                    "then", "since", "however", "except", "just", "only"))
#: How many words a denial covers ("nobody is in danger": 3).
REACH = 4
BLANK = "|"


def _protected(words: list[str], keep: Iterable[str]) -> set[int]:
    """Word positions inside a flow phrase that carries its own negation ("no heat")."""
    covered: set[int] = set()
    for phrase in keep:
        parts = phrase.split()
        if not parts or not DENIALS.intersection(parts):
            continue
        size = len(parts)
        for i in range(len(words) - size + 1):
            if words[i:i + size] == parts:
                covered.update(range(i, i + size))
    return covered


def _denies(words: list[str], i: int) -> bool:
    word = words[i].split("'")[0]  # "nobody's in danger"
    if word not in DENIALS:
        return False
    after = words[i + 1] if i + 1 < len(words) else ""
    if word == "not" and (i > 0 and words[i - 1] in AUXILIARIES or after.endswith("ing")):
        return False
    return not (word == "no" and (after in PRONOUNS or not after))


def deny(padded_text: str, keep: Iterable[str] = ()) -> str:
    """`padded_text` (a normalised message padded with spaces) with every denied stretch
    blanked to "|", so no phrase, pair or cue matches inside it. `keep`: the flow's own
    phrases (normalised); one that holds a negation is read as written."""
    words = padded_text.split()
    if not DENIALS.intersection(w.split("'")[0] for w in words):
        return padded_text
    keep = tuple(keep)
    safe = _protected(words, keep)
    out = list(words)
    i = 0
    while i < len(words):
        if i in safe or not _denies(words, i):
            i += 1
            continue
        end, start = i + 1, i
        while end < len(words) and end <= start + REACH and words[end] not in BREAKS:
            if end in safe:
                break
            if words[end] in ("or", "nor"):  # "no smoke or burning smell": both denied
                start = end
            end += 1
        for j in range(i, end):
            out[j] = BLANK
        i = end
    return f" {' '.join(out)} "


def denied_anything(padded_text: str, keep: Iterable[str] = ()) -> bool:
    """Whether the message denies something (so its undenied rest is what to judge)."""
    return deny(padded_text, keep) != padded_text


def undenied(padded_text: str, keep: Iterable[str] = ()) -> str:
    """The message without its denied stretches, as plain words (for the semantic layer)."""
    return " ".join(w for w in deny(padded_text, keep).split() if w != BLANK)
