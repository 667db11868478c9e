"""Flow core speed: median microseconds per `step` over the shipped flows, beside the floor.

A realistic mix per flow (one-message intakes, step-by-step voice, keypad answers, silences,
escalations, after-hours captures) is replayed many times; every `step` is timed on its own.
The floor is what any step must do at least: copy the state (to_dict/from_dict). Also reports
how long loading each flow file takes. Run: `python -m bench.flow_core [--rounds N]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from ivr.config.business import Business
from ivr.config.directory import load_directory
from ivr.config.settings import PROJECT_ROOT
from ivr.conversation.service import build_context
from ivr.flow.context import Context
from ivr.flow.engine import step
from ivr.flow.events import Input
from ivr.flow.loader import load_flow
from ivr.flow.model import Flow
from ivr.flow.state import State

OPEN = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)
CLOSED = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)
S, V, D = Input.sms, (lambda t: Input.speech(t, 0.9)), Input.digits
SCRIPTS: dict[str, list[tuple[str, str, datetime, list[Input]]]] = {
    "Hartley Family Law": [
        ("sms", "+15125550199", OPEN, [Input.start(
            "I need help with a custody case in Austin Texas, hearing is next month, no lawyer "
            "yet, I can spend about five grand")]),
        ("voice", "+15125550199", OPEN, [Input.start(), V("I'm going through a divorce"),
                                         V("yes"), V("within two weeks"), V("no"),
                                         V("about ten thousand dollars")]),
        ("voice", "+15125550199", OPEN, [Input.start(), Input.silence(), Input("no_match"),
                                         D("1"), D("2"), D("1"), D("3"), D("2"), D("2")]),
        ("sms", "+13125550100", CLOSED, [Input.start("divorce in Chicago"), S("yes")]),
    ],
    "Polar Bear HVAC": [
        ("sms", "+15125550199", OPEN, [Input.start("what are your hours?")]),
        ("sms", "+15125550199", CLOSED, [Input.start("I smell gas in the kitchen")]),
        ("voice", "+15125550199", OPEN, [Input.start(), V("can I get a quote"), V("heat pump"),
                                         V("call me back")]),
        ("voice", "+15125550199", OPEN, [Input.start(), V("do you service round rock"),
                                         V("no thanks")]),
        ("sms", "+15125550199", CLOSED, [Input.start("we need to replace our furnace next month")]),
    ],
    "Fernhill Goods": [
        ("sms", "+15125550199", OPEN, [Input.start("where is my order FG-10231")]),
        ("sms", "+15125550177", OPEN, [Input.start("I'd like to return something")]),
        ("sms", "+15125550199", OPEN, [Input.start("I got a rash from the face oil")]),
        ("sms", "+15125550199", OPEN, [Input.start("can you recommend something?"),
                                       S("a birthday present")]),
        ("sms", "+15125550199", OPEN, [Input.start("is the lavender soap vegan?")]),
    ],
}


def _contexts(business: Business, flow: Flow) -> dict[tuple[str, str, datetime], Context]:
    return {(ch, ph, at): build_context(business, ch, ph, at, flow)
            for ch, ph, at, _ in SCRIPTS[business.name]}


def measure(business: Business, rounds: int) -> tuple[list[float], list[float]]:
    """(step times, floor times) in microseconds, over `rounds` replays of the mix."""
    flow = load_flow(business.flow_path)
    contexts = _contexts(business, flow)
    steps: list[float] = []
    floor: list[float] = []
    for _ in range(rounds):
        for channel, phone, at, inputs in SCRIPTS[business.name]:
            state = State(flow=flow.name)
            ctx = contexts[(channel, phone, at)]
            for inp in inputs:
                started = time.perf_counter_ns()
                State.from_dict(state.to_dict())
                floor.append((time.perf_counter_ns() - started) / 1000)
                started = time.perf_counter_ns()
                state, _actions = step(flow, state, inp, ctx)
                steps.append((time.perf_counter_ns() - started) / 1000)
                if state.done:
                    break
    return steps, floor


def load_time(path: Path, repeats: int = 5) -> float:
    """Median milliseconds to read and validate a flow file."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        load_flow(path)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.flow_core")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args(argv)
    directory = load_directory(PROJECT_ROOT / "examples")
    print("| flow | steps timed | median us/step | p90 us/step | floor median us | "
          "ratio | load ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for business in directory:
        steps, floor = measure(business, args.rounds)
        median, p90 = statistics.median(steps), statistics.quantiles(steps, n=10)[-1]
        base = statistics.median(floor)
        print(f"| {business.flow_name} | {len(steps)} | {median:.0f} | {p90:.0f} | {base:.1f} | "
              f"{median / base:.0f}x | {load_time(business.flow_path):.1f} |")
    print()
    print(f"{args.rounds} replays of a mixed script per flow (SMS and voice, open and closed "
          "hours); floor = copying the state, which every step does.")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as exc:  # a broken flow or engine error must fail the bench run
        print(f"bench.flow_core: {type(exc).__name__}: {exc}", file=sys.stderr)
        sys.exit(1)
