"""Numbers said in words: "twenty five hundred", "five grand", "one oh two three one", and in
Spanish: "veinte mil", "tres mil quinientos", "uno cero dos tres uno".

word2number's `word_to_num` reads "twenty five hundred" as 200, which is how people say budgets,
so English amounts are read by the small accumulator below; Spanish number words by `text2num`
(MIT, a compiled reader of number words in Spanish and other languages), which writes them as
digits inside the text ("como cinco mil dolares" -> "como 5000 dolares"). Spoken digit strings
(order numbers) are read digit by digit, in either language, and in the groups people say
them in ("ten two thirty one" is 10 2 31, "10231") by `digit_readings`.
"""

from __future__ import annotations

import re

from text_to_num import alpha2digit

UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1000, "grand": 1000, "k": 1000, "million": 1_000_000}
DIGIT_WORDS = {"zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3",
               "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
               "cero": "0", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5",
               "seis": "6", "siete": "7", "ocho": "8", "nueve": "9"}
_ENGLISH_DIGITS = frozenset(("zero", "oh", "one", "two", "three", "four", "five", "six",
                             "seven", "eight", "nine"))
#: Spanish number words that are no English word ("once" is eleven in Spanish, but also
#: English: left alone), so text2num is asked only about messages that hold Spanish numbers.
_SPANISH = re.compile(
    r"\b(dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce|trece|catorce|quince|"
    r"dieci\w+|veinte|veinti\w+|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa|"
    r"cien|ciento|\w+cientos|quinientos|mil|millon|millones|un|una|uno)\b")


def is_number_word(token: str) -> bool:
    return token in UNITS or token in SCALES


def words_to_number(tokens: list[str]) -> int | None:
    """['twenty', 'five', 'hundred'] -> 2500; ['a', 'thousand'] -> 1000; None if not a number."""
    total = current = 0
    seen = False
    for token in tokens:
        if token in ("and", "a") and (seen or token == "a"):
            continue
        if token in UNITS and token != "oh":
            current += UNITS[token]
        elif token == "hundred":
            current = (current or 1) * 100
        elif token in SCALES:
            total += (current or 1) * SCALES[token]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def spanish_numbers(text: str) -> str:
    """Spanish number words in lower-case, accent-free `text` written as digits: "tres mil" ->
    "3000", "en dos semanas" -> "en 2 semanas"; text with none comes back as it was. A run of
    single digits ("uno cero dos") is left to `spoken_digits`, which keeps each digit."""
    if _SPANISH.search(text) is None or _digit_run(text.split()):
        return text
    return str(alpha2digit(text, "es"))


def _digit_run(tokens: list[str]) -> bool:
    """Whether three or more single digit words follow each other (a spoken order number)."""
    run = 0
    for token in tokens:
        run = run + 1 if token in DIGIT_WORDS and token not in ("o", "oh") else 0
        if run >= 3:
            return True
    return False


def spoken_digits(text: str) -> str:
    """Replace runs of digit words with digits: "order one oh two" -> "order 102"."""
    out: list[str] = []
    run: list[str] = []
    previous = ""
    for token in text.split():
        # "o" is zero only after an English digit ("one o two"); in Spanish it is "or"
        # ("dos o tres semanas" is two or three weeks, never 203)
        zero = token == "o" and bool(run) and previous in _ENGLISH_DIGITS
        previous = token
        if token in DIGIT_WORDS and token != "o" or zero:
            run.append(DIGIT_WORDS[token])
            continue
        if run:
            out.append("".join(run))
            run = []
        out.append(token)
    if run:
        out.append("".join(run))
    return " ".join(out)


_TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}


def digit_readings(text: str) -> list[str]:
    """Every digit string a run of spoken number words in normalised `text` may stand for, the
    runs' groups written one after the other ("ten two thirty one" -> "10231", "one oh one
    seventy seven" -> "10177") and the run read as one number ("ten thousand two hundred fifty"
    -> "10250"). Several readings of one run are all given: a caller checks them against what
    exists (the shop's own ids), so a wrong reading never names anything."""
    readings: list[str] = []
    run: list[str] = []
    for token in [*text.split(), ""]:
        if token in UNITS or token in SCALES or token == "o" and run:
            run.append(token)
            continue
        if len(run) >= 2:
            readings += [r for r in (_grouped(run), _whole(run)) if r and r not in readings]
        run = []
    return readings


def _grouped(run: list[str]) -> str | None:
    """The groups of a spoken id written side by side: "twenty" "one" is 21, "ten" is 10,
    "oh" is 0, "hundred" is 00; None when a thousand or more is said (a whole number)."""
    out: list[str] = []
    i = 0
    while i < len(run):
        token = run[i]
        if token in ("thousand", "grand", "k", "million"):
            return None
        if token == "hundred":
            out.append("00")
        elif token in _TENS and i + 1 < len(run) and 1 <= UNITS.get(run[i + 1], 0) <= 9:
            out.append(str(UNITS[token] + UNITS[run[i + 1]]))
            i += 1
        else:
            out.append(DIGIT_WORDS.get(token) or str(UNITS[token]))
        i += 1
    return "".join(out)


def _whole(run: list[str]) -> str | None:
    value = words_to_number([t for t in run if t not in ("oh", "o")])
    return str(value) if value is not None and run[0] not in ("oh", "o", "zero") else None
