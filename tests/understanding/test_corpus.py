"""The understanding corpus is well-formed: right columns, real buckets, enough of it, fresh."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from ivr.analytics.understanding import (
    CORPUS,
    ES_SPLITS,
    FLOWS,
    SPLITS,
    example_businesses,
    language_of,
    load_corpus,
)

COLUMNS = ["flow", "text", "bucket", "needs_person", "trigger", "note"]
#: The Spanish part (issue 25, Deliver 6): the same columns and labels, plus `language`.
ES_COLUMNS = [*COLUMNS, "language"]
#: Escalations the engine knows without a flow declaring them (ivr/flow/rules.py).
BUILT_IN_TRIGGERS = {"asked_for_human", "frustration"}


def _rows(split: str) -> list[dict[str, str]]:
    with (CORPUS / f"{split}.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns = ES_COLUMNS if split in ES_SPLITS else COLUMNS
        assert reader.fieldnames == columns, f"{split}.csv columns"
        return [dict(row, split=split) for row in reader]


ENGLISH = [row for split in SPLITS for row in _rows(split)]
SPANISH = [row for split in ES_SPLITS for row in _rows(split)]
ROWS = ENGLISH + SPANISH
FLOWS_LOADED = {name: flow for name, (_, flow) in example_businesses().items()}


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip()


def test_every_flow_has_an_example_business():
    assert set(FLOWS) <= set(FLOWS_LOADED)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r['split']}:{r['text'][:40]}")
def test_row_is_labelled_with_the_flows_own_names(row):
    assert row["flow"] in FLOWS
    flow = FLOWS_LOADED[row["flow"]]
    assert row["text"].strip() == row["text"] and row["text"]
    assert row["bucket"] == "" or row["bucket"] in flow.buckets, row["bucket"]
    assert row["needs_person"] in ("yes", "no")
    assert row["trigger"] in {"", *BUILT_IN_TRIGGERS, *(t.name for t in flow.triggers)}
    if row["bucket"] == "":  # no topic: the only right outcome is a person
        assert row["needs_person"] == "yes"


def test_sizes_and_split():
    assert len(ENGLISH) >= 300
    held = [r for r in ENGLISH if r["split"] == "heldout"]
    assert len(held) >= 120
    for name in FLOWS:
        mine = [r for r in ENGLISH if r["flow"] == name]
        assert len(mine) >= 100, name
        share_held = sum(r["split"] == "heldout" for r in mine) / len(mine)
        # (a fifth or more per flow and a quarter over all, as for Spanish: dev grows with
        # fresh rows, held-out never does; the shop's round 7 took it to 23%)
        assert 0.2 <= share_held <= 0.5, (name, share_held)
        share_person = sum(r["needs_person"] == "yes" for r in mine) / len(mine)
        assert share_person >= 0.35, (name, share_person)
    assert sum(r["split"] == "heldout" for r in ENGLISH) / len(ENGLISH) >= 0.25


def test_the_spanish_part_is_big_enough_has_a_held_out_split_and_says_its_language():
    """Issue 25, Deliver 6: at least 150 Spanish messages over the three flows, a quarter or
    more held out (a fifth per flow: dev grows with fresh rows as tuning goes on, held-out
    never does), at least 45% needing a person, every row `language=es`."""
    assert len(SPANISH) >= 150
    assert {r["language"] for r in SPANISH} == {"es"}
    assert all(language_of(r["split"]) == "es" for r in SPANISH)
    assert 0.25 <= sum(r["split"] == "es_heldout" for r in SPANISH) / len(SPANISH) <= 0.45
    assert sum(r["needs_person"] == "yes" for r in SPANISH) / len(SPANISH) >= 0.45
    for name in FLOWS:
        mine = [r for r in SPANISH if r["flow"] == name]
        assert len(mine) >= 40, name
        assert 0.2 <= sum(r["split"] == "es_heldout" for r in mine) / len(mine) <= 0.5, name
        assert sum(r["needs_person"] == "yes" for r in mine) / len(mine) >= 0.4, name
    loaded = [r for r in load_corpus() if r.split in ES_SPLITS]
    assert len(loaded) == len(SPANISH) and {r.language for r in loaded} == {"es"}


def test_no_duplicate_texts_within_or_across_splits():
    counts = Counter(_squash(r["text"]) for r in ROWS)
    assert [t for t, n in counts.items() if n > 1] == []


def test_no_text_is_copied_from_a_flow():
    """Written fresh: no message appears verbatim in any flow's YAML (phrases, examples...)."""
    files = {*(CORPUS.parents[1] / "flows").glob("*.yaml"),
             *(Path(flow.source) for flow in FLOWS_LOADED.values() if flow.source)}
    sources = " ".join(_squash(path.read_text(encoding="utf-8")) for path in files)
    assert [r["text"] for r in ROWS if _squash(r["text"]) in sources] == []


def test_repeat_customer_rows_have_a_repeat_customer_to_come_from():
    shop = example_businesses()["ecommerce"][0]
    most = Counter(o.phone for o in shop.load_orders()).most_common(1)
    assert most and most[0][1] > 2
