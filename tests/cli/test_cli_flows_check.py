"""`ivr flows check`: the shipped files pass; each broken business config or flow prints
`file:line: problem` on the line to fix and exits 1."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ivr.app.cli import main
from ivr.config.settings import PROJECT_ROOT

HARTLEY = (PROJECT_ROOT / "examples" / "hartley_family_law.yaml").read_text(encoding="utf-8")
HVAC_FLOW = (PROJECT_ROOT / "flows" / "hvac.yaml").read_text(encoding="utf-8")


def line_of(text: str, starts: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(starts))


def check(*paths) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["flows", "check", *map(str, paths)])
    return result.exit_code, result.output


def test_the_shipped_flows_and_examples_pass():
    code, output = check(*sorted(PROJECT_ROOT.glob("flows/*.yaml")),
                         *sorted(PROJECT_ROOT.glob("examples/*.yaml")))
    assert (code, output) == (0, "ok: 6 file(s)\n")


BROKEN_BUSINESSES = {
    "bad phone number": ('"+15125550100"', '"+1512555"', "numbers:",
                         "numbers: '+1512555' is not a phone number"),
    "unknown key": ("hours:", "colour: blue\nhours:", "hours:", "unknown key 'colour'"),
    "bad timezone": ("America/Chicago", "Europe/Atlantis", "timezone:",
                     "timezone: unknown time zone 'Europe/Atlantis'"),
    "on_call names unknown staff": ("{staff: Sam Lee}", "{staff: Sam Leigh}",
                                    "  - {staff: Sam Lee}",
                                    "on_call: 'Sam Leigh' is not one of the staff"),
    "bad hours": ('"08:30-17:30"', '"8:30-5:30pm"', "hours:",
                  "hours: '8:30-5:30pm' is not HH:MM-HH:MM or 'closed'"),
}


@pytest.mark.parametrize("case", BROKEN_BUSINESSES, ids=str)
def test_a_broken_business_config_is_reported_on_its_line(tmp_path, case):
    old, new, at, message = BROKEN_BUSINESSES[case]
    bad = tmp_path / "hartley.yaml"
    bad.write_text(HARTLEY.replace(old, new, 1), encoding="utf-8")
    code, output = check(bad)
    assert code == 1
    assert output.startswith(f"{bad}:{line_of(HARTLEY, at)}: {message}")


def test_a_yaml_syntax_error_is_reported_with_file_and_line(tmp_path):
    bad = tmp_path / "hartley.yaml"
    bad.write_text(HARTLEY.replace("skills: [intake]}", "skills: [intake]"), encoding="utf-8")
    code, output = check(bad)
    near = line_of(HARTLEY, "  - {name: Sam Lee")
    assert code == 1 and "YAML syntax" in output
    assert output.startswith((f"{bad}:{near}:", f"{bad}:{near + 1}:"))


def test_a_malformed_flow_is_reported_on_its_line(tmp_path):
    at = HVAC_FLOW.splitlines().index("    route: bot_only") + 1
    lines = HVAC_FLOW.splitlines()
    lines[at - 1] = "    route: robot"
    bad = tmp_path / "hvac.yaml"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, output = check(bad)
    assert code == 1
    assert output.startswith(f"{bad}:{at}: bucket ")
    assert "bad route 'robot'" in output


def test_a_missing_file_is_a_usage_error_not_a_traceback(tmp_path):
    code, output = check(tmp_path / "nope.yaml")
    assert code == 2 and "does not exist" in output


def test_a_business_number_that_is_not_a_number_is_a_file_line_problem(tmp_path):
    """"555-0400" is a possible number to a parser but no carrier will ever ring it."""
    bad = tmp_path / "hartley.yaml"
    bad.write_text(HARTLEY.replace('"+15125550100"', '"555-0400"', 1), encoding="utf-8")
    code, output = check(bad)
    assert code == 1
    assert output.startswith(f"{bad}:{line_of(HARTLEY, 'numbers:')}: numbers: '555-0400' is "
                             "not a phone number (read as a US number")


def test_a_staff_phone_that_is_not_a_number_is_a_file_line_problem(tmp_path):
    """On-call people are staff: a phone the hunt could never ring is caught before a caller
    waits on it."""
    bad = tmp_path / "hartley.yaml"
    bad.write_text(HARTLEY.replace('"+15125550112"', '"5550411"', 1), encoding="utf-8")
    code, output = check(bad)
    assert code == 1
    assert output == (f"{bad}:{line_of(HARTLEY, '  - {name: Sam Lee')}: staff: '5550411' is not "
                      "a phone number (read as a US number: write it in full, +1 then the "
                      "number)\n")


def test_local_numbers_are_read_in_the_business_country(tmp_path):
    """A London business may write its staff's numbers as Londoners do."""
    london = (HARTLEY.replace("America/Chicago", "Europe/London")
              .replace('"+15125550100"', '"020 7946 0000"')
              .replace('"+15125550112"', '"020 7946 0112"'))
    good = tmp_path / "hartley.yaml"
    good.write_text(london, encoding="utf-8")
    assert check(good) == (0, "ok: 1 file(s)\n")
