"""Vosk, the local recogniser: one shared model per process, one recogniser per stream.

Loading a model takes seconds and hundreds of MB, so `shared_model` loads each model directory
once (lazily, under a lock) and every call's `Recognizer` shares it. A recogniser is fed 8 kHz
phone audio and resamples it to the model's own rate (read from its conf/mfcc.conf: the small
English model refuses 8 kHz, vosk-api issue 1726). A question may pass a grammar — its
expected phrases; phrases with words the model does not know are dropped, and `[unk]` is added
when the model has it — and the turn's confidence comes from `ivr.speech.confidence`.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import vosk

from ivr.speech.audio import PHONE_RATE, StreamResampler, resample
from ivr.speech.confidence import UNK, turn_confidence

log = logging.getLogger("ivr.speech")

#: What to tell an operator whose machine has no model.
INSTALL_HINT = ("install one with `ivr models install` (the small English model) and set "
                "IVR_VOSK_MODEL to the directory it prints")

#: Kaldi's feature extraction assumes this rate when mfcc.conf names none.
DEFAULT_MODEL_RATE = 16000

_models: dict[Path, object] = {}
_warmed: set[Path] = set()
#: Models whose warm-up has finished in this process (loaded and decoded, or found unusable).
_ready: set[Path] = set()
_pool: dict[Path, list[object]] = {}

#: Free-recognition recognisers kept warm per model for the next calls (about 20 MB each).
POOL_SIZE = 8
_lock = threading.Lock()
_RATE = re.compile(r"^--sample-frequency=(\d+)", re.MULTILINE)


def _after_fork_in_child() -> None:
    """A forked child (a gunicorn worker) starts with a fresh lock and no half-done warm-up.

    A process that starts loading the model on a thread and then forks (an embedding that
    warms before gunicorn forks; `ivr serve` itself warms in each worker only) would leave a
    lock held by that thread held in the child for ever (the thread is not copied), hanging
    every call's first recogniser. A warm-up finished before the fork is kept (copied with the
    process); one still under way is done again here, on the model if it was already loaded.
    """
    global _lock
    _lock = threading.Lock()
    _warmed.intersection_update(_ready)


os.register_at_fork(after_in_child=_after_fork_in_child)


class ModelMissing(RuntimeError):
    """No usable Vosk model at the configured path; the message says how to install one."""


def _vosk():
    """The vosk module, quiet. Imported at the top of this module, not here: a process that
    forks while a thread is still inside `import vosk` (gunicorn forking its workers while the
    model warms up) leaves the child waiting forever on that import's lock."""
    vosk.SetLogLevel(-1)
    return vosk


def check_model_dir(path: Path) -> Path:
    """The model directory, or `ModelMissing` saying what is wrong and how to fix it."""
    path = Path(path)
    if not path.is_dir():
        raise ModelMissing(f"no Vosk model at {path}: {INSTALL_HINT}")
    if not (path / "am").is_dir() and not (path / "final.mdl").exists():
        raise ModelMissing(f"{path} is not a Vosk model (no am/ inside): {INSTALL_HINT}")
    return path


def shared_model(path: Path):
    """The process's one `vosk.Model` for `path`, loaded on first use (thread-safe)."""
    key = Path(path).resolve()
    model = _models.get(key)
    if model is not None:
        return model
    with _lock:
        if key not in _models:
            check_model_dir(key)
            try:
                _models[key] = _vosk().Model(str(key))
            except Exception as exc:  # vosk raises a bare Exception("Failed to create a model")
                raise ModelMissing(f"{key} could not be loaded as a Vosk model ({exc}): "
                                   f"{INSTALL_HINT}") from exc
            log.info("event=speech.model_loaded model=%s", key.name)
        return _models[key]


def _take_pooled(path: Path):
    with _lock:
        pooled = _pool.get(Path(path).resolve())
        return pooled.pop() if pooled else None


def _give_pooled(path: Path, recognizer: object) -> None:
    with _lock:
        pooled = _pool.setdefault(Path(path).resolve(), [])
        if len(pooled) < POOL_SIZE:
            pooled.append(recognizer)


def model_loaded(path: Path) -> bool:
    """Whether `path`'s model is already in memory (no load is triggered)."""
    return Path(path).resolve() in _models


def model_rate(path: Path) -> int:
    """The sample rate the model's features expect (conf/mfcc.conf, default 16 kHz)."""
    conf = Path(path) / "conf" / "mfcc.conf"
    if conf.exists():
        found = _RATE.search(conf.read_text(errors="replace"))
        if found:
            return int(found.group(1))
    return DEFAULT_MODEL_RATE


def usable_grammar(model, phrases: Sequence[str] | None) -> list[str] | None:
    """The phrases the model can recognise, plus `[unk]` when it has that word.

    Returns None (free recognition) when no phrase survives: a grammar of only `[unk]` would
    make every answer unknown.
    """
    if not phrases:
        return None
    kept = []
    for phrase in phrases:
        text = " ".join(str(phrase).lower().split())
        if text and text != UNK and all(model.vosk_model_find_word(w) >= 0 for w in text.split()):
            kept.append(text)
    if not kept:
        return None
    if model.vosk_model_find_word(UNK) >= 0:
        kept.append(UNK)
    return kept


