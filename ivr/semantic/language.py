"""The language detector, at the edge: `Context.detect` for a business's languages.

The library is `lingua-language-detector` (Apache-2.0), made for short texts: its n-gram
models ship in the wheel (nothing downloaded at run time). Restricted to a business's languages
(English and Spanish), its models load once per process on the first text that needs them
(about 1 s, 95 MB resident for both languages); a text then costs about 0.1-0.2 ms, a tenth of
what a text turn costs beyond the stateful floor (bench/language.py measures it), so each
language set's detector is built once and remembers its verdicts by text (the model is
deterministic: "yes", "thanks", "what are your hours" are read once). The core decides what a verdict means
(`ivr.flow.language.settle`); a missing or broken library leaves every conversation in English,
with one warning logged.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import Any

from ivr.flow.language import DEFAULT_LANGUAGE, Detect
from ivr.logs import event

log = logging.getLogger(__name__)

#: The library's name for each language code the product speaks.
LINGUA_NAMES = {"en": "ENGLISH", "es": "SPANISH"}

#: Verdicts remembered per language set (a text is a few hundred bytes at most).
VERDICTS_KEPT = 4096

_lock = threading.Lock()
_detectors: dict[tuple[str, ...], Detect] = {}
_failed = False


def _build(languages: tuple[str, ...]) -> Any:
    from lingua import Language, LanguageDetectorBuilder  # lazy: 95 MB of models, on first use

    return LanguageDetectorBuilder.from_languages(
        *(getattr(Language, LINGUA_NAMES[c]) for c in languages)).build()


def detector(languages: tuple[str, ...]) -> Detect | None:
    """`detect(text) -> (language, confidence)` among `languages`, or None when there is
    nothing to choose (one language) or the library cannot be loaded. The same function for
    the same languages, every turn (its verdicts are kept, `VERDICTS_KEPT`)."""
    global _failed
    chosen = _chosen(languages)
    if chosen is None or _failed:
        return None
    found = _detectors.get(chosen)
    if found is None:
        with _lock:
            found = _detectors.get(chosen)
            if found is None and not _failed:
                try:
                    found = _detectors[chosen] = _detect_with(_build(chosen))
                except Exception as exc:  # no library: English for everyone, said once
                    _failed = True
                    event("language.unavailable", log, level=logging.WARNING,
                          error=f"{type(exc).__name__}: {exc}")
                    return None
    return found


@lru_cache(maxsize=64)
def _chosen(languages: tuple[str, ...]) -> tuple[str, ...] | None:
    """The languages the library can tell apart, sorted; None with fewer than two."""
    chosen = tuple(sorted(c for c in set(languages) if c in LINGUA_NAMES))
    return chosen if len(chosen) >= 2 else None


def _detect_with(model: Any) -> Detect:
    """`detect` on `model`, its verdicts kept by text (a failure is not kept)."""

    @lru_cache(maxsize=VERDICTS_KEPT)
    def verdict(text: str) -> tuple[str, float]:
        values = model.compute_language_confidence_values(text)
        if not values:
            return DEFAULT_LANGUAGE, 0.0
        best = values[0]
        return best.language.iso_code_639_1.name.lower(), float(best.value)

    def detect(text: str) -> tuple[str, float]:
        try:
            return verdict(text)
        except Exception as exc:  # a broken model costs this text its verdict, not the turn
            event("language.failed", log, level=logging.WARNING,
                  error=f"{type(exc).__name__}: {exc}")
            return DEFAULT_LANGUAGE, 0.0

    detect.__name__ = "detect"
    return detect
