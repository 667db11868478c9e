"""The terminal seats of `ivr demo` and `ivr simulate`: what a person at the keyboard sees when
an emergency reaches on-call staff, from either side of the call."""

from __future__ import annotations

import io
import subprocess
import sys

from cli_env import clean_env
from jobs_support import Background

from ivr.app.demo import heard_by_twilio
from ivr.config.settings import PROJECT_ROOT
from ivr.sim import LiveServer
from ivr.sim.terminal import AgentSession, DemoSession, run_terminal
from ivr.store.redis_server import free_port

POLAR = "+15125550200"
ALEX = "+15125550211"
CUSTOMER = "+15125550199"


def test_on_call_at_the_terminal_a_customer_text_rings_you_and_you_talk_to_them(
        live_app, carrier, runtime):
    out = io.StringIO()
    AgentSession(carrier, directory=runtime.directory, out=out, person=ALEX).run(
        ["text Polar Bear HVAC I smell gas in the kitchen", "answer 20", "1",
         "hello, this is Alex", "/hangup"])
    seen = out.getvalue()
    assert f"[{CUSTOMER}] sms from Polar Bear HVAC {POLAR}:" in seen  # the customer's side
    assert "hears: Press 1 to take this call" in seen
    assert "(audio: the spoken summary of the conversation, as texted)" in seen
    assert f"(you say to {CUSTOMER}: hello, this is Alex)" in seen


def test_in_the_demo_words_said_to_the_on_call_person_do_not_wait_for_the_bot(
        live_app, carrier, runtime):
    runtime.directory = heard_by_twilio(runtime.directory)  # as `ivr demo` serves them
    out = io.StringIO()
    DemoSession(runtime.settings, carrier, out=out).run(
        ["seat Alex accept", "call hvac", "I smell gas", "hi Alex, it is strong", "/hangup"])
    seen = out.getvalue()
    assert f"Alex Kim {ALEX} will answer and press 1 to take the call" in seen
    assert f"(you are now talking to Alex Kim {ALEX})" in seen
    assert f"(you say to Alex Kim {ALEX}: hi Alex, it is strong)" in seen
    assert "did not reach gather" not in seen


def test_the_demo_explains_a_seat_it_cannot_make(live_app, carrier, runtime):
    out = io.StringIO()
    DemoSession(runtime.settings, carrier, out=out).run(["seat Bob busy", "seat Alex dance"])
    seen = out.getvalue()
    assert "! no staff member called 'Bob' (try `businesses`)" in seen
    assert "! seat: behaviour is one of accept, pass, no_answer, busy, voicemail, manual" in seen


def test_in_the_demo_you_can_take_the_on_call_seat_and_answer_a_texter(
        live_app, carrier, runtime):
    out = io.StringIO()
    DemoSession(runtime.settings, carrier, out=out).run(
        ["agent Alex", "text hvac I smell gas", "agent Alex", "1", "hello, Alex here",
         "/hangup"])
    seen = out.getvalue()
    assert "calls are yours to answer now" in seen  # nothing was ringing yet
    assert f"you answer Alex Kim {ALEX}" in seen
    assert f"(you say to the caller {CUSTOMER}: hello, Alex here)" in seen


def test_quit_during_a_call_hangs_up_and_leaves(live_app, carrier, runtime):
    out = io.StringIO()
    DemoSession(runtime.settings, carrier, out=out).run(["call law", "quit", "businesses"])
    seen = out.getvalue()
    assert "(call ended: completed)" in seen
    assert "Dana Ortiz +15125550111" not in seen  # `businesses` was never read


def simulate(app, runtime, lines: list[str], role: str = "texter") -> str:
    """`ivr simulate --as ROLE --business hvac` against a served app and worker, typing
    `lines`; returns what the terminal showed."""
    api_port, web_port = free_port(), free_port()
    runtime.settings = runtime.settings.with_(api_base=f"http://127.0.0.1:{api_port}",
                                              public_url=f"http://127.0.0.1:{web_port}")
    runtime.close()  # the REST client now goes to the port `ivr simulate` serves
    server = LiveServer(app, port=web_port).start()
    worker = Background(runtime).start()  # `ivr worker` next to `ivr serve`: it rings Alex
    out = io.StringIO()
    try:
        run_terminal(runtime.settings, role=role, business="hvac", lines=lines, out=out)
    finally:
        worker.stop()
        server.stop()
        runtime.close()
    return out.getvalue()


def test_simulate_as_texter_lines_after_the_call_back_are_said_to_the_agent(app, runtime):
    seen = simulate(app, runtime, ["I smell gas", "hello Alex"])
    assert f"[Alex Kim {ALEX}] sms from Polar Bear HVAC {POLAR}:" in seen  # the handoff
    assert f"(you say to Alex Kim {ALEX}: hello Alex)" in seen


def test_slash_quit_leaves_without_texting_the_business(app, runtime):
    """`/quit` texted to the business opted the texter out and then greeted them."""
    seen = simulate(app, runtime, ["/help", "/hangup", "/quit", "what are your hours?"])
    assert "sms from" not in seen  # the business never heard from us
    assert "/text MESSAGE" in seen  # /help was answered by the terminal
    assert "no call in progress" in seen


def test_quit_leaves_the_texter_seat(app, runtime):
    """`quit` used to be skipped and the next line texted anyway."""
    seen = simulate(app, runtime, ["help", "quit", "what are your hours?"])
    assert "sms from" not in seen


def test_simulate_opens_with_a_banner_naming_the_commands(app, runtime):
    """Nobody meets a bare prompt: the seat says who you are and what you can type."""
    seen = simulate(app, runtime, ["/quit"])
    assert seen.startswith(f"ivr simulate: you are {CUSTOMER}, texting Polar Bear HVAC {POLAR}")
    assert "/help" in seen and "/quit, quit, Ctrl-D" in seen


def test_a_text_handed_to_a_person_announces_the_live_call(live_app, carrier, runtime):
    """After a text is handed to a person the terminal is in a live call, so the next line is
    spoken to them: that moment is announced, with how to leave it."""
    out = io.StringIO()
    DemoSession(runtime.settings, carrier, out=out).run(
        ["seat Alex accept", "text hvac I smell gas in the kitchen", "wait 5", "/hangup",
         "businesses"])
    seen = out.getvalue()
    announced = seen.index("** live call: Polar Bear HVAC")
    assert f"put you through to Alex Kim {ALEX}" in seen[announced:]
    assert "/hangup ends the call" in seen[announced:]
    assert "(call ended: completed)" in seen[announced:]
    assert "Dana Ortiz +15125550111" in seen  # after /hangup, commands are commands again


def test_the_demo_opens_with_its_commands_and_ctrl_d_leaves(tmp_path):
    """`ivr demo` on a terminal: the banner names the commands; end of input (Ctrl-D) leaves
    cleanly."""
    env = clean_env(tmp_path / "var")
    demo = subprocess.run([sys.executable, "-m", "ivr.app.cli", "demo"], input="businesses\n",
                          env=env, capture_output=True, text=True, timeout=180,
                          cwd=PROJECT_ROOT)
    assert demo.returncode == 0, demo.stderr[-2000:]
    assert f"ivr demo: you are {CUSTOMER}, a customer." in demo.stdout
    for command in ("call [BUSINESS]", "text [BUSINESS] MESSAGE", "/hangup", "quit, /quit, Ctrl-D"):
        assert command in demo.stdout
    assert "Polar Bear HVAC" in demo.stdout  # `businesses` ran before the input ended
