"""Who is on call: hunt order, skills first, `when:` rotas in the business's timezone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from ivr.app.cli import main
from ivr.config.business import load_business
from ivr.config.directory import load_directory
from ivr.config.oncall import on_call
from ivr.config.settings import PROJECT_ROOT

EXAMPLES = PROJECT_ROOT / "examples"
TUESDAY_10AM = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)  # 10:00 in Chicago
TUESDAY_10PM = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)   # 22:00 in Chicago
WEDNESDAY_2AM = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # 02:00 in Chicago, same rota night
SATURDAY_NOON = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)

ROTA = """
name: Night Owl Plumbing
numbers: ["+15125550900"]
timezone: America/Chicago
hours: {mon-fri: "08:30-17:30"}
flow: flows/hvac.yaml
staff:
  - {name: Dana Ortiz, phone: "+15125550911", skills: [emergency]}
  - {name: Sam Lee, phone: "+15125550912", skills: [service]}
  - {name: Kim Ode, phone: "+15125550913", skills: [service, emergency]}
on_call:
  - {staff: Dana Ortiz, when: {mon-fri: "17:30-08:30"}}
  - {staff: Sam Lee, when: {mon-fri: "08:30-17:30"}}
  - {staff: Kim Ode, when: {mon-fri: "08:30-17:30"}}
  - {staff: Sam Lee}
"""


def rota(tmp_path: Path):
    path = tmp_path / "night_owl.yaml"
    path.write_text(ROTA)
    return load_business(path)


def names(people) -> list[str]:
    return [p.staff.name for p in people]


def hvac():
    return next(b for b in load_directory(EXAMPLES) if b.name == "Polar Bear HVAC")


def test_the_person_with_the_needed_skill_is_rung_first_then_the_rest_of_the_roster():
    assert names(on_call(hvac(), TUESDAY_10AM, "service")) == ["Jo Park", "Alex Kim"]
    assert names(on_call(hvac(), TUESDAY_10AM, "emergency")) == ["Alex Kim", "Jo Park"]
    assert names(on_call(hvac(), TUESDAY_10AM)) == ["Alex Kim", "Jo Park"]


def test_daytime_rota_rings_the_day_staff_in_roster_order(tmp_path):
    assert names(on_call(rota(tmp_path), TUESDAY_10AM, "service")) == ["Sam Lee", "Kim Ode"]


def test_the_evening_rota_rings_whoever_covers_tonight_even_after_midnight(tmp_path):
    business = rota(tmp_path)
    assert names(on_call(business, TUESDAY_10PM, "emergency")) == ["Dana Ortiz", "Sam Lee"]
    assert names(on_call(business, WEDNESDAY_2AM, "emergency")) == ["Dana Ortiz", "Sam Lee"]


def test_a_person_listed_twice_is_rung_once(tmp_path):
    assert names(on_call(rota(tmp_path), TUESDAY_10AM)).count("Sam Lee") == 1


def test_an_entry_without_when_covers_the_weekend(tmp_path):
    assert names(on_call(rota(tmp_path), SATURDAY_NOON)) == ["Sam Lee"]


def test_ivr_oncall_prints_the_hunt_order(tmp_path):
    result = CliRunner().invoke(main, ["oncall", "--business", "Hartley Family Law"],
                                env={"IVR_CONFIG": str(EXAMPLES)})
    assert result.exit_code == 0, result.output
    assert "1. Dana Ortiz" in result.output and "2. Sam Lee" in result.output


def test_ivr_oncall_names_the_known_businesses_when_asked_for_an_unknown_one():
    result = CliRunner().invoke(main, ["oncall", "--business", "Nope Inc"],
                                env={"IVR_CONFIG": str(EXAMPLES)})
    assert result.exit_code != 0
    assert "Polar Bear HVAC" in result.output
