"""Dollar amounts from how people say them: "five grand", "$5k", "around 10,000 dollars",
and in Spanish: "como cinco mil dólares", "entre 6 y 7 mil", "no más de dos mil".

A range ("4-5k", "two to three thousand", "between 3 and 5 thousand", "entre 6 y 7 mil") counts
as its LOWER bound, scaled by the second figure ("4-5k" is 4000, never "$4"): the question is
how much the customer can surely spend, and the top of a range is what they might stretch to.
A firm's minimum budget is the least it can take a case for; a customer who says "2-3k" against
a $3,000 minimum has told it that $3,000 is the edge of what they can do, and the polite decline
(with a reduced-fee referral) serves them better than a retainer they cannot keep up with.
tests/understanding/README.md labels ranges the same way. "Nothing", "no money", "nada" and
"zero" are a budget of 0 when asked, never a reason to ask again.

Spanish number words are read by `text2num` (MIT; "veinte mil" -> 20000, "tres mil" -> 3000),
and "10 mil" / "7 mil" (digits with the word for thousand) by the scale table below.

Said as people say them about a lawyer's fee: "5 figures" is the least of them (10000), "low
four figures" 1000 (mid and high figures checked once); "3 stacks" is 3000; a bare small figure
answering the budget question ("between 3 and 5", "maybe 8") is thousands, checked once ("Just
to check: $3,000?") when the slot's options are all in the thousands, never three dollars. A monthly or per-paycheck amount ("300 a
month") is the figure said: what can be paid now; a sum said beside it wins ("800 now and 200 a
month" is 800). "Tens of thousands" is 10000, "in the thousands" 1000 (checked).

Unasked, a number only counts as money with a cue ($, dollars, bucks, grand, k, or a word like
"spend" or "budget" just before it), so "hearing in 2026" is not a budget; when the question was
the budget, a bare number is enough.
"""

from __future__ import annotations

import re

from ivr.flow.numbers import SCALES, UNITS, spanish_numbers, words_to_number
from ivr.flow.spelling import Speller
from ivr.flow.text import fold_accents, normalize

#: Number words typed with a slip ("fourty five hundred", "two thousnad"): repaired by the
#: flows' own speller (five letters or more, one edit, everyday words left alone, so "there"
#: never becomes "three"). Plurals are kept ("in the thousands" is no "thousand").
_NUMBER_SPELLER = Speller((*UNITS, *SCALES))
_WORDS = re.compile(r"[a-z]+")
_TOKENS = re.compile(r"\$?\d+(?:\.\d+)?k?|[a-z]+")
_CURRENCY = {"dollars", "dollar", "bucks", "usd", "dolares", "dolar", "dlls", "dls"}
_CUES = {"spend", "budget", "afford", "pay", "paying", "retainer", "cost", "around", "about",
         "maybe", "roughly", "up", "under", "over", "most",
         "gastar", "pagar", "presupuesto", "como", "unos", "hasta", "de", "menos"}


#: Words that join the two figures of a range ("4 to 5k", "entre 6 y 7 mil", "de 2 a 3 mil").
_RANGE_WORDS = {"to", "or", "and", "through", "y", "a", "o"}
_NOTHING = re.compile(r"\b(nothing|no money|zero|cannot afford (anything|it|a lawyer)|"
                      r"can not afford (anything|it)|no budget|broke|not a dime|0 dollars|"
                      r"(cannot|can not|could not|unable to) (pay|spend) anything|"
                      r"(do not|does not|did not) have (any |the )?(money|funds|cash)|"
                      r"no (funds|cash)|"
                      r"nada|no tengo dinero|cero|ni un peso|ni un centavo|ni un dolar|"
                      r"no tengo para pagar)\b|^(none|0|0 00)$")
