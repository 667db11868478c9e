"""The real model behind the semantic layer (loaded once for the session, ~1 s)."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from ivr.analytics.understanding import Row, context, example_businesses
from ivr.flow.engine import step
from ivr.flow.events import Input
from ivr.flow.state import State
from ivr.runtime import Runtime
from ivr.semantic import TOP, Index, Semantic, clauses, labelled_examples, shared


@pytest.fixture(scope="session")
def layer() -> Semantic:
    found = shared()
    if not found.available:
        pytest.skip("the sentence encoder is not installed")
    return found


def test_can_i_talk_to_a_real_human_reaches_a_person_in_every_flow(layer):
    for business, flow in example_businesses().values():
        row = Row("dev", flow.name, "can i talk to a real human please", "", True)
        ctx = context(business, flow, row, layer.for_flow(flow))
        state, actions = step(flow, State(), Input.start(row.text), ctx)
        assert "asked_for_human" in state.reasons, flow.name
        assert actions


def test_vectors_are_cached_by_normalised_text(layer):
    first = layer.vectors(["Where is my ORDER??"])
    again = layer.vectors(["where is my order"])
    assert (first == again).all()


def test_a_label_scores_the_mean_of_its_best_example_similarities(layer):
    """The index's one matrix product (a partition, not a sort) says what a loop over each
    label's examples says: the mean of its TOP best cosines, the best over the message and its
    clauses, clipped to 0..1; a label with fewer examples than TOP averages what it has."""
    flows = [flow for _business, flow in example_businesses().values()]
    texts = ["my furnace stopped working and it is freezing, can someone come today",
             "I want to talk to a real person", "where is my order", "how much is a consult"]
    vectors = layer.vectors(texts)
    for flow in flows:
        index = layer.index(flow)
        got = index.scores(vectors)
        width = index.filler.shape[1]
        for i, (label, members) in enumerate(labelled_examples(flow).items()):
            assert index.labels[i] == label
            mine = index.rows[:, i * width:i * width + len(members)].T  # its examples' vectors
            best = max(sum(sorted((float(np.dot(v, e)) for e in mine), reverse=True)[:TOP])
                       / min(len(members), TOP) for v in vectors)
            assert got[label] == pytest.approx(min(max(best, 0.0), 1.0), abs=1e-5), label
    tiny = Index.build(["one", "none", "two"], np.eye(3, dtype=np.float32)[:3], [0, 2, 2])
    assert tiny.scores(np.array([[1.0, 0.0, 0.0]], dtype=np.float32)) == {
        "one": 1.0, "none": 0.0, "two": 0.0}
    assert tiny.scores(np.array([[0.0, 0.6, 0.8]], dtype=np.float32)) == pytest.approx(
        {"one": 0.0, "none": 0.0, "two": 0.7})


def test_a_missing_model_degrades_to_the_rules(caplog):
    def broken() -> object:
        raise ImportError("no model here")

    layer = Semantic(loader=broken)  # type: ignore[arg-type]
    assert layer.for_flow(next(iter(example_businesses().values()))[1]) is None
    assert not layer.available
    assert "semantic.unavailable" in caplog.text


def test_clauses_split_a_mixed_message():
    assert clauses("I don't want a bot, I need a lawyer to call me") == [
        "I don't want a bot", "I need a lawyer to call me"]
    assert clauses("where is my order") == []


def test_a_model_failing_mid_turn_costs_the_scores_not_the_turn(caplog):
    class Flaky:
        def encode(self, texts: list[str]) -> object:
            raise RuntimeError("out of memory")

    layer = Semantic(loader=Flaky)
    similar = layer.for_flow(next(iter(example_businesses().values()))[1])
    assert similar is not None and similar("where is my order please") == {}
    assert "semantic.failed" in caplog.text


def test_the_model_loads_once_however_many_turns_start_at_once():
    """A fresh process's threads all take their first turn together: one load, not one each."""
    loads: list[int] = []

    class Slow:
        def __init__(self) -> None:
            loads.append(1)
            time.sleep(0.2)

        def encode(self, texts: list[str]) -> np.ndarray:
            return np.ones((len(texts), 4), dtype=np.float32)

    layer = Semantic(loader=Slow)
    threads = [threading.Thread(target=lambda: layer.available) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert layer.available and len(loads) == 1


def test_the_web_app_and_the_worker_share_the_process_model(runtime):
    worker_runtime = Runtime.build(runtime.settings, connection=runtime.redis)
    assert worker_runtime.semantic is runtime.semantic is shared()


def test_a_matter_described_in_new_words_is_heard_through_the_option_examples(layer):
    """"What kind of matter is it?" answered without naming one: the option's examples."""
    business, flow = example_businesses()["law_firm"]
    ctx = context(business, flow, Row("dev", flow.name, "", "", False), layer.for_flow(flow))
    state, _ = step(flow, State(), Input.start("I need help from a family lawyer"), ctx)
    assert state.asking == "matter_type"
    state, _ = step(flow, state, Input.sms("the kids' father stopped sending money for them "
                                           "after he moved away"), ctx)
    assert (state.slots.get("matter_type") or state.confirming) == "child_support"


@pytest.mark.parametrize(("answer", "matter"), [
    ("his credit card debt, I don't want it after we split", "divorce"),
    ("we lived together like husband and wife for ten years without a license and it's ending",
     "divorce"),
    ("my grandbabies live with me because their mom can't care for them", "custody"),
    ("I want the judge to keep my ex away from me", "other"),
    ("I'd like my kid to have my last name", "other"),
    ("he keeps violating the order and not returning the kids on time", "custody"),
    ("their dad never pays what the judge ordered for the kids", "child_support"),
])
def test_a_matter_told_as_the_customer_lives_it_is_heard_as_its_kind(layer, answer, matter):
    """Debts after a split, a common-law marriage ending, grandparents raising the children, a
    protective order, a child's name change, a possession order broken: none named, each heard
    (or checked) as its kind."""
    business, flow = example_businesses()["law_firm"]
    ctx = context(business, flow, Row("dev", flow.name, "", "", False), layer.for_flow(flow))
    state, _ = step(flow, State(), Input.start("I need help from a family lawyer"), ctx)
    state, _ = step(flow, state, Input.sms(answer), ctx)
    assert (state.slots.get("matter_type") or state.confirming) == matter
