"""Numbers said in words: "twenty five hundred", "five grand", "one oh two three one".

word2number's `word_to_num` reads "twenty five hundred" as 200, which is how people say budgets,
so amounts are read by the small accumulator below; spoken digit strings (order numbers) are read
digit by digit.
"""

from __future__ import annotations

UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1000, "grand": 1000, "k": 1000, "million": 1_000_000}
DIGIT_WORDS = {"zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3",
               "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}


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


def spoken_digits(text: str) -> str:
    """Replace runs of digit words with digits: "order one oh two" -> "order 102"."""
    out: list[str] = []
    run: list[str] = []
    for token in text.split():
        if token in DIGIT_WORDS and token != "o" or (token == "o" and run):
            run.append(DIGIT_WORDS[token])
            continue
        if run:
            out.append("".join(run))
            run = []
        out.append(token)
    if run:
        out.append("".join(run))
    return " ".join(out)