#: "a couple thousand", "a couple of grand": two of the scale.
_COUPLE = re.compile(r"\b(?:a )?couple (?:of )?(?=(?:hundred|thousand|grand|k)\b)")
#: Digits with the Spanish word for thousand: "10 mil", "7 mil", "2.5 mil".
_DIGITS_MIL = re.compile(r"\b(\d+(?:\.\d+)?) ?mil\b")
_SCALE = r"(hundred|thousand|grand|k)"
_ONE = r"(?:a|an|one|1)"
#: Halves: "a grand and a half" and "one and a half thousand" are 1.5 of the scale, "half a
#: grand" 0.5, "two and a half k" 2.5 (a digit or a number word before "and a half").
_HALVES = (
    (re.compile(rf"\b{_ONE} {_SCALE} and a half\b"), r"1.5 \1"),
    (re.compile(rf"\bhalf (?:a|an|of a) {_SCALE}\b"), r"0.5 \1"),
    (re.compile(rf"\b(\d+|{'|'.join(u for u in UNITS if 0 < UNITS[u] < 10)}) and a half {_SCALE}\b"),
     lambda m: f"{int(m.group(1)) if m.group(1).isdigit() else UNITS[m.group(1)]}.5 {m.group(2)}"),
)
#: Words that may sit between the two figures of a range with no range word: "two, maybe
#: three thousand", "4 possibly 5k".
_RANGE_HEDGES = {"maybe", "possibly", "perhaps", "probably", "max"}
#: No ceiling: the customer will pay what the case needs. Read by the flow as its top budget
#: option (`extract`), since no dollar figure was said.
_NO_CEILING = re.compile(
    r"\b(whatever it (costs?|takes?|will cost|will take)|"
    r"whatever (i|we) (need|have) to( pay| spend)?|whatever (is|it is) (needed|necessary)|"
    r"(money|cost|price) is (no|not an?) (object|issue|problem)|"
    r"(do not|does not) care (what|how much) it costs?|(no|there is no) (limit|ceiling|cap)|"
    r"(cost|price|money) (does not|will not) matter|sky is the limit|spare no expense|"
    r"as much as (it takes|needed|necessary|it costs)|as much as (i|we) (need|have) to|"
    r"(pay|spend|afford) (whatever|anything)|any amount|"
    r"lo que (cueste|sea necesario|sea|se necesite|haga falta|cobren|pidan))\b")
#: A vague count of a scale: "a few grand", "several thousand" (3 of it, confirmed).
_FEW = re.compile(rf"\b(?:a few|several|a handful of) {_SCALE}\b")


#: "5 figures", "low four figures", "high 5 figures": (least, checked) of that many digits.
_FIGURES = re.compile(r"\b(?:(low|mid|middle|high) )?(\d|one|two|three|four|five|six|seven|"
                      r"eight|nine)[ -]figures?\b")
_FIGURE_SHARE = {"low": 1, None: 1, "mid": 4, "middle": 4, "high": 7}
#: Slang for a thousand dollars: "3 stacks", "a couple racks", "5 bands", "2 G's", "3gs" (not
#: "a stack of papers").
_STACKS = re.compile(r"\b(stacks?|racks?|bands?)\b(?! of\b)|(?<=\d) ?(?:g|gs|g's)\b|"
                     r"\b(?<=a )g\b")
#: After a figure, what makes it a payment per period ("300 a month", "$250 every two weeks"):
#: the figure said, but a sum said beside it wins ("800 now and 200 a month" is 800).
_PERIODIC = re.compile(r"^(?:(?:a|per|each|every|every other|a|every two|every 2) "
                       r"(?:month|week|paycheck|pay period|payday|check|two weeks|2 weeks)|"
                       r"monthly|weekly|biweekly|bi weekly|a mo|per mo|al mes|cada mes|"
                       r"por mes|mensual|mensuales)\b")
#: "tens of thousands", "in the thousands": the least they can mean (the second checked).
_PLURAL_SCALE = (
    (re.compile(r"\btens of thousands\b"), 10000, 1.0),
    (re.compile(r"\b(?:in the|into the|low) thousands\b"), 1000, 0.6),
)
#: A bare figure below this, answering a budget question whose options are all in the
#: thousands (a lawyer's fees), is thousands ("between 3 and 5").
_BARE_THOUSANDS = 100
#: Confidence of a figure read as thousands or from "mid/high N figures": checked once.
CHECKED = 0.6


