"""When something is due: "hearing next month", "within two weeks", "no rush".

The value kept is a short normalised phrase ("next month", "within 2 weeks", "no rush") that
reads well in a staff summary; `urgency` tells the summary whether it is pressing.
"""

from __future__ import annotations

import re

from ivr.flow.numbers import spoken_digits
from ivr.flow.text import normalize

_NUM = (r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
        r"twenty|thirty|forty|forty five|sixty|ninety|a few|a couple of|couple of|a couple|"
        r"couple|few)")
#: Hedges between a preposition and a count: "in about two months", "within like 3 weeks".
_ABOUT = r"(?:(?:about|around|roughly|maybe|like|approximately|just|only|less than|under) )?"
_HOLIDAYS = (r"christmas|xmas|thanksgiving|new year'?s?|the new year|easter|halloween|"
             r"the holidays|memorial day|labor day|july 4th|the 4th of july|the fourth of july|"
             r"spring break|summer break|school starts|the end of school|the school year")
_UNIT = r"(?:day|week|month|year)s?"
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december")
_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"

#: (pattern, how to write the match); checked in order, first hit wins.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), label) for p, label in (
        # Negations first: "not an emergency" and "no court date yet" are no deadline, not ASAP.
        (r"\b(no rush|not urgent|no hurry|whenever|not in a hurry|no deadline|"
         r"not time sensitive|just planning|just exploring|not (an|a real) emergency|"
         r"no emergency|not (really )?in a rush|(there is )?no (court )?date( set)?( yet)?|"
         r"nothing (is )?scheduled|nothing (set|filed) yet|no hearing( yet| scheduled)?|"
         r"not (anytime|any time) soon)\b", "no rush"),
        (r"\b(as soon as possible|asap|right away|immediately|urgent(ly)?|emergency)\b",
         "as soon as possible"),
        (r"\b(today|tonight|this morning|this afternoon)\b", "today"),
        (r"\btomorrow\b", "tomorrow"),
        (rf"\b(within|in|under|less than|inside of|over) (the next |the coming )?{_ABOUT}"
         rf"{_NUM} {_UNIT}\b", "{0}"),
        (rf"\b{_ABOUT}{_NUM} {_UNIT} from now\b", "{0}"),
        # Counted time left: "I have 20 days to answer", "30 days to respond", "two weeks left".
        (rf"\b(?:have |got |gave me |given |only |just )?{_ABOUT}(?P<n>{_NUM}) "
         rf"(?P<u>{_UNIT}) (to (answer|respond|reply|file|appear|move out)|left|until|before|"
         r"deadline)\b", "within {n} {u}"),
        (rf"\b(before|by|after|around|right after|until|for) ({_HOLIDAYS})\b", "{0}"),
        (r"\b(on |by |before )?the (\d{1,2})(st|nd|rd|th)\b", "{0}"),
        (r"\b(next|this|the end of the|end of the|later this|early next|end of) "
         r"(week|month|year|weekend|summer|spring|fall|winter)\b", "{0}"),
        (rf"\b(on |this |next )?({_DAYS})\b", "{0}"),
        (rf"\b(in |by |on |early |late |mid )?({_MONTHS})( \d{{1,2}}(st|nd|rd|th)?)?\b", "{0}"),
        (r"\b(soon|coming up|upcoming)\b", "soon"),
        (r"\b(already (passed|happened)|last (week|month))\b", "already past"),
    )
)
#: A date written with slashes, with an optional cue: "by 12/15", "on 1/5/2027".
_DATE = re.compile(r"\b(on |by |before |until )?(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(/\d{2,4})?\b")
_WORDS = {"a": "1", "an": "1", "one": "1", "two": "2", "three": "3", "four": "4",
          "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10",
          "eleven": "11", "twelve": "12", "fifteen": "15", "twenty": "20", "thirty": "30",
          "forty": "40", "sixty": "60", "ninety": "90", "couple": "2", "few": "few"}
_URGENT = ("as soon as possible", "today", "tomorrow")


def _tidy(phrase: str) -> str:
    """"within two weeks" -> "within 2 weeks"; "the end of the year" -> "end of the year";
    "in the next couple of weeks" -> "within 2 weeks"; "in about two months" -> "in about 2
    months" (the hedge kept: staff should hear that it is an estimate)."""
    phrase = re.sub(r"\b(a )?couple( of)?\b", "couple", phrase)
    phrase = re.sub(r"\ba few\b|\bfew\b", "few", phrase)
    phrase = re.sub(r"^(in|over) the (next|coming) ", "within ", phrase)
    phrase = re.sub(r"^(have|got|gave me|given|only|just) ", "", phrase)
    tokens = phrase.removeprefix("the ").split()
    units = re.compile(_UNIT)
    return " ".join(_WORDS.get(w, w) if i + 1 < len(tokens) and units.fullmatch(tokens[i + 1])
                    else w for i, w in enumerate(tokens)).replace("few ", "a few ")


def find_timeline(text: str, asked: bool = False) -> tuple[str, float] | None:
    """The first timeline phrase in `text` as (normalised phrase, confidence), or None.

    Unasked, "may" and day names alone are too ambiguous ("you may", "Monday I called"), so
    those need a cue such as "hearing", "court", "by" or "next".
    """
    low = spoken_digits(normalize(text))
    dated = _DATE.search(text.lower())
    if dated:  # "by 12/15": read before normalising, which drops the slash
        return dated.group(0).strip(), 1.0
    for pattern, label in _PATTERNS:
        match = pattern.search(low)
        if not match:
            continue
        parts = {k: v for k, v in match.groupdict().items() if v}
        phrase = _tidy(label.format(match.group(0).strip(), **parts))
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
