"""The bot's own confidence in an utterance, because Vosk's word confidences alone mislead.

Vosk reports word confidences near 1.0 even for words forced out of a grammar (vosk-api
issues 741 and 1529): constrained to "yes | no | [unk]", a cough comes back as "no", conf 1.0.
So a turn's confidence combines three signals:

    confidence = acoustic × (1 − unk_share) × match

- acoustic: the mean confidence of the recognised words that are not `[unk]`;
- unk_share: the fraction of recognised words that are `[unk]` (speech the grammar did not
  cover — the caller said something else);
- match: how closely the recognised text (without `[unk]`) equals the nearest expected phrase
  (rapidfuzz's character ratio / 100; 1.0 without a grammar). A grammar only restricts the
  vocabulary, so "thousand" out of "two thousand | three thousand" is a partial match (0.8).

No words at all gives 0.0. The flow core compares the result with its thresholds to re-ask,
offer keypad choices, or escalate.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

#: Vosk's token for speech outside a grammar.
UNK = "[unk]"


def best_match(text: str, phrases: Sequence[str]) -> tuple[str | None, float]:
    """The expected phrase nearest to `text` and the match quality in 0..1."""
    best: tuple[str | None, float] = (None, 0.0)
    for phrase in phrases:
        if phrase == UNK:
            continue
        score = fuzz.ratio(text, phrase) / 100
        if score > best[1]:
            best = (phrase, score)
    return best


def turn_confidence(words: Sequence[tuple[str, float]], grammar: Sequence[str] | None) -> float:
    """Confidence in 0..1 for one utterance.

    Args:
        words: (word, vosk confidence) pairs, `[unk]` included.
        grammar: the question's expected phrases, or None for free recognition.
    """
    if not words:
        return 0.0
    known = [(w, c) for w, c in words if w != UNK]
    if not known:
        return 0.0
    acoustic = sum(min(max(c, 0.0), 1.0) for _, c in known) / len(known)
    unk_share = (len(words) - len(known)) / len(words)
    match = 1.0
    phrases = [p for p in (grammar or ()) if p != UNK]
    if phrases:
        match = best_match(" ".join(w for w, _ in known), phrases)[1]
    return round(acoustic * (1 - unk_share) * match, 3)