def figures(text: str) -> tuple[int, float] | None:
    """The least a "5 figures" / "low four figures" answer can mean, and how sure: plain and
    low are sure, mid and high are checked."""
    match = _FIGURES.search(fold_accents(text.lower()))
    if match is None:
        return None
    size = int(match.group(2)) if match.group(2).isdigit() else UNITS[match.group(2)]
    share = _FIGURE_SHARE[match.group(1)]
    return share * 10 ** (size - 1), 1.0 if share == 1 else CHECKED


def _spelled(flat: str) -> str:
    """`flat` with each slipped number word repaired ("fourty" -> "forty")."""
    def repair(match: re.Match[str]) -> str:
        word = match.group(0)
        if word.endswith("s") and word[:-1] in _NUMBER_SPELLER.known:
            return word
        return _NUMBER_SPELLER.repair(word) or word
    return _WORDS.sub(repair, flat)


def _tokens(text: str) -> list[str]:
    flat = _spelled(re.sub(r"(?<=\d),(?=\d{3})", "", fold_accents(text.lower())))
    flat = _STACKS.sub("grand", flat)
    flat = _DIGITS_MIL.sub(lambda m: f"{float(m.group(1)) * 1000:g}", flat)
    flat = spanish_numbers(flat)
    flat = _COUPLE.sub("2 ", flat)
    for pattern, repl in _HALVES:
        flat = pattern.sub(repl, flat)
    flat = re.sub(r"(?<=\d)\s*[-–]\s*(?=\$?\d)", " to ", flat)  # "4-5k": a range
    return _TOKENS.findall(flat)


def _scale_of(tokens: list[str], start: int, end: int) -> float:
    """The scale a figure was said with ("5k", "7 thousand", "3 grand"): 1 when none."""
    run = tokens[start:end]
    if any(t in SCALES for t in run):
        return float(max(SCALES[t] for t in run if t in SCALES))
    return 1000.0 if run and run[0][0] in "$0123456789" and run[0].endswith("k") else 1.0


def _range_low(tokens: list[str], value: float, j: int, explicit: bool
               ) -> tuple[float, int, bool]:
    """When `value` opens a range ("4 to 5k", "two or three thousand"), its lower bound,
    scaled by the second figure ("4" of "4-5k" is thousands); else as is. Past the range
    either way, so its top is never read as a second amount."""
    joined = j  # past "to", "or", "maybe", "or maybe": where the top figure starts
    while joined < len(tokens) and tokens[joined] in _RANGE_WORDS | _RANGE_HEDGES:
        joined += 1
    if joined == j or joined >= len(tokens):
        return value, j, explicit
    nxt = tokens[joined]
    if not (nxt[0] in "$0123456789" or nxt in UNITS):
        return value, j, explicit
    top, k, top_explicit = _read_number(tokens, joined)
    if top is None:
        return value, j, explicit
    scale = _scale_of(tokens, joined, k)
    if scale == 1 and not any(t in _RANGE_WORDS for t in tokens[j:joined]):
        return value, j, explicit  # "1 kid, maybe 2000": a hedge alone joins only "2, maybe 3k"
    if scale == 1 and top >= 1000 and top % 1000 == 0 and value < 100:
        scale = 1000.0  # "entre 6 y 7 mil" arrives as "6 y 7000"
    if value < top and scale > 1 and value * scale <= top:
        value *= scale  # "4-5k", "6 y 7 mil", "two to three thousand"
    if top < value or (value >= 100 and top >= 100 * value):
        return value, j, explicit
    return value, k, explicit or top_explicit


