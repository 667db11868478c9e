"""How far the semantic layer's examples generalise, measured on the dev corpus alone (issue 16).

Dev is nearly saturated: the flows' `examples:` were written with its rows in view, so its
figures say little about customers who use other words (the held-out gap). This replays every
English dev row with each example that echoes it set aside: any example sharing `ECHO` words in
a row with the message (bucket, trigger, asked-for-a-person and needs-a-person examples alike),
so a row is judged only by examples written in other words. The phrase rules stay as they are
(they were tuned on dev too: the figure is an upper bound of what held-out may show, closer than
dev's own).

`python -m ivr.analytics.leave_one_out` prints the figures per flow. Held-out rows are never
read here (`make eval` measures them).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence

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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ivr.analytics.leave_one_out",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--flow", choices=FLOWS)
    args = parser.parse_args(argv)
    layer = shared()
    if not layer.available:
        print("semantic layer: unavailable (no model): nothing to measure")
        return 1
    rows = [r for r in load_corpus(splits=("dev",)) if args.flow in (None, r.flow)]
    print(f"dev, each row without the examples sharing {ECHO} words in a row with it")
    print(f"{'flow':<10} {'msgs':>4}  {'bucket accuracy':>15}  {'must-reach':>10}  "
          f"{'needless':>8}")
    for fig in evaluate(rows, layer).values():
        print(f"{fig.flow:<10} {fig.n:>4}  {100 * fig.accuracy:14.1f}%  "
              f"{100 * fig.recall:9.1f}%  {100 * fig.needless_rate:7.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
