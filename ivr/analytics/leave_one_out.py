"""How far the semantic layer's examples generalise, measured on the dev corpus alone (issue 16).

Dev is nearly saturated: the flows' `examples:` were written with its rows in view, so its
figures say little about customers who use other words (the held-out gap). This replays every
English dev row with each example that echoes it set aside: any example sharing `ECHO` words in
a row with the message (bucket, trigger, asked-for-a-person and needs-a-person examples alike),
so a row is judged only by examples written in other words. The phrase rules stay as they are
(they were tuned on dev too: the figure is an upper bound of what held-out may show, closer than
dev's own).

The same for the choice slots' option `examples:` (issue 20): every dev answer to a choice
question (the law firm's `matter_type`, the HVAC `system`, English and Spanish dev) replayed as
`make eval` replays it (`ivr.analytics.slots.replay_slot`), with each example sharing `ECHO`
words in a row with the answer set aside, options' and buckets' alike. An answer the synonyms
name outright is unaffected; one only described is judged by examples written in other words.

`python -m ivr.analytics.leave_one_out` prints the figures per flow (`--part buckets|options`
for one half). Held-out rows are never read here (`make eval` measures them).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence

from ivr.analytics.slots import SlotFigures, SlotRow, load_slots, replay_slot
from ivr.analytics.understanding import (
    FLOWS,
    Figures,
    Row,
    example_businesses,
    load_corpus,
    replay,
)
from ivr.flow.context import Similar
from ivr.flow.model import Flow
from ivr.flow.text import normalize
from ivr.semantic import Index, Semantic, clauses, labelled_examples, shared

#: Words in a row an example shares with a message to count as echoing it.
ECHO = 3


def runs(text: str, size: int = ECHO) -> set[tuple[str, ...]]:
    """The message's runs of `size` words, normalised."""
    words = normalize(text).split()
    return {tuple(words[i:i + size]) for i in range(len(words) - size + 1)}


def without_echoes(examples: Mapping[str, Sequence[str]], text: str
                   ) -> dict[str, tuple[str, ...]]:
    """Every label's examples but those sharing `ECHO` words in a row with `text`; labels left
    with no example are dropped."""
    seen = runs(text)
    kept = {label: tuple(e for e in found if not runs(e) & seen)
            for label, found in examples.items()}
    return {label: found for label, found in kept.items() if found}


def similar_without_echoes(layer: Semantic, flow: Flow, text: str) -> Similar:
    """`Context.similar` for `flow` scored only on the examples that do not echo `text`."""
    examples = without_echoes(labelled_examples(flow), text)
    labels = tuple(examples)
    index = Index.build(labels, layer.vectors([e for label in labels for e in examples[label]]),
                        [i for i, label in enumerate(labels) for _ in examples[label]])
    return lambda message: index.scores(layer.vectors([message, *clauses(message)]))


def evaluate(rows: Sequence[Row], layer: Semantic) -> dict[str, Figures]:
    """Each row replayed with the examples that echo it set aside; figures by flow."""
    shops = example_businesses()
    figures: dict[str, Figures] = {}
    for row in rows:
        business, flow = shops[row.flow]
        similar = similar_without_echoes(layer, flow, row.text)
        figures.setdefault(row.flow, Figures(row.flow, "dev")).replays.append(
            replay(row, business, flow, similar))
    return figures


#: The choice slots whose option examples are replayed, and the dev splits read.
CHOICE_SLOTS = (("law_firm", "matter_type"), ("hvac", "system"))
DEV_SPLITS = ("dev", "es_dev")


def evaluate_options(rows: Sequence[SlotRow], layer: Semantic
                     ) -> dict[tuple[str, str, str], SlotFigures]:
    """Each choice-slot dev answer replayed with the examples that echo it set aside; figures
    by (flow, slot, split)."""
    shops = example_businesses()
    figures: dict[tuple[str, str, str], SlotFigures] = {}
    for row in rows:
        if (row.flow, row.slot) not in CHOICE_SLOTS or row.split not in DEV_SPLITS:
            continue
        business, flow = shops[row.flow]
        similar = similar_without_echoes(layer, flow, row.text)
        figures.setdefault((row.flow, row.slot, row.split),
                           SlotFigures(row.flow, row.slot, row.split)).replays.append(
            replay_slot(row, business, flow, lambda _flow, s=similar: s))
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ivr.analytics.leave_one_out",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--flow", choices=FLOWS)
    parser.add_argument("--part", choices=("both", "buckets", "options"), default="both",
                        help="first messages' buckets, choice slots' options, or both")
    parser.add_argument("--misses", action="store_true", help="list the options' dev misses")
    args = parser.parse_args(argv)
    layer = shared()
    if not layer.available:
        print("semantic layer: unavailable (no model): nothing to measure")
        return 1
    if args.part in ("both", "buckets"):
        buckets(args.flow, layer)
    if args.part in ("both", "options"):
        options(args.flow, layer, args.misses)
    return 0


def options(flow: str | None, layer: Semantic, misses: bool) -> None:
    rows = [r for r in load_slots(splits=DEV_SPLITS) if flow in (None, r.flow)]
    print(f"choice answers (dev), each without the examples sharing {ECHO} words in a row "
          "with it")
    print(f"{'flow':<10} {'slot':<12} {'split':<7} {'answers':>7}  {'slot accuracy':>15}  "
          f"{'confirmed':>9}")
    found = evaluate_options(rows, layer)
    for fig in found.values():
        print(f"{fig.flow:<10} {fig.slot:<12} {fig.split:<7} {fig.n:>7}  "
              f"{f'{fig.correct}/{fig.n}':>7} {100 * fig.accuracy:6.1f}%  {fig.confirmed:>9}")
    for fig in found.values() if misses else ():
        for r in fig.misses:
            print(f"  {fig.flow}.{fig.slot} {fig.split}: {r.row.text!r} -> {r.value!r} "
                  f"(expected {r.row.expected})")


def buckets(flow: str | None, layer: Semantic) -> None:
    rows = [r for r in load_corpus(splits=("dev",)) if flow in (None, r.flow)]
    print(f"dev, each row without the examples sharing {ECHO} words in a row with it")
    print(f"{'flow':<10} {'msgs':>4}  {'bucket accuracy':>15}  {'must-reach':>10}  "
          f"{'needless':>8}")
    for fig in evaluate(rows, layer).values():
        print(f"{fig.flow:<10} {fig.n:>4}  {100 * fig.accuracy:14.1f}%  "
              f"{100 * fig.recall:9.1f}%  {100 * fig.needless_rate:7.1f}%")


if __name__ == "__main__":
    sys.exit(main())
