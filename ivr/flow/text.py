"""Text helpers shared by the extractors and rules: normalising and phrase matching.

Speech transcripts arrive lower-case without punctuation and SMS arrives with anything; both are
reduced to the same word sequence so one phrase list serves voice and SMS.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz

_NON_WORD = re.compile(r"[^a-z0-9$#%'\-\s]")
_SPACES = re.compile(r"\s+")
_LOOSE_HYPHEN = re.compile(r"(?<![a-z])-|-(?!\d)")
_CONTRACTIONS = {"’": "'", "‘": "'", "don't": "do not", "doesn't": "does not", "can't": "cannot",
                 "won't": "will not", "isn't": "is not", "i'm": "i am", "it's": "it is",
                 "didn't": "did not", "haven't": "have not", "there's": "there is",
                 "i've": "i have", "we're": "we are", "you're": "you are", "that's": "that is",
                 "what's": "what is", "wasn't": "was not", "aren't": "are not",
                 "hasn't": "has not", "couldn't": "could not"}


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Lower-case words separated by single spaces; contractions expanded, punctuation gone.

    Cached: every phrase of every flow is normalised again for each message it is tried on.
    """
    low = text.lower()
    for short, long in _CONTRACTIONS.items():
        low = low.replace(short, long)
    low = _LOOSE_HYPHEN.sub(" ", low)  # keep order numbers like fg-10231 whole
    return _SPACES.sub(" ", _NON_WORD.sub(" ", low)).strip()


def words(text: str) -> list[str]:
    return normalize(text).split()


def has_phrase(text: str, phrase: str) -> bool:
    """Whether normalised `phrase` occurs in normalised `text` on word boundaries."""
    needle = normalize(phrase)
    if not needle:
        return False
    return f" {needle} " in f" {normalize(text)} "


def find_phrases(text: str, phrases: Iterable[str]) -> list[str]:
    """The phrases that occur in `text` (word-bounded), in the order given."""
    padded = f" {normalize(text)} "
    found = []
    for phrase in phrases:
        needle = normalize(phrase)
        if needle and f" {needle} " in padded:
            found.append(phrase)
    return found


def fuzzy_phrase(text: str, phrase: str) -> float:
    """0..1: how well `phrase` matches some run of words in `text` (typos, mis-hearings).

    Compares the phrase with every window of the same number of words, so "furnase" matches
    "furnace" but "rash" inside "crashed" does not count.
    """
    target = normalize(phrase)
    tokens = normalize(text).split()
    if not target or not tokens:
        return 0.0
    size = len(target.split())
    best = 0.0
    for start in range(0, max(1, len(tokens) - size + 1)):
        window = " ".join(tokens[start:start + size])
        if abs(len(window) - len(target)) > max(2, len(target) // 3):
            continue
        best = max(best, fuzz.ratio(window, target) / 100.0)
    return best


def looks_like_question(text: str) -> bool:
    """Whether a message asks something (for the unanswered-questions log)."""
    low = normalize(text)
    starts = ("what", "how", "when", "where", "why", "who", "which", "do you", "does", "can i",
              "can you", "is it", "is there", "are you", "are there", "will", "should", "could")
    return text.strip().endswith("?") or low.startswith(starts)


def gist(text: str, limit: int = 160) -> str:
    """One line of what someone said, cut at a word boundary."""
    flat = _SPACES.sub(" ", text).strip()
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "..."
