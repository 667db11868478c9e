"""What a message is about: its bucket, an FAQ entry that answers it, or small talk.

Buckets are chosen by their phrases: every phrase found adds its length in letters, so the most
specific wording wins ("check up" beats "check", "membership" beats "how much"); ties go to the
bucket listed first, which is why flows list their urgent buckets first. A bucket's word-pair
rules (`pairs:`, see `ivr.flow.phrasing`) add the letters of the pair's words, times the rule's
weight, so "furnace" + "loud noise" reads as a repair though no repair phrase is there; its
`ignore:` phrases are blanked out first. The engine repairs typos towards the flow's words
before classifying; multi-word phrases still match fuzzily when nothing matched exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rapidfuzz import fuzz, process

from ivr.flow.model import Bucket, Flow
from ivr.flow.negation import BLANK, deny
from ivr.flow.phrasing import TOWN_MARK, mask, padded, phrase_score
from ivr.flow.text import find_phrases, fuzzy_phrase, normalize
from ivr.flow.towns import named_town

#: A person's bucket the rules heard beside a bot's (`person_also_heard`): its share of the
#: winner's letters and its least letters. Tuned on tests/understanding/dev.csv only.
ALSO_SHARE = 0.6
ALSO_MIN = 7
#: How close (0..1) a run of words must be to a multi-word phrase to count as it.
FUZZY_CUTOFF = 0.85
COURTESY = ("thanks", "thank you", "thank you so much", "thx", "ty", "ok thanks", "okay thanks",
            "bye", "goodbye", "good bye", "that is all", "that is it", "great thanks", "cheers",
            "perfect thanks", "got it thanks", "ok", "okay", "cool", "great")


def classify(flow: Flow, text: str,
             params: Mapping[str, Any] | None = None) -> tuple[str, float] | None:
    """The best bucket for `text` and a confidence 0..1, or None when nothing fits.

    `params` (the business's) give a bucket with `places:` its towns, for pairs on `town`.
    """
    message = padded(text)
    scores: dict[str, float] = {}
    for name, bucket in flow.buckets.items():
        here = message
        if bucket.places and named_town(text, _towns(params, bucket.places)) is not None:
            here = f"{message}{TOWN_MARK} "
        score = bucket_score(bucket, here)
        if score:
            scores[name] = score
    if scores:
        best = max(scores.values())
        winners = [n for n, s in scores.items() if s == best]
        return winners[0], (1.0 if len(winners) == 1 else 0.8)
    fuzzy = _fuzzy_bucket(flow, text)
    if fuzzy is not None:
        return fuzzy[1], round(fuzzy[0] * 0.9, 2)
    return None


def person_also_heard(flow: Flow, text: str, chosen: str) -> tuple[str, float] | None:
    """A bucket that hands over to a person which the rules heard nearly as strongly as the
    bot's bucket they chose, with a confidence; else None.

    Highest-score-wins is right between the bot's topics and wrong across the line to a person:
    "want my money back, the tech didn't even open the unit and charged me the diagnostic fee"
    names a complaint (38 letters) and a price (40), and a quote is no answer to it. When a
    person's bucket scores at least `ALSO_SHARE` of the winner's (and `ALSO_MIN` letters: one
    short word such as "repair" in "a payment plan for repairs" is not enough), safety first.
    """
    rules = flow.buckets.get(chosen)
    if rules is None or rules.route == "human" and chosen != flow.default_bucket:
        return None  # (a new matter is qualified by the bot first: a bot's side too)
    message = padded(text)
    theirs = bucket_score(rules, message)
    heard = [(bucket_score(b, message), name) for name, b in flow.buckets.items()
             if b.hands_over and name != chosen]
    score, name = max(heard, default=(0.0, ""))
    if not name or score < ALSO_MIN or score < ALSO_SHARE * theirs:
        return None
    return name, 0.8


def fuzzy_index(flow: Flow) -> dict[int, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Multi-word bucket phrases by their number of words: (phrases, owning buckets).

    Single words are repaired by the speller before classifying, so only wordings ("tune upp",
    "servise area") are left for the fuzzy fallback.
    """
    by_size: dict[int, tuple[list[str], list[str]]] = {}
    for name, bucket in flow.buckets.items():
        for phrase in bucket.keys:
            if len(phrase) >= 8 and " " in phrase:
                phrases, owners = by_size.setdefault(len(phrase.split()), ([], []))
                phrases.append(phrase)
                owners.append(name)
    return {size: (tuple(p), tuple(o)) for size, (p, o) in by_size.items()}


def _fuzzy_bucket(flow: Flow, text: str) -> tuple[float, str] | None:
    """(score 0..1, bucket) of the multi-word phrase closest to a run of the message's words."""
    tokens = normalize(text).split()
    # (what the customer denies never reaches a person's bucket: "not a current client yet")
    words = [w for b in flow.buckets.values() if b.hands_over for w in b.words]
    denied = deny(f" {' '.join(tokens)} ", words).split()
    best: tuple[float, str] | None = None
    for size, (phrases, owners) in (flow.fuzzy or fuzzy_index(flow)).items():
        for start in range(0, max(0, len(tokens) - size + 1)):
            window = " ".join(tokens[start:start + size])
            found = process.extractOne(window, phrases, scorer=fuzz.ratio,
                                       score_cutoff=FUZZY_CUTOFF * 100)
            if found is not None and flow.buckets[owners[found[2]]].hands_over and (
                    BLANK in denied[start:start + size]):
                continue
            if found is not None and (best is None or found[1] / 100 > best[0]):
                best = (found[1] / 100, owners[found[2]])
    return best


def _towns(params: Mapping[str, Any] | None, key: str) -> list[str]:
    towns = (params or {}).get(key)
    return [str(t) for t in towns] if isinstance(towns, list) else []


def bucket_score(bucket: Bucket, message: str) -> float:
    """How strongly the padded, normalised `message` points at `bucket` (0: not at all).

    A bucket that hands the customer to a person reads only what the customer affirms: "not a
    current client yet" is no existing client, "no emergency, just booking the yearly check" no
    repair (`ivr.flow.negation`; a phrase written with its negation, "not working", "no heat",
    is read as written)."""
    if bucket.hands_over:
        message = deny(message, bucket.words)
    if bucket.ignore:
        message = mask(message, bucket.ignore)
    score: float = phrase_score(message, bucket.keys)
    for pair in bucket.pairs:
        score += pair.score(message)
    return score


def faq_answer(entries: Any, text: str) -> str | None:
    """The answer of the FAQ entry (`{keywords, answer}`) that best matches `text`."""
    if not isinstance(entries, Sequence) or isinstance(entries, str):
        return None
    best: tuple[int, str | None] = (0, None)
    for entry in entries:
        if not isinstance(entry, Mapping) or not entry.get("answer"):
            continue
        keywords = [str(k) for k in entry.get("keywords") or ()]
        hits = len(find_phrases(text, keywords))
        hits += sum(1 for k in keywords if len(k) >= 5 and fuzzy_phrase(text, k) >= 0.88
                    and k not in find_phrases(text, keywords))
        if hits > best[0]:
            best = (hits, str(entry["answer"]))
    return best[1]


def courtesy(text: str) -> bool:
    """"Thanks!", "bye": the customer is done, not asking something new."""
    return normalize(text) in COURTESY
