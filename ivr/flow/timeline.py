"""When something is due: "hearing next month", "within two weeks", "no rush", and in Spanish:
"la próxima semana", "en 20 días", "para el verano", "lo antes posible".

The value kept is a short normalised phrase ("next month", "within 2 weeks", "no rush") that
reads well in a staff summary, in English whatever language the customer wrote in (staff read
the summary in the business's language); `urgency` tells the summary whether it is pressing.

Spanish is read by writing its number words as digits (`numbers.spanish_numbers`, text2num)
and its time words as the English ones they mean (`_SPANISH` below: "la semana que viene" is
"next week"), then the same patterns: one set of rules, so both languages place a time alike.
A day of the month alone ("the 18th") is made a date from the clock in the Context when the
caller passes `today`: the next 18th, named as a staff member would say it ("march 18"); so is
a date typed with slashes ("3/20" is "march 20"). English number words are digits first
(text2num's `alpha2digit`: "fourteen days", "the fourth of july"), so any count is read.

Asked "when?", an answer may be bare: a count alone is time from now ("couple months"), a
holiday alone its date ("memorial day weekend"); in a first message those say nothing about a
deadline ("married 12 years"), so only an answer takes them (`ASKED`). A deadline already gone
("yesterday was the deadline") is the most pressing of all, "already past"; being served
yesterday starts a deadline and is not one.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from text_to_num import alpha2digit

from ivr.flow.numbers import spanish_numbers, spoken_digits
from ivr.flow.text import normalize

_NUM = (r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
        r"twenty|thirty|forty|forty five|sixty|ninety|a few|a couple of|couple of|a couple|"
        r"couple|few)")
#: Hedges between a preposition and a count: "in about two months", "within like 3 weeks".
_ABOUT = r"(?:(?:about|around|roughly|maybe|like|approximately|just|only|less than|under) )?"
_HOLIDAYS = (r"christmas|xmas|thanksgiving|new year'?s?|the new year|easter|halloween|"
             r"the holidays|memorial day|labor day|july 4th|the 4th of july|the fourth of july|"
             r"spring break|summer break|school starts|the end of school|the school year")
_UNIT = r"(?:hour|day|week|month|year)s?"
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december")
_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"

#: Labels only an answer to the question may take (the marker is dropped).
ASKED = "asked:"
#: (pattern, how to write the match); checked in order, first hit wins.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), label) for p, label in (
        # Negations first: "not an emergency" and "no court date yet" are no deadline, not ASAP.
        (r"\b(no rush|not urgent|no hurry|whenever|not in a hurry|no deadline|"
         r"not time sensitive|just planning|just exploring|not (an|a real) emergency|"
         r"no emergency|not (really )?in a rush|not (anytime|any time) soon|"
         r"not for (a |quite a )?(good |long )?while)\b", "no rush"),
        # as the answer only: in a first message "heard nothing yet" is a client waiting
        (r"\b((has|have) not been filed|not (been )?filed yet|nothing yet|"
         r"(just )?looking into (my |our |the )?options|exploring (my |our |the )?options|"
         r"just (getting|gathering) (info|information))\b", ASKED + "no rush"),
        (r"\b(as soon as possible|asap|right away|immediately|urgent(ly)?|emergency|"
         r"as soon as you can|soon as you can|as fast as (you can|possible))\b",
         "as soon as possible"),
        (r"(?<!from )\b(today|tonight|this morning|this afternoon)\b", "today"),
        (r"\btomorrow\b", "tomorrow"),
        # "a month and a half", "two and a half weeks": counted in the unit below
        (rf"\b(?:in |within )?{_ABOUT}(?P<half>(?:{_NUM}) (?:{_UNIT}) and a half|"
         rf"(?:{_NUM}) and a half (?:{_UNIT}))\b", "{half}"),
        (rf"\b(within|in|under|less than|inside of|over) (the next |the coming )?{_ABOUT}"
         rf"{_NUM} {_UNIT}\b", "{0}"),
        (rf"\b{_ABOUT}(?P<n>{_NUM}) (?P<u>{_UNIT}) from (now|today)\b", "in {n} {u}"),
        # "a few months out", "two weeks away": counted time ahead without a preposition
        (rf"\b{_ABOUT}(?P<n>{_NUM}) (?P<u>{_UNIT}) (out|away|off)\b", "in {n} {u}"),
        # Counted time left: "I have 20 days to answer", "30 days to respond", "two weeks left".
        (rf"\b(?:have |got |gave me |given |only |just )?{_ABOUT}(?P<n>{_NUM}) "
         rf"(?P<u>{_UNIT}) (to (answer|respond|reply|file|appear|move out)|left|until|before|"
         r"deadline)\b", "within {n} {u}"),
        (rf"\b(before|by|after|around|right after|until|for) ({_HOLIDAYS})\b", "{0}"),
        # Asked "when?", a bare holiday is its date ("memorial day weekend")
        (rf"\b(?P<day>{_HOLIDAYS})\b", ASKED + "around {day}"),
        # No date yet says no deadline, but a counted time said beside it ("a few months
        # out, nothing scheduled") is the better answer: so these come after the counts.
        # ("soon, but no date" is soon: a near wish said beside no date is the better answer)
        (r"^(?!.*\bsoon\b).*?\b((there is )?no (set |court |firm )?date( set)?( yet)?|"
         r"nothing (is )?scheduled|"
         r"nothing (set|filed) yet|no hearing( yet| scheduled)?)\b", "no rush"),
        # "before march is over", "by the end of april": the month's last day
        (rf"\b(?:by |before )?(?:the )?end of (?P<end>{_MONTHS})\b", "by {end} end"),
        (rf"\b(?:by|before) (?P<end>{_MONTHS}) (?:is over|is out|ends|is done)\b",
         "by {end} end"),
        # "the 25th of march" is march 25; "the 20th of this month" the next 20th
        (rf"\b(?P<cue>on |by |before )?the (?P<d>\d{{1,2}})(?:st|nd|rd|th)? of "
         rf"(?P<m>{_MONTHS})\b", "{m} {d}"),
        (r"\b(on |by |before )?the (\d{1,2})(st|nd|rd|th)\b(?= of (this|the) month|(?! of))",
         "{0}"),
        (r"\b(next|this|the end of the|end of the|later this|early next|end of) "
         r"(week|month|year|weekend|summer|spring|fall|winter)\b", "{0}"),
        (r"\b(by|over|before|on) the weekend\b", "this weekend"),
        (r"\bthe week after next\b", "in 2 weeks"),
        # "in the summer"; "not till fall", "until the spring": no sooner than that season
        (r"\b(in|till|til|until) (the )?(?P<s>summer|spring|fall|winter)\b", "this {s}"),
        (rf"\b(on |this |next )?({_DAYS})\b", "{0}"),
        (rf"\b(in |by |on |early |late |mid )?({_MONTHS})( \d{{1,2}}(st|nd|rd|th)?)?\b", "{0}"),
        (r"\b(soon|soonish|sooner|coming up|upcoming)\b", "soon"),
        # A deadline already gone by is the most pressing of all: "yesterday was the deadline"
        # ("served yesterday" is no deadline gone: it starts one)
        (r"\b(already (passed|happened|past)|last (week|month)|"
         r"yesterday (was|is) the (deadline|due date|last day)|"
         r"(deadline|due date) (was yesterday|passed|has passed)|"
         r"missed (it|the deadline|my court date))\b", "already past"),
        # Asked "when?", a bare count is time from now ("couple months", "14 days"); unasked,
        # "married 3 years" is not.
        (rf"\b{_ABOUT}(?P<n>{_NUM}) (?P<u>{_UNIT})\b(?! ago| old)", ASKED + "in {n} {u}"),
        # "when you can", "cuando puedan": at the business's convenience, only when no time
        # was said beside it ("hoy, cuando puedan" is today)
        (r"\b(when|whenever) (you|u|y all|yall) (can|are able|get a chance|have time)\b",
         "no rush"),
    )
)
#: A date written with slashes, with an optional cue: "by 12/15", "on 1/5/2027".
_DATE = re.compile(r"\b(on |by |before |until )?(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(/\d{2,4})?\b")
_WORDS = {"a": "1", "an": "1", "one": "1", "two": "2", "three": "3", "four": "4",
          "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10",
          "eleven": "11", "twelve": "12", "fifteen": "15", "twenty": "20", "thirty": "30",
          "forty": "40", "sixty": "60", "ninety": "90", "couple": "2", "few": "few"}
_URGENT = ("as soon as possible", "today", "tomorrow")
#: Not knowing, in the words people text it ("idk", "no sé", "ni idea").
_UNKNOWN = re.compile(r"\b(not sure|do not know|no idea|unsure|idk|dunno|no clue|"
                      r"no se|no lo se|ni idea|quien sabe|no estoy segur[oa]|no sabemos|"
                      r"no sabe|nadie sabe|no lo sabemos)\b")
_ES_DAYS = {"lunes": "monday", "martes": "tuesday", "miercoles": "wednesday",
            "jueves": "thursday", "viernes": "friday", "sabado": "saturday",
            "domingo": "sunday"}
_ES_MONTHS = {"enero": "january", "febrero": "february", "marzo": "march", "abril": "april",
              "mayo": "may", "junio": "june", "julio": "july", "agosto": "august",
              "septiembre": "september", "setiembre": "september", "octubre": "october",
              "noviembre": "november", "diciembre": "december"}
_ES_SEASONS = {"verano": "summer", "primavera": "spring", "otono": "fall", "invierno": "winter"}
#: Spanish time words as the English they mean, applied in order to accent-free lower case
#: (after the number words became digits): the English patterns then read them.
_SPANISH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), english) for p, english in (
        (r"\b(sin prisa|sin apuro|no hay prisa|no hay apuro|no es urgente|cuando sea|"
         r"nomas (estoy )?cotizando|solo (estoy )?cotizando|nada mas cotizando)\b", "no rush"),
        (r"\b(lo (mas )?antes posible|lo mas pronto posible|cuanto antes|urgente|"
         r"lo (mas pronto|antes) que (pueda|puedan|se pueda|puedas)|en cuanto (pueda|puedan)|"
         r"de inmediato|ahorita mismo|ya mismo)\b", "as soon as possible"),
        (r"\b(hoy mismo|hoy)\b", "today"),
        (r"\bcuando (puedan|pueda|gusten|tengan tiempo)\b", "when you can"),
        (r"\bpronto\b", "soon"),
        (r"\bantes de que (empiece|empiecen|comience|comiencen|entren a) (la escuela|las clases|"
         r"la escuela de nuevo)\b", "before school starts"),
        # "en 2 o 3 semanas": the nearer figure (the deadline could be that close)
        (r"\b(\d+) (o|a|y) \d+ (dias|semanas|meses|anos)\b", r"\1 \3"),
        (r"\b(pasado manana)\b", "in 2 days"),
        # "despues de que salgan de la escuela": the end of the school year
        (r"\b(salgan|salen|terminen|termine|acaben|acabe|se acabe|se acaben) (de )?"
         r"(la escuela|las clases)\b", "the end of school"),
        (r"\bdespues de que (?=the end of school)", "after "),
        (r"\b(\d{1,2})(ro|ero|do|to|vo|mo|no)\b", r"\1"),  # "el 1ro de abril"
        (r"\b(la semana|el mes|el ano) (que entra|entrante)\b",
         lambda m: {"la semana": "next week", "el mes": "next month", "el ano": "next year"}[
             m.group(1)]),
        (r"\b(en|dentro de) (unas |unos )?(\d+) horas?\b", r"in \3 hours"),
        (r"\b(una|un) o (\d+) (dias|semanas|meses|anos)\b", r"1 \3"),
        (r"\b(a )?(fin|fines|finales) del? (mes (que viene|proximo)|proximo mes)\b",
         "end of next month"),
        (r"\b(la otra semana)\b", "next week"),
        (r"\b(semana santa|pascua)\b", "easter"),
        (r"\b(la )?navidad\b", "christmas"), (r"\bano nuevo\b", "the new year"),
        (r"\b(no (tengo|tenemos|hay|me han dado) (ninguna )?fecha( todavia| aun)?|"
         r"(todavia|aun) no (hay|tengo|tenemos) fecha|sin fecha)\b", "no date set"),
        (r"\bayer (era|fue) (la fecha( limite)?|el plazo|el ultimo dia)\b",
         "yesterday was the deadline"),
        (r"\b(ya (se )?paso|ya vencio)\b", "already passed"),
        (r"\bmanana\b", "tomorrow"),
        (r"\b(este|el) fin de semana\b", "this weekend"),
        (r"\b(el proximo|el otro) fin de semana\b", "next weekend"),
        (r"\b(la (proxima )?semana (que viene|proxima)|la proxima semana)\b", "next week"),
        (r"\b(el (proximo )?mes (que viene|proximo)|el proximo mes)\b", "next month"),
        (r"\b(el (proximo )?ano (que viene|proximo)|el proximo ano)\b", "next year"),
        (r"\besta semana\b", "this week"),
        (r"\beste mes\b", "this month"),
        (r"\b(a )?fin(es)? de mes\b", "end of the month"),
        (r"\b(a )?fin(es)? de ano\b", "end of the year"),
        (r"\b(en|dentro de) (unos |unas |como |mas o menos )?(\d+) dias?\b", r"in \3 days"),
        (r"\b(en|dentro de) (unos |unas |como |mas o menos )?(\d+) semanas?\b",
         r"in \3 weeks"),
        (r"\b(en|dentro de) (unos |unas |como |mas o menos )?(\d+) mes(es)?\b",
         r"in \3 months"),
        (r"\b(en|dentro de) (unos |unas |como |mas o menos )?(\d+) anos?\b", r"in \3 years"),
        (r"\b(en|dentro de) (unos pocos|unas pocas|unos|unas) meses\b", "in a few months"),
        (r"\b(en|dentro de) (unas pocas|unas) semanas\b", "in a few weeks"),
        (r"\b(para|en|este|en el|para el|hasta el|hasta) (" + "|".join(_ES_SEASONS) + r")\b",
         lambda m: f"this {_ES_SEASONS[m.group(2)]}"),
        (r"\b(antes de|para) (la )?navidad\b", "before christmas"),
        (r"\b(el |este |para el |el proximo )?(" + "|".join(_ES_DAYS) + r")\b",
         lambda m: ("next " if "proximo" in (m.group(1) or "") else "on ")
         + _ES_DAYS[m.group(2)]),
        (r"\b(el )?(\d{1,2}) de (" + "|".join(_ES_MONTHS) + r")\b",
         lambda m: f"{_ES_MONTHS[m.group(3)]} {m.group(2)}"),
        # a day of the month alone: "la cambiaron para el 28" is "by the 28th"
        (r"\b(para el|antes del|el dia|para el dia|hasta el) (\d{1,2})\b(?! (de|dias?|semanas?|mes))",
         r"by the \2th"),
        (r"\b(para|antes de|despues de) (easter|christmas|the new year)\b",
         lambda m: {"para": "by", "antes de": "before", "despues de": "after"}[m.group(1)]
         + " " + m.group(2)),
        (r"\b(para|en|antes de|a principios de|a finales de|a mediados de) (" +
         "|".join(_ES_MONTHS) + r")\b",
         lambda m: {"para": "by", "en": "in", "antes de": "by", "a principios de": "early",
                    "a finales de": "late", "a mediados de": "mid"}[m.group(1)] + " "
         + _ES_MONTHS[m.group(2)]),
    )
)


def _unhedged(low: str) -> str:
    """"en unos 3 meses" -> "en 3 meses" (also as the typo repair leaves it, "en uno 3 meses"),
    "en una semana" -> "en 1 semana": before digits are read, so "uno 3" is never "13"."""
    low = re.sub(r"\b(en|dentro de) (?:unos|unas|uno|una|como|mas o menos) "
                 r"(?=[a-z0-9]+ (?:dias?|semanas?|mes|meses|anos?)\b)", r"\1 ", low)
    return re.sub(r"\b(en|dentro de) (?:una|un) (semana|mes|ano|dia)\b", r"\1 1 \2", low)


#: Short forms people text, as the words the patterns read: "tmrw", "3 wks", "thurs", and a
#: fortnight as the two weeks it is.
_SHORT: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), full) for p, full in (
        (r"\b(tmrw|tmr|tmrrw|tomorow|tommorow|tommorrow)\b", "tomorrow"),
        (r"\b(\d+) ?(wks?)\b", r"\1 weeks"), (r"\b(\d+) ?(mos?|mths?)\b", r"\1 months"),
        (r"\b(\d+) ?(yrs?)\b", r"\1 years"), (r"\b(\d+) ?(hrs?)\b", r"\1 hours"),
        (r"\b(a |one )?fortnight\b", "2 weeks"),
        (r"\b(thurs|thur|thu)\b", "thursday"), (r"\b(tues|tue)\b", "tuesday"),
        (r"\bweds\b", "wednesday"),
    )
)
#: A range of counts is its nearer figure (the deadline may be that close): "2-3 weeks"
#: (the hyphen is gone by now), "a week or two", "1 to 2 months".
_RANGE = re.compile(rf"\b(?P<a>{_NUM}) (?:or |to )?(?P<b>\d+) (?P<u>{_UNIT})\b|"
                    rf"\b(?P<c>{_NUM}) (?P<v>{_UNIT}) or (?P<d>\d+)\b(?! {_UNIT})")


def _nearer(low: str) -> str:
    """"2 3 weeks" -> "2 weeks", "a week or 2" -> "a week", "the next day or 2" -> "the next
    1 day": the first, smaller figure (a unit alone is one of it)."""
    low = re.sub(rf"\b(next|coming) (day|week|month|year) or (?:2|two)\b(?! {_UNIT})",
                 r"\1 1 \2", low)
    return _RANGE.sub(lambda m: f"{m['a']} {m['u']}" if m["a"] else f"{m['c']} {m['v']}", low)


