"""The language detector, at the edge: `Context.detect` for a business's languages.

The library is `lingua-language-detector` (Apache-2.0), made for short texts: its n-gram
models ship in the wheel (nothing downloaded at run time). Restricted to a business's languages
(English and Spanish), its models load once per process on the first text that needs them
(about 1 s, 95 MB resident for both languages); a text then costs about 0.1 ms, nothing beside
the rest of a turn (bench/language.py measures it). The core decides what a verdict means
(`ivr.flow.language.settle`); a missing or broken library leaves every conversation in English,
with one warning logged.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from ivr.flow.language import DEFAULT_LANGUAGE, Detect
from ivr.logs import event

log = logging.getLogger(__name__)

#: The library's name for each language code the product speaks.
LINGUA_NAMES = {"en": "ENGLISH", "es": "SPANISH"}

_lock = threading.Lock()
_detectors: dict[tuple[str, ...], Any] = {}
_failed = False


def _build(languages: tuple[str, ...]) -> Any:
    from lingua import Language, LanguageDetectorBuilder  # lazy: 95 MB of models, on first use

    return LanguageDetectorBuilder.from_languages(
        *(getattr(Language, LINGUA_NAMES[c]) for c in languages)).build()


def detector(languages: tuple[str, ...]) -> Detect | None:
    """`detect(text) -> (language, confidence)` among `languages`, or None when there is
    nothing to choose (one language) or the library cannot be loaded."""
    global _failed
    chosen = tuple(sorted(c for c in set(languages) if c in LINGUA_NAMES))
    if len(chosen) < 2 or _failed:
        return None
    found = _detectors.get(chosen)
    if found is None:
        with _lock:
            found = _detectors.get(chosen)
            if found is None and not _failed:
                try:
                    found = _detectors[chosen] = _build(chosen)
                except Exception as exc:  # no library: English for everyone, said once
                    _failed = True
                    event("language.unavailable", log, level=logging.WARNING,
                          error=f"{type(exc).__name__}: {exc}")
                    return None
    model = found

    def detect(text: str) -> tuple[str, float]:
        try:
            values = model.compute_language_confidence_values(text)
        except Exception as exc:  # a broken model costs this text its verdict, not the turn
            event("language.failed", log, level=logging.WARNING,
                  error=f"{type(exc).__name__}: {exc}")
            return DEFAULT_LANGUAGE, 0.0
        if not values:
            return DEFAULT_LANGUAGE, 0.0
        best = values[0]
        return best.language.iso_code_639_1.name.lower(), float(best.value)

    detect.__name__ = "detect"
    return detect
