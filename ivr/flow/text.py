"""Text helpers shared by the extractors and rules: normalising and phrase matching.

Speech transcripts arrive lower-case without punctuation and SMS arrives with anything; both are
reduced to the same word sequence so one phrase list serves voice and SMS.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz.fuzz import ratio as _ratio

_NON_WORD = re.compile(r"[^a-z0-9$#%'\-\s]")
_SPACES = re.compile(r"\s+")
_LOOSE_HYPHEN = re.compile(r"(?<![a-z])-|-(?!\d)")
_CONTRACTIONS = {"’": "'", "‘": "'", "don't": "do not", "doesn't": "does not", "can't": "cannot",
                 "won't": "will not", "isn't": "is not", "i'm": "i am", "it's": "it is",
                 "didn't": "did not", "haven't": "have not", "there's": "there is",
                 "i've": "i have", "we're": "we are", "you're": "you are", "that's": "that is",
                 "what's": "what is", "wasn't": "was not", "aren't": "are not",
                 "hasn't": "has not", "couldn't": "could not", "wouldn't": "would not",
                 "shouldn't": "should not", "weren't": "were not", "we've": "we have",
                 "they're": "they are", "he's": "he is", "she's": "she is"}
#: The same contractions typed without the apostrophe ("i dont have a lawyer"); only words
#: that are not also ordinary words ("ill", "well", "its", "were" stay as they are).
_BARE = {"dont": "do not", "doesnt": "does not", "didnt": "did not", "cant": "cannot",
         "wont": "will not", "isnt": "is not", "im": "i am", "ive": "i have",
         "havent": "have not", "hasnt": "has not", "wasnt": "was not", "arent": "are not",
         "couldnt": "could not", "wouldnt": "would not", "shouldnt": "should not",
         "thats": "that is", "whats": "what is", "theres": "there is", "youre": "you are",
         "theyre": "they are", "werent": "were not", "aint": "is not"}
_BARE_WORD = re.compile(r"\b(" + "|".join(_BARE) + r")\b")


def fold_accents(text: str) -> str:
    """"Manutención, sí señora" -> "Manutencion, si senora": Spanish is typed with and without
    accents (phones, haste), and a letter outside a-z would otherwise split the word in two."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Lower-case words separated by single spaces; contractions expanded, punctuation gone.

    Cached: every phrase of every flow is normalised again for each message it is tried on.
    """
    low = fold_accents(text.lower())
    for short, long in _CONTRACTIONS.items():
        low = low.replace(short, long)
    low = _BARE_WORD.sub(lambda m: _BARE[m.group(1)], low)
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
    pairs = _needles(phrases) if isinstance(phrases, tuple) else _pairs(phrases)
    return [phrase for phrase, needle in pairs if needle in padded]


def _pairs(phrases: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """Each phrase with the padded, normalised form a message is searched for (phrases with
    no words are left out: they match nothing)."""
    return tuple((phrase, f" {needle} ") for phrase in phrases if (needle := normalize(phrase)))


@lru_cache(maxsize=1024)
def _needles(phrases: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """`_pairs` of a flow's or a module's fixed phrase list, worked out once rather than once
    per message (each message is tried against the same lists)."""
    return _pairs(phrases)


def fuzzy_phrase(text: str, phrase: str, floor: float = 0.0) -> float:
    """0..1: how well `phrase` matches some run of words in `text` (typos, mis-hearings).

    Compares the phrase with every window of the same number of words, so "furnase" matches
    "furnace" but "rash" inside "crashed" does not count. `floor`: a score below it may be
    given as 0 (a caller after the best of many phrases lets the matcher stop early); one at
    or above it is exact.
    """
    target = _target(phrase)
    if target is None:
        return 0.0
    needle, size, slack = target
    length = len(needle)
    cutoff = floor * 100.0 - 1e-6 if floor > 0 else 0.0  # never cut a score equal to floor
    best = 0.0
    for window in _windows(text, size):
        if abs(len(window) - length) <= slack:
            score = _ratio(window, needle, score_cutoff=max(cutoff, best))
            if score > best:
                best = score
    return best / 100.0


@lru_cache(maxsize=8192)
def _target(phrase: str) -> tuple[str, int, int] | None:
    """A phrase as `fuzzy_phrase` compares it: normalised, its number of words, and how many
    letters longer or shorter a window may be; None for a phrase with no words."""
    needle = normalize(phrase)
    if not needle:
        return None
    return needle, needle.count(" ") + 1, max(2, len(needle) // 3)


@lru_cache(maxsize=4096)
def _windows(text: str, size: int) -> tuple[str, ...]:
    """Every run of `size` words of normalised `text` (one short text is tried against every
    phrase of a flow, so its windows are built once)."""
    tokens = normalize(text).split()
    if not tokens:
        return ()
    return tuple(" ".join(tokens[start:start + size])
                 for start in range(0, max(1, len(tokens) - size + 1)))


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