def _in_days(phrase: str) -> str:
    """"in 48 hours" -> "in 2 days": a deadline counted in hours, as days (at least one)."""
    phrase = re.sub(r"\b(\d+) hours?\b",
                    lambda m: f"{max(1, int(m[1]) // 24)} day{'s' if int(m[1]) >= 48 else ''}",
                    phrase)
    return re.sub(r"\b1 (day|week|month|year)s\b", r"1 \1", phrase)


#: How people name the end of the school year: the holiday list's "the end of school".
_SCHOOL_OUT = re.compile(r"\b(school (lets|let us|let|gets|get|is) out|school ends?|"
                         r"the school year ends?)\b")  # (the flow's typo repair may drop an s)


def _english(low: str) -> str:
    """Spanish time words in `low` as the English ones they mean (English comes back as is)."""
    low = spanish_numbers(low)
    for pattern, english in _SPANISH:
        low = pattern.sub(english, low)
    return re.sub(r"\bin 1 (day|week|month|year)s\b", r"in 1 \1", low)


def _on_day(day: int, today: date) -> str:
    """The next `day` of a month from `today`, as staff say it: "march 18"."""
    year, month = today.year, today.month
    for _ in range(3):
        try:
            when = date(year, month, day)
        except ValueError:
            when = None
        if when is not None and when >= today:
            return f"{when.strftime('%B').lower()} {day}"
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"the {day}th"


