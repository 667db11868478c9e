"""When something is due: "hearing next month", "within two weeks", "no rush".

The value kept is a short normalised phrase ("next month", "within 2 weeks", "no rush") that
reads well in a staff summary; `urgency` tells the summary whether it is pressing.
"""

from __future__ import annotations

import re

from ivr.flow.numbers import spoken_digits
from ivr.flow.text import normalize

_NUM = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|a couple of|couple of|few)"
_UNIT = r"(?:day|week|month|year)s?"
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december")
_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"

#: (pattern, how to write the match); checked in order, first hit wins.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), label) for p, label in (
        (r"\b(no rush|not urgent|no hurry|whenever|not in a hurry|no deadline|"
         r"not time sensitive|just planning|just exploring)\b", "no rush"),
        (r"\b(as soon as possible|asap|right away|immediately|urgent(ly)?|emergency)\b",
         "as soon as possible"),
        (r"\b(today|tonight|this morning|this afternoon)\b", "today"),
        (r"\btomorrow\b", "tomorrow"),
        (rf"\b(within|in|under|less than) (the next )?{_NUM} {_UNIT}\b", "{0}"),
        (rf"\b{_NUM} {_UNIT} from now\b", "{0}"),
        (r"\b(next|this|the end of the|end of the|later this|early next|end of) "
         r"(week|month|year|weekend|summer|spring|fall|winter)\b", "{0}"),
        (rf"\b(on |this |next )?({_DAYS})\b", "{0}"),
        (rf"\b(in |by |on |early |late |mid )?({_MONTHS})( \d{{1,2}}(st|nd|rd|th)?)?\b", "{0}"),
        (r"\b(soon|coming up|upcoming)\b", "soon"),
        (r"\b(already (passed|happened)|last (week|month))\b", "already past"),
    )
)
_WORDS = {"a": "1", "an": "1", "one": "1", "two": "2", "three": "3", "four": "4",
          "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10",
          "eleven": "11", "twelve": "12"}
_URGENT = ("as soon as possible", "today", "tomorrow")


def _tidy(phrase: str) -> str:
    """"within two weeks" -> "within 2 weeks"; "the end of the year" -> "end of the year"."""
    tokens = phrase.removeprefix("the ").split()
    units = re.compile(_UNIT)
    return " ".join(_WORDS.get(w, w) if i + 1 < len(tokens) and units.fullmatch(tokens[i + 1])
                    else w for i, w in enumerate(tokens))


def find_timeline(text: str, asked: bool = False) -> tuple[str, float] | None:
    """The first timeline phrase in `text` as (normalised phrase, confidence), or None.

    Unasked, "may" and day names alone are too ambiguous ("you may", "Monday I called"), so
    those need a cue such as "hearing", "court", "by" or "next".
    """
    low = spoken_digits(normalize(text))
    for pattern, label in _PATTERNS:
        match = pattern.search(low)
        if not match:
            continue
        phrase = label.format(_tidy(match.group(0).strip()))
        loose = phrase in ("may",) or re.fullmatch(rf"(on )?({_DAYS})", phrase) is not None
        if loose and not asked and not re.search(r"\b(hearing|court|trial|date|due|by|deadline)\b",
                                                 low):
            continue
        return phrase, 1.0
    if asked and re.search(r"\b(not sure|do not know|no idea|unsure)\b", low):
        return "unknown", 0.9
    return None


def urgency(phrase: str | None) -> str:
    """"urgent" for today/tomorrow/asap timelines, else "normal"."""
    return "urgent" if phrase in _URGENT else "normal"
