"""Twilio's REST API answering slowly while a caller waits for a person.

Twilio gives up on a webhook after 15 s and the caller hears "an application error has
occurred". A transfer's webhooks dial people by REST inline, so however slow the API is, the
webhook must answer in time with what is under way (the caller on hold), and a job must carry
on. A dial whose answer never came back may still ring: that person is not skipped, and not
rung twice.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from latest_record import wait_for_latest
from twilio_speech import heard_by_twilio

from ivr.config.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
HVAC, ALEX, JO = "+15125550200", "+15125550211", "+15125550212"
SAM, LEE = "+15125550213", "+15125550214"
CALLER = "+15125550199"
GAS = "I smell gas and the furnace is out"


@pytest.fixture(autouse=True)
def callers_talk(runtime) -> None:
    """The callers here say what is wrong: their business lets Twilio hear them."""
    heard_by_twilio(runtime)

#: Seconds the carrier's API takes to answer: longer than a REST request may wait, and four
#: dials of it would pass Twilio's 15 s.
SLOW_S = 10.0


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    """Polar Bear HVAC with four people on call, so dialling each in turn inline would take
    longer than Twilio waits for the webhook."""
    polar = (PROJECT_ROOT / "examples" / "polar_bear_hvac.yaml").read_text(encoding="utf-8")
    polar = polar.replace(
        '  - {name: Jo Park, phone: "+15125550212", skills: [service]}\n',
        '  - {name: Jo Park, phone: "+15125550212", skills: [service]}\n'
        f'  - {{name: Sam Ruiz, phone: "{SAM}", skills: [emergency]}}\n'
        f'  - {{name: Lee Chan, phone: "{LEE}", skills: [emergency]}}\n')
    polar = polar.replace("  - {staff: Jo Park}\n",
                          "  - {staff: Jo Park}\n  - {staff: Sam Ruiz}\n  - {staff: Lee Chan}\n")
    assert "Lee Chan}" in polar
    config = tmp_path / "config"
    config.mkdir()
    (config / "polar.yaml").write_text(polar, encoding="utf-8")
    return settings.with_(config_path=config)


def test_a_slow_twilio_api_still_answers_the_webhook_in_time(live_app, carrier, runtime):
    """The caller who needs a person hears who is coming and holds, not an application error;
    Alex, whose dial Twilio carried out late, is the one who rings, once, and takes the call."""
    alex = carrier.seat(ALEX, "accept")
    call = carrier.phone(CALLER).call(HVAC)
    call.wait_for_gather()
    carrier.faults.slow_rest(SLOW_S)
    started = time.monotonic()
    call.say(GAS)
    carrier.wait_for(lambda: any(p.call is call for r in carrier.conferences
                                 for p in r.current()), 15, "the caller on hold")
    waited = time.monotonic() - started
    assert waited < 10, f"the caller waited {waited:.1f} s for the webhook"
    assert not call.errors
    assert any("Connecting you with" in h for h in call.heard)
    carrier.faults.slow_rest(0)  # the API recovers; Alex's dial is still on its way
    agent = alex.wait_for_call(SLOW_S + 5)
    room = carrier.conference(f"conf-{call.sid}")
    carrier.wait_for(lambda: room.has(call, agent), 15, "caller and Alex in one conference")
    record = wait_for_latest(carrier, runtime, CALLER,
                             lambda r: (r["transfer"] or {}).get("accepted"), "Alex accepted")
    assert record["transfer"]["agent"] == "Alex Kim"
    assert len(alex.calls) == 1
    assert not any(carrier.phone(n).calls for n in (JO, SAM, LEE))
    assert not call.errors and not agent.errors
    assert not [e for e in carrier.errors if "application error" in str(e).lower()]


def test_an_on_call_person_passing_while_twilio_is_slow_is_answered_in_time_and_the_next_rings(
        live_app, carrier, runtime):
    """Alex presses 2 while the API is slow: his keypress webhook cannot wait for four dials.
    He hears the polite answer, the caller keeps holding, and Jo's late dial takes the call."""
    alex = carrier.seat(ALEX, "manual")
    jo = carrier.seat(JO, "accept")
    call = carrier.phone(CALLER).call(HVAC)
    call.wait_for_gather()
    call.say(GAS)
    first = alex.wait_for_call(10)
    first.wait_for_gather(10)
    carrier.faults.slow_rest(SLOW_S)
    started = time.monotonic()
    heard = first.press("2")
    waited = time.monotonic() - started
    assert waited < 10, f"Alex waited {waited:.1f} s for an answer to his keypress"
    assert any("try someone else" in h for h in heard)
    assert not first.errors and not call.errors
    carrier.faults.slow_rest(0)
    agent = jo.wait_for_call(SLOW_S + 5)
    room = carrier.conference(f"conf-{call.sid}")
    carrier.wait_for(lambda: room.has(call, agent), 15, "caller and Jo in one conference")
    assert len(jo.calls) == 1
    assert not call.errors