#: A month's last day, as "by the end of february" is said (the 28th: a leap day is no deadline).
_MONTH_DAYS = dict(zip(_MONTHS.split("|"), (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31),
                       strict=True))
#: Each unit as counted in the one below it, for "and a half": (smaller unit, how many).
_HALF_IN = {"year": ("month", 12), "month": ("week", 4.3), "week": ("day", 7), "day": ("day", 1)}


def _and_a_half(said: str) -> str:
    """"a month and a half" -> "in 6 weeks", "2 and a half years" -> "in 30 months": the
    count in the unit below, rounded down (a deadline is never put later than said)."""
    words = said.replace(" and a half", "").split()
    count, unit = " ".join(words[:-1]), words[-1].rstrip("s")
    number = _WORDS.get(count.removeprefix("a ").removeprefix("couple of "), count)
    amount = 3.0 if number == "few" else float(number) if number.isdigit() else 1.0
    smaller, times = _HALF_IN[unit]
    count = int((amount + 0.5) * times)
    return f"in {count} {smaller}{'s' if count != 1 else ''}"


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


#: Confidence of a near wish with no date ("soonish"): below `extract.UNSURE`, so the flow
#: asks "Just to check" once instead of keeping a guess.
_HEDGED = 0.6
#: Where a message splits into what happened and what is coming: "the hearing was last month,
#: the next is april 30", "la audiencia fue en febrero y la proxima es en mayo".
_SPLIT = re.compile(r"[,.;!?]|\b(?:and|but|y|pero)\b")
#: A clause told in the past: its time is when something happened, not by when.
_PAST = re.compile(r"\b(was|were|went|had|filed|happened|took|last (week|month|year)|yesterday|"
                   r"ago|fue|fueron|tuve|tuvimos|hubo|ayer|pasad[oa])\b")
