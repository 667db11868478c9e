"""GET /readyz tells a container check (and a rolling deploy) whether this server may take
calls yet: "warming" until its own speech recogniser is loaded and warm, so the first caller
after a start is not the one who waits seconds for the model; /healthz keeps answering 200 as
soon as the node can serve at all.

Each test starts from a process that has loaded no model (the module's caches swapped for empty
ones), as a freshly forked gunicorn worker does under `ivr serve`.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from ivr.app.serve import build_app
from ivr.speech import vosk
from ivr.web import create_app, health


@pytest.fixture
def cold_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process as a new worker sees it: no model loaded, no warm-up started."""
    for name, empty in (("_models", {}), ("_warmed", set()), ("_ready", set()), ("_pool", {})):
        monkeypatch.setattr(vosk, name, empty)
    monkeypatch.setattr(health, "_started", set())


def test_readyz_says_warming_until_the_speech_model_is_loaded(cold_process, runtime,
                                                              ko_model: Path):
    app = create_app(runtime, warm=False)  # as `ivr serve` builds it, before the worker warms
    client = app.test_client()
    assert not vosk.model_loaded(ko_model)

    first = client.get("/readyz")
    assert first.status_code == 503 and first.get_json() == {"status": "warming"}
    assert client.get("/healthz").status_code == 200  # up, and says so: only not ready

    deadline = time.monotonic() + 180
    while (answer := client.get("/readyz")).status_code == 503:
        assert answer.get_json() == {"status": "warming"}
        assert time.monotonic() < deadline, "the speech model never became ready"
        time.sleep(0.1)
    assert answer.get_json() == {"status": "ok"}
    assert vosk.model_loaded(ko_model) and vosk.warmed_up(ko_model)

    started = time.perf_counter()  # warm means a first caller's recogniser is quick now
    recognizer = vosk.Recognizer(ko_model)
    recognizer.accept(np.zeros(1600, dtype=np.int16))
    recognizer.final()
    assert time.perf_counter() - started < 1.0


def test_serve_loads_no_model_in_the_master_process(cold_process, settings):
    """`ivr serve` builds the app in gunicorn's master and warms in each worker's post_fork: a
    model loaded in the master was loaded a second time by every worker forked mid-load."""
    build_app(settings)
    time.sleep(0.2)
    assert health._started == set()
    assert not vosk.model_loaded(settings.vosk_model)
