"""The understanding corpus is well-formed: right columns, real buckets, enough of it, fresh."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from ivr.analytics.understanding import CORPUS, FLOWS, SPLITS, example_businesses

COLUMNS = ["flow", "text", "bucket", "needs_person", "trigger", "note"]
#: Escalations the engine knows without a flow declaring them (ivr/flow/rules.py).
BUILT_IN_TRIGGERS = {"asked_for_human", "frustration"}


def _rows(split: str) -> list[dict[str, str]]:
    with (CORPUS / f"{split}.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS, f"{split}.csv columns"
        return [dict(row, split=split) for row in reader]


ROWS = [row for split in SPLITS for row in _rows(split)]
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
    assert len(ROWS) >= 300
    held = [r for r in ROWS if r["split"] == "heldout"]
    assert len(held) >= 120
    for name in FLOWS:
        mine = [r for r in ROWS if r["flow"] == name]
        assert len(mine) >= 100, name
        share_held = sum(r["split"] == "heldout" for r in mine) / len(mine)
        assert 0.3 <= share_held <= 0.5, (name, share_held)
        share_person = sum(r["needs_person"] == "yes" for r in mine) / len(mine)
        assert share_person >= 0.35, (name, share_person)


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