#: A time still to come in the same clause ("was reset to next month", "is due the 24th").
_AHEAD = re.compile(r"\b(next|is|are|will|due|set for|reset|moved|till|until|es|son|proxim[oa])\b")
#: Served with court papers ("I got served Monday", "me notificaron"): the answer is due in
#: Texas by 10 a.m. on the Monday after 20 days from service (TRCP 99(b)).
_SERVED = re.compile(r"\b(got|was|been|were|just) served\b|\bserved (me|him|us)\b|"
                     r"\bme (notificaron|entregaron los papeles)\b")
_SEASON_MONTHS = {"spring": (3, 4, 5), "summer": (6, 7, 8), "fall": (9, 10, 11),
                  "winter": (12, 1, 2)}


def find_timeline(text: str, asked: bool = False, today: date | None = None
                  ) -> tuple[str, float] | None:
    """The timeline in `text` as (normalised phrase, confidence), or None.

    A message may tell what happened and then what is coming ("court was in january, the next
    one is in may"): the time in a clause told in the past gives way to one still to come in
    another clause. Served papers with no date of their own are due on the Texas answer date.
    """
    served = _served(text, today) if asked else None
    if served is not None:
        return served
    clauses = [c for c in map(normalize, _SPLIT.split(text.lower())) if c]
    if len(clauses) > 1:
        ahead = [c for c in clauses if not _PAST.search(c) or _AHEAD.search(c)]
        if len(ahead) < len(clauses):
            for clause in ahead:
                found = _read(clause, asked, today)
                if found is not None and found[0] != "unknown":
                    return found
    return _read(text, asked, today)


