"""Endpointing: the caller's turn ends 300–400 ms after they stop, not a second later."""

from __future__ import annotations

from ivr.speech.endpoint import Endpoint, EndpointConfig, Endpointer

QUIET = -70.0
SPEECH = -20.0


def feed(endpointer: Endpointer, energy: float, frames: int, partial: str | None = None):
    return [(i, e) for i in range(frames) if (e := endpointer.feed(energy, partial))]


def test_speech_start_is_reported_once_after_60_ms_of_voice():
    ep = Endpointer()
    assert feed(ep, QUIET, 25) == []
    events = feed(ep, SPEECH, 20)
    assert events == [(2, Endpoint.STARTED)]
    assert ep.speaking


def test_a_click_is_not_speech():
    ep = Endpointer()
    feed(ep, QUIET, 10)
    assert feed(ep, SPEECH, 2) == []
    assert feed(ep, QUIET, 10) == []
    assert not ep.speaking


def test_the_utterance_is_final_after_360_ms_of_trailing_quiet():
    ep = Endpointer()
    feed(ep, QUIET, 10)
    feed(ep, SPEECH, 40, partial="my furnace is out")
    events = feed(ep, QUIET, 40)
    assert events == [(17, Endpoint.FINAL)]  # the 18th quiet frame: 360 ms
    assert not ep.speaking


def test_a_short_pause_between_words_does_not_end_the_turn():
    ep = Endpointer()
    feed(ep, QUIET, 10)
    feed(ep, SPEECH, 20)
    assert feed(ep, QUIET, 10) == []  # 200 ms breath
    assert feed(ep, SPEECH, 20) == []
    assert ep.speaking


def test_a_still_changing_partial_result_holds_the_turn_open_a_little_longer():
    ep = Endpointer()
    feed(ep, QUIET, 10)
    feed(ep, SPEECH, 30)
    # Quiet, but the recogniser is still revising what it heard every 100 ms.
    events = []
    for i in range(60):
        partial = f"revision {i // 5}" if i % 5 == 0 else None
        if ep.feed(QUIET, partial):
            events.append(i)
    assert events == [39]  # max_trailing_ms (800 ms): finalised anyway
    ep2 = Endpointer()
    feed(ep2, QUIET, 10)
    feed(ep2, SPEECH, 30)
    stable = [i for i in range(60) if ep2.feed(QUIET, "my furnace is out" if i < 5 else None)]
    assert stable == [17]


def test_a_caller_who_never_pauses_is_finalised_at_the_limit():
    ep = Endpointer(EndpointConfig(max_utterance_ms=2000))
    feed(ep, QUIET, 5)
    events = feed(ep, SPEECH, 150)
    assert [e for _, e in events] == [Endpoint.STARTED, Endpoint.FINAL, Endpoint.STARTED]


def test_a_noisy_line_raises_the_bar_for_speech():
    ep = Endpointer()
    feed(ep, -52.0, 200)  # a hissing line
    assert ep.threshold > -42
    assert feed(ep, -44.0, 20) == []  # the TV in the next room is not the caller
    assert feed(ep, -15.0, 5)[0][1] is Endpoint.STARTED


def test_reset_forgets_the_utterance_but_keeps_the_noise_floor():
    ep = Endpointer()
    feed(ep, -50.0, 100)
    floor = ep.floor
    feed(ep, SPEECH, 10)
    ep.reset()
    assert not ep.speaking and ep.floor == floor and ep.trailing_quiet_ms == 0
