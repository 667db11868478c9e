"""The terminal seats of `ivr demo` and `ivr simulate`: what a person at the keyboard sees when
an emergency reaches on-call staff, from either side of the call."""

from __future__ import annotations

import io

from jobs_support import Background

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


def test_simulate_as_texter_lines_after_the_call_back_are_said_to_the_agent(app, runtime):
    api_port, web_port = free_port(), free_port()
    runtime.settings = runtime.settings.with_(api_base=f"http://127.0.0.1:{api_port}",
                                              public_url=f"http://127.0.0.1:{web_port}")
    runtime.close()  # the REST client now goes to the port `ivr simulate` serves
    server = LiveServer(app, port=web_port).start()
    worker = Background(runtime).start()  # `ivr worker` next to `ivr serve`: it rings Alex
    out = io.StringIO()
    try:
        run_terminal(runtime.settings, role="texter", business="hvac",
                     lines=["I smell gas", "hello Alex"], out=out)
    finally:
        worker.stop()
        server.stop()
        runtime.close()
    seen = out.getvalue()
    assert f"[Alex Kim {ALEX}] sms from Polar Bear HVAC {POLAR}:" in seen  # the handoff
    assert f"(you say to Alex Kim {ALEX}: hello Alex)" in seen