def _served(text: str, today: date | None) -> tuple[str, float] | None:
    """Served papers and no time still to come said: the answer date, from the day served
    ("served Monday" is the last Monday; "just served", today)."""
    low = normalize(text)
    if today is None or not _SERVED.search(low) or re.search(
            r"\b(due|deadline|hearing|court (date|is)|next|till|until|by)\b", low):
        return None
    day = re.search(rf"\b({_DAYS})\b", low)
    back = 1 if "yesterday" in low or "ayer" in low else 0
    if day:
        back = (today.weekday() - _DAYS.split("|").index(day.group(1))) % 7 or 7
    served = today - timedelta(days=back)
    due = served + timedelta(days=20)
    due += timedelta(days=(7 - due.weekday()) % 7 or 7)
    return f"by {due.strftime('%B').lower()} {due.day}", 1.0


def _read(text: str, asked: bool, today: date | None) -> tuple[str, float] | None:
    """The first timeline phrase in `text` as (normalised phrase, confidence), or None.

    Unasked, "may" and day names alone are too ambiguous ("you may", "Monday I called"), so
    those need a cue such as "hearing", "court", "by" or "next". `today` (the Context's clock)
    turns a bare day of the month ("the 18th") into the date it names ("march 18").
    """
    low = normalize(text)
    for pattern, full in _SHORT:
        low = pattern.sub(full, low)
    low = _nearer(alpha2digit(_english(spoken_digits(_unhedged(low))), "en"))
    low = _SCHOOL_OUT.sub("the end of school", low)
    dated = _DATE.search(text.lower())
    if dated:  # "by 12/15": read before normalising, which drops the slash
        return _slashed(dated, today), 1.0
    for pattern, label in _PATTERNS:
        match = pattern.search(low)
        if not match:
            continue
        parts = {k: v for k, v in match.groupdict().items() if v}
        if label.startswith(ASKED):
            if not asked:
                continue
            label = label.removeprefix(ASKED)
        if not asked and re.search(r"\bhours?\b", match.group(0)):
            continue  # unasked, "waiting over 2 hours" is how long, not by when
        phrase = _in_days(_tidy(label.format(match.group(0).strip(), **parts)))
        if "half" in parts:
            phrase = _and_a_half(parts["half"])
        elif "end" in parts:
            phrase = f"by {parts['end']} {_MONTH_DAYS[parts['end']]}"
        ordinal = re.fullmatch(r"(?:on |by |before )?(?:the )?(\d{1,2})(?:st|nd|rd|th)",
                               phrase)
        if ordinal and today is not None and 1 <= int(ordinal.group(1)) <= 31:
            phrase = _on_day(int(ordinal.group(1)), today)
        if phrase == "soon" and asked:  # "soonish": near, no date: checked once
            return "in a few weeks", _HEDGED
        season = re.fullmatch(r"this (spring|summer|fall|winter)", phrase)
        if season and today is not None and today.month in _SEASON_MONTHS[season.group(1)]:
            last = _SEASON_MONTHS[season.group(1)][-1]  # already in it: by its end
            month = _MONTHS.split("|")[last - 1]
            phrase = f"by {month} {_MONTH_DAYS[month]}"
        loose = phrase in ("may",) or re.fullmatch(rf"(on )?({_DAYS})", phrase) is not None
        if loose and not asked and not re.search(r"\b(hearing|court|trial|date|due|by|deadline)\b",
                                                 low):
            continue
        return phrase, 1.0
    if asked and _UNKNOWN.search(low):
        return "unknown", 0.9
    return None


def _slashed(dated: re.Match[str], today: date | None) -> str:
    """"3/20" as staff say it, "march 20", when the clock is known and no other year is
    written; otherwise as typed ("by 12/15/2027")."""
    cue, month, day, year = dated.groups()
    if today is None or (year and year.strip("/") not in (str(today.year), str(today.year)[2:])):
        return dated.group(0).strip()
    return f"{cue or ''}{_MONTHS.split('|')[int(month) - 1]} {int(day)}"


def urgency(phrase: str | None) -> str:
    """"urgent" for today/tomorrow/asap timelines, else "normal"."""
    return "urgent" if phrase in _URGENT else "normal"