def _read_number(tokens: list[str], i: int) -> tuple[float | None, int, bool]:
    """The number starting at tokens[i]: (value, next index, explicitly money-like)."""
    token = tokens[i]
    if token[0] in "$0123456789":
        dollar = token.startswith("$")
        digits = token.lstrip("$")
        kilo = digits.endswith("k")
        value = float(digits.rstrip("k")) * (1000 if kilo else 1)
        j = i + 1
        if j < len(tokens) and tokens[j] in SCALES:
            value *= SCALES[tokens[j]]
            kilo = kilo or tokens[j] in ("grand", "k")
            j += 1
        return value, j, dollar or kilo
    j = i
    # "and" joins after a scale only ("a hundred and fifty", "two thousand and five"):
    # between two counts it is a range ("between two and three grand" is 2000, never 5000)
    while j < len(tokens) and (tokens[j] in UNITS or tokens[j] in SCALES
                               or (tokens[j] in ("and", "a") and j + 1 < len(tokens)
                                   and (tokens[j] == "a" or tokens[j - 1] in SCALES)
                                   and (tokens[j + 1] in UNITS or tokens[j + 1] in SCALES))):
        j += 1
    run = tokens[i:j]
    if not run or all(t in ("a", "and") for t in run):
        return None, i + 1, False
    value = words_to_number(run)
    return (float(value) if value is not None else None), j, "grand" in run


def find_money(text: str, asked: bool = False, thousands: bool = False
               ) -> tuple[int, float] | None:
    """The dollar amount in `text` as (whole dollars, confidence), or None.

    `thousands`: the question is about amounts in the thousands (the slot's options all are),
    so a bare figure under 100 answering it is thousands, checked ("between 3 and 5").

    A clearly money-like amount ($, k, grand, dollars, or a cue word before it) wins over a
    bare number that comes first: in "one or two kids, I can pay 3000" the budget is 3000.
    Ordinals ("the 5th") are dates, never money.
    """
    counted = figures(text) if asked else None
    if counted is not None:
        return counted
    tokens = _tokens(text)
    bare: tuple[int, float] | None = None
    periodic: tuple[int, float] | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not (token[0] in "$0123456789" or token in UNITS or token == "a"):
            i += 1
            continue
        value, j, explicit = _read_number(tokens, i)
        if value is None:
            i = j
            continue
        if j < len(tokens) and tokens[j] in ("th", "st", "nd", "rd"):
            i = j + 1
            continue
        value, j, explicit = _range_low(tokens, value, j, explicit)
        currency = j < len(tokens) and tokens[j] in _CURRENCY
        cued = any(t in _CUES for t in tokens[max(0, i - 3):i])
        after = j + currency
        period = _PERIODIC.match(" ".join(tokens[after:after + 3]))
        if period is not None and (explicit or currency or cued or asked):
            if periodic is None:
                periodic = (int(round(value)), 1.0 if (explicit or currency or asked) else 0.8)
            i = after + len(period.group(0).split())  # past "every two weeks": no "two"
            continue
        if explicit or currency or (cued and value >= 100):
            return int(round(value)), 1.0 if (explicit or currency or asked) else 0.8
        if asked and value >= 1 and bare is None:
            bare = (int(round(value)), 1.0)
        i = j
    if periodic is not None and (bare is None or bare[0] < _BARE_THOUSANDS):
        return periodic  # "2 kids, I can pay 200 a month": the 2 is no sum
    if bare is not None:
        if thousands and bare[0] < _BARE_THOUSANDS:  # "between 3 and 5": no fee is $3
            return bare[0] * 1000, CHECKED
        return bare
    few = _FEW.search(fold_accents(text.lower())) if asked else None
    if few is not None:
        return 3 * SCALES[few.group(1)], 0.5
    for pattern, least, sure in _PLURAL_SCALE if asked else ():
        if pattern.search(fold_accents(text.lower())):
            return least, sure
    if asked and _NOTHING.search(normalize(text)):
        return 0, 1.0
    return None


def no_ceiling(text: str) -> bool:
    """Whether the answer sets no limit on the budget ("whatever it costs", "money is no
    object", "lo que cueste"): the flow reads it as its top budget option."""
    said = normalize(text)  # "I can't pay anything" is nothing, never "pay anything"
    return _NO_CEILING.search(said) is not None and _NOTHING.search(said) is None
