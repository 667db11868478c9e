"""Small talk: "hi", "good morning", "how are you", "ok", "sorry, what?" are not failures.

People open with a greeting, acknowledge with "okay" and ask to hear a question again; none of
that is an answer the bot failed to understand. Such a message gets a warm reply and the same
question again, never "Sorry, I didn't catch that", and is not counted on the failure ladder nor
logged as an unanswered question. A message is small talk only when nothing but these words is
in it: "hi, my furnace is out" is a repair.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from ivr.flow.text import normalize

Kind = Literal["greeting", "how_are_you", "ack", "thanks", "repeat"]

#: Phrases of each kind, longest tried first (normalised wording: contractions expanded).
PHRASES: dict[Kind, tuple[str, ...]] = {
    "how_are_you": ("how are you", "how are you doing", "how are you today", "how is it going",
                    "hows it going", "how are things", "how do you do", "how is your day",
                    "what is up", "whats up", "sup"),
    "greeting": ("hi", "hello", "hey", "hiya", "howdy", "yo", "greetings", "good morning",
                 "good afternoon", "good evening", "morning", "afternoon", "evening",
                 "hi there", "hello there", "hey there", "is anyone there", "anyone there",
                 "is anybody there", "anybody there", "are you there", "is someone there",
                 "can you hear me", "nice to meet you", "hello hello", "i have a question",
                 "i have a quick question", "quick question", "i have some questions",
                 "i have a few questions", "i need help", "i need some help", "can you help me",
                 "can you help", "help me", "help", "i need to ask something", "who is this",
                 "who am i speaking with", "who am i talking to", "is this the office",
                 "is this the law office", "is this the right number", "am i speaking to"),
    "thanks": ("thanks", "thank you", "thank you so much", "thanks so much", "thx", "ty",
               "cheers", "appreciate it", "much appreciated", "bye", "goodbye", "good bye"),
    "ack": ("ok", "okay", "k", "kk", "alright", "all right", "sure", "cool", "great", "got it",
            "i see", "fine", "sounds good", "perfect", "understood", "right", "gotcha", "yeah",
            "yes", "yep"),
    "repeat": ("what", "sorry", "pardon", "pardon me", "excuse me", "come again", "say again",
               "say that again", "repeat", "repeat that", "can you repeat that",
               "could you repeat that", "please repeat", "what did you say", "i did not hear",
               "i did not hear you", "i did not catch that", "one more time", "huh"),
}
#: Words that carry nothing on their own around small talk ("um, hi there, guys").
FILLERS = frozenset({"um", "umm", "uh", "uhh", "er", "erm", "so", "well", "oh", "ah", "please",
                     "there", "again", "guys", "folks", "everyone", "sir", "maam", "mam",
                     "today", "and", "just", "i", "said", "me", "you", "there's"})
#: Which kind wins when a message mixes them ("hi, how are you?" is a how-are-you).
PRECEDENCE: tuple[Kind, ...] = ("how_are_you", "repeat", "greeting", "thanks", "ack")
_ORDERED = sorted(((normalize(p), kind) for kind, ps in PHRASES.items() for p in ps),
                  key=lambda pk: -len(pk[0]))


@lru_cache(maxsize=4096)  # pure; a turn asks about its one message several times
def small_talk(text: str) -> Kind | None:
    """The kind of small talk `text` is, or None when it says anything more."""
    rest = f" {normalize(text)} "
    found: set[Kind] = set()
    for phrase, kind in _ORDERED:
        needle = f" {phrase} "
        if needle in rest:
            found.add(kind)
            rest = rest.replace(needle, " ")
            while needle in rest:
                rest = rest.replace(needle, " ")
    if not found or any(w not in FILLERS for w in rest.split()):
        return None
    return next(kind for kind in PRECEDENCE if kind in found)