@dataclass(frozen=True)
class Utterance:
    """One finalised utterance: text (without `[unk]`), our confidence, and the raw words."""

    text: str
    confidence: float
    words: tuple[tuple[str, float], ...] = field(default=())
    unknown: int = 0

    @property
    def empty(self) -> bool:
        """No words at all, not even `[unk]`: noise, a cough, the line clicking."""
        return not self.text and not self.words


class Recognizer:
    """A streaming recogniser for one call: 8 kHz samples in, `Utterance`s out.

    Args:
        model_path: the Vosk model directory (settings.vosk_model).
        grammar: the question's expected phrases (None = free recognition).
    """

    def __init__(self, model_path: Path, grammar: Sequence[str] | None = None) -> None:
        self.model_path = Path(model_path)
        self.model = shared_model(self.model_path)
        self.rate = model_rate(self.model_path)
        self.requested = list(grammar) if grammar else None
        self.grammar = usable_grammar(self.model, self.requested)
        vosk = _vosk()
        rec = None if self.grammar else _take_pooled(self.model_path)
        if rec is None and self.grammar:
            rec = vosk.KaldiRecognizer(self.model, self.rate,
                                       json.dumps(self.grammar, ensure_ascii=False))
        elif rec is None:
            rec = vosk.KaldiRecognizer(self.model, self.rate)
        rec.SetWords(True)
        self._rec = rec
        self._resampler = StreamResampler(PHONE_RATE, self.rate)

    def release(self) -> None:
        """The call is done with this recogniser: a free-recognition one goes back to the pool.

        A lookahead model composes its decoding graph lazily and caches it per recogniser, so
        a fresh one decodes its first words several times slower than a used one; reusing
        recognisers across calls keeps common answers ("yes", numbers, towns) fast.
        """
        rec, self._rec = self._rec, None
        if rec is not None and not self.grammar:
            rec.Reset()
            _give_pooled(self.model_path, rec)

    def accept(self, samples: np.ndarray) -> None:
        """Feed 8 kHz int16 samples (vosk releases the GIL while it decodes)."""
        pcm = self._resampler.feed(samples)
        if pcm.size:
            self._rec.AcceptWaveform(pcm.astype("<i2").tobytes())

    def partial(self) -> str:
        """The words heard so far in the current utterance."""
        return json.loads(self._rec.PartialResult()).get("partial", "")

    def final(self) -> Utterance:
        """Finish the current utterance and start afresh for the next."""
        result = json.loads(self._rec.FinalResult())
        words = tuple((w.get("word", ""), float(w.get("conf", 0.0)))
                      for w in result.get("result", ()))
        text = " ".join(w for w, _ in words if w != UNK) or (
            "" if words else " ".join(t for t in result.get("text", "").split() if t != UNK))
        unknown = sum(1 for w, _ in words if w == UNK)
        return Utterance(text=text, confidence=turn_confidence(words, self.grammar),
                         words=words, unknown=unknown)


def transcribe(model_path: Path, samples: np.ndarray, rate: int,
               grammar: Sequence[str] | None = None) -> Utterance:
    """Batch: a whole recording (int16 mono at `rate`) → one `Utterance`."""
    recognizer = Recognizer(model_path, grammar)
    pcm = resample(samples, rate, recognizer.rate)
    data = np.asarray(pcm, dtype="<i2").tobytes()
    step = recognizer.rate * 2  # one second of 16-bit audio per call
    for start in range(0, len(data), step):
        recognizer._rec.AcceptWaveform(data[start:start + step])
    try:
        return recognizer.final()
    finally:
        recognizer.release()


def warm_up(model_path: Path) -> bool:
    """Load the model and decode a moment of noise, so the first caller does not wait.

    Vosk builds parts of its decoding graph on first use; a second of audio gets that done
    before a call arrives (once per model and process). Returns False when there is no model.
    """
    key = Path(model_path).resolve()
    with _lock:
        if key in _warmed:
            return True
        _warmed.add(key)
    try:
        recognizer = Recognizer(model_path)
    except ModelMissing:
        _ready.add(key)  # nothing to wait for: calls go on with the keypad
        return False
    rng = np.random.default_rng(0)
    noise = (rng.standard_normal(PHONE_RATE) * 2000).astype(np.int16)
    for start in range(0, noise.size, 160):
        recognizer.accept(noise[start:start + 160])
    recognizer.final()
    recognizer.release()
    _ready.add(key)
    return True


def warmed_up(model_path: Path) -> bool:
    """Whether this process's warm-up of `model_path` has finished, so a first caller would
    not wait on the load or the first decode (`/readyz`). A model that could not be loaded
    counts as finished: the calls it would have heard go on with the keypad."""
    return Path(model_path).resolve() in _ready
