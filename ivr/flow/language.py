"""The customer's language: kept in `State.language`, decided here each turn, purely.

The detector itself (a model) lives at the edge (`ivr.semantic.language`) and reaches the core
as `Context.detect`, like the semantic layer's `similar`: `detect(text) -> (language,
confidence)`, restricted to the business's languages. This module only decides what to do with
its verdicts, so the rule is the same for every channel and testable without a model:

- English until sure: a wrong switch costs the customer more than one more English reply, and
  a business answers in English when nothing is known (`DEFAULT_LANGUAGE`).
- Sure means one confident verdict (`SURE`), or two texts in a row leaning (`LEAN`) the same
  way; once sure, the language is kept ("ok", "Texas" or an order number read as English do not
  flip a Spanish conversation back).
- Asking decides at once, whatever was detected before: "English please", "en español",
  "¿habla español?" (`asked_language`), when the business speaks that language.
- Keypad digits, silence and bare numbers say nothing about a language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

#: Languages the product has texts for (flows' `{en: ..., es: ...}` and its own wording).
LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"
#: Each language's name, as a customer asking for it would see it named.
NAMES = {"en": "English", "es": "español"}

#: The detector as the core sees it: a text's most likely language and how sure (0..1).
Detect = Callable[[str], tuple[str, float]]

#: One verdict at least this sure settles the language (measured on the dev corpora with the
#: shipped detector: no English dev message reaches it as Spanish; bench/language.py).
SURE = 0.9
#: Two texts in a row at least this sure of the same language settle it too.
LEAN = 0.7

_SPANISH = r"espa(n|ñ)ol|spanish|castellano"
_ENGLISH = r"ingl(e|é)s|english"
#: Asking for a language: "en español", "spanish please", "¿habla español?", "español"
#: alone; and back: "English please", "in English", "do you speak English", "en inglés".
ASKS: dict[str, re.Pattern[str]] = {
    "es": re.compile(
        rf"^\W*(?:(?:en|in)\s+(?:{_SPANISH})|(?:{_SPANISH})(?:\s+(?:please|por\s*favor|pls|plz))?"
        rf"|(?:se\s+)?habla(?:s|n)?\s+(?:usted\s+)?(?:en\s+)?(?:{_SPANISH})"
        rf"|(?:do\s+you|can\s+you|can\s+we)\s+(?:speak|talk|text|do)\s+(?:in\s+)?(?:{_SPANISH})"
        rf"|(?:puede|puedes|podemos|pueden)\s+(?:hablar|escribir|hablarme)\s+en\s+(?:{_SPANISH}))"
        rf"\W*(?:please|por\s*favor|pls|plz)?\W*$", re.IGNORECASE),
    "en": re.compile(
        rf"^\W*(?:(?:en|in)\s+(?:{_ENGLISH})|(?:{_ENGLISH})(?:\s+(?:please|por\s*favor|pls|plz))?"
        rf"|(?:se\s+)?habla(?:s|n)?\s+(?:usted\s+)?(?:en\s+)?(?:{_ENGLISH})"
        rf"|(?:do\s+you|can\s+you|can\s+we)\s+(?:speak|talk|text|do)\s+(?:in\s+)?(?:{_ENGLISH})"
        rf"|(?:puede|puedes|podemos|pueden)\s+(?:hablar|escribir|hablarme)\s+en\s+(?:{_ENGLISH}))"
        rf"\W*(?:please|por\s*favor|pls|plz)?\W*$", re.IGNORECASE),
}


def _plain(text: str) -> str:
    """Lower case, without accents or opening marks ("¿Habla Español?" -> "habla espanol?")."""
    folded = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).replace("¿", "").replace(
        "¡", "").strip()


def asked_language(text: str, languages: tuple[str, ...]) -> str | None:
    """The language `text` asks for, when it is only that request and the business speaks it.
    ("I need a Spanish-speaking lawyer for my divorce" is a matter, not a request to switch.)"""
    plain = _plain(text)
    for code, pattern in ASKS.items():
        if code in languages and (pattern.match(plain) or pattern.match(text.strip().lower())):
            return code
    return None


def says_nothing(text: str) -> bool:
    """Digits, an order number or punctuation alone: no words a language could be read from."""
    return not any(ch.isalpha() for ch in text) or bool(re.fullmatch(r"[\W\d]*[a-z]{0,3}[-\s]*"
                                                                     r"\d[\w\s-]*", text.lower()))


def settle(language: str, extra: dict[str, object], text: str, languages: tuple[str, ...],
           detect: Detect | None) -> tuple[str, bool]:
    """The conversation's language after the customer's `text`, and whether it was asked for.

    `language` is the state's before this text, `extra` its bookkeeping (`language_sure`,
    `language_lean`: updated here). Only the business's `languages` are ever chosen.
    """
    asked = asked_language(text, languages)
    if asked is not None:
        extra["language_sure"] = True
        extra.pop("language_lean", None)
        return asked, True
    if len(languages) < 2 or extra.get("language_sure") or detect is None or says_nothing(text):
        return language, False
    found, confidence = detect(text)
    if found not in languages:
        return language, False
    lean = extra.pop("language_lean", None)
    if confidence >= SURE or (confidence >= LEAN and lean == found):
        extra["language_sure"] = True
        return found, False
    if confidence >= LEAN:
        extra["language_lean"] = found
    return language, False
