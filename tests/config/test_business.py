"""Business configs: a broken file is refused with `file:line: problem` before anything serves,
and one process serves a directory of businesses, each reached by its own numbers (Twilio's To).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ivr.config.directory import load_directory
from ivr.config.settings import PROJECT_ROOT, Settings
from ivr.flow.errors import ConfigError

EXAMPLES = PROJECT_ROOT / "examples"
HARTLEY = (EXAMPLES / "hartley_family_law.yaml").read_text(encoding="utf-8")
POLAR = (EXAMPLES / "polar_bear_hvac.yaml").read_text(encoding="utf-8")


def line_number(text: str, starts: str) -> int:
    """The 1-based line of `text` that starts with `starts` (so tests follow the examples)."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(starts))


def problems_in(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_directory(path)
    return [str(p) for p in caught.value.problems]


def broken(tmp_path: Path, old: str, new: str, source: str = HARTLEY) -> Path:
    assert old in source
    file = tmp_path / "hartley.yaml"
    file.write_text(source.replace(old, new, 1), encoding="utf-8")
    return file


def test_a_number_that_is_not_a_phone_number_is_named_on_its_line(tmp_path):
    file = broken(tmp_path, '"+15125550100"', '"+1512555"')
    assert problems_in(file) == [
        f"{file}:{line_number(HARTLEY, 'numbers:')}: numbers: '+1512555' is not a phone number"
        " (read as a US number: write it in full, +1 then the number)"]


def test_an_unknown_key_is_named_on_its_line(tmp_path):
    file = broken(tmp_path, "hours:", "colour: blue\nhours:")
    (problem,) = problems_in(file)
    assert problem.startswith(f"{file}:{line_number(HARTLEY, 'hours:')}: unknown key 'colour'")


def test_a_misspelt_time_zone_is_named_on_its_line(tmp_path):
    file = broken(tmp_path, "America/Chicago", "America/Chicagoo")
    assert problems_in(file) == [f"{file}:{line_number(HARTLEY, 'timezone:')}: timezone: "
                                 "unknown time zone 'America/Chicagoo'"]


def test_on_call_naming_someone_not_on_the_staff_is_named_on_its_line(tmp_path):
    file = broken(tmp_path, "  - {staff: Sam Lee}", "  - {staff: Sam Leigh}")
    assert problems_in(file) == [f"{file}:{line_number(HARTLEY, '  - {staff: Sam Lee}')}: "
                                 "on_call: 'Sam Leigh' is not one of the staff"]


def test_a_staff_phone_typo_is_reported_once_not_again_under_on_call(tmp_path):
    file = broken(tmp_path, 'phone: "+15125550112"', 'phone: "12"')
    assert problems_in(file) == [f"{file}:{line_number(HARTLEY, '  - {name: Sam Lee')}: "
                                 "staff: '12' is not a phone number (read as a US number: "
                                 "write it in full, +1 then the number)"]


def test_a_yaml_syntax_error_names_the_file_and_a_line_near_it(tmp_path):
    file = broken(tmp_path, "skills: [intake]}", "skills: [intake]")
    (problem,) = problems_in(file)
    bad_line = line_number(HARTLEY, "  - {name: Sam Lee")
    assert problem.startswith(f"{file}:") and "YAML syntax" in problem
    assert int(problem.split(":")[1]) in (bad_line, bad_line + 1)


def test_a_param_of_the_wrong_kind_is_refused_at_load_on_its_line(tmp_path):
    file = broken(tmp_path, "min_budget: 3000", "min_budget: lots")
    assert problems_in(file) == [f"{file}:{line_number(HARTLEY, '  min_budget:')}: params: "
                                 "min_budget must be a number of dollars, not 'lots'"]


def test_a_missing_config_path_is_one_clear_problem(tmp_path):
    missing = tmp_path / "nowhere"
    assert problems_in(missing) == [f"{missing}:1: no such business config file or directory "
                                    "(IVR_CONFIG)"]


def test_two_businesses_claiming_one_number_is_named_on_the_numbers_line(tmp_path):
    (tmp_path / "a.yaml").write_text(HARTLEY, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(POLAR.replace("+15125550200", "+15125550100"),
                                     encoding="utf-8")
    assert problems_in(tmp_path) == [f"{tmp_path / 'b.yaml'}:{line_number(POLAR, 'numbers:')}: "
                                     "numbers: +15125550100 already belongs to Hartley Family Law"]


def test_a_flow_kept_beside_the_business_files_is_not_mistaken_for_a_business(tmp_path):
    (tmp_path / "hartley.yaml").write_text(HARTLEY, encoding="utf-8")
    (tmp_path / "my_flow.yaml").write_text((PROJECT_ROOT / "flows" / "law_firm.yaml")
                                           .read_text(encoding="utf-8"), encoding="utf-8")
    assert [b.name for b in load_directory(tmp_path)] == ["Hartley Family Law"]


# --- one process, many businesses --------------------------------------------------------------
ICEBOX = (POLAR.replace("Polar Bear HVAC", "Icebox Cooling")
          .replace("+15125550200", "+15125550700")
          .replace("+15125550211", "+15125550711").replace("+15125550212", "+15125550712"))


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    """The conftest settings, serving a directory of three businesses (two share a flow)."""
    config = tmp_path / "config"
    config.mkdir()
    (config / "hartley.yaml").write_text(HARTLEY, encoding="utf-8")
    (config / "polar.yaml").write_text(POLAR, encoding="utf-8")
    (config / "icebox.yaml").write_text(ICEBOX, encoding="utf-8")
    return settings.with_(config_path=config)


def test_one_process_serves_a_directory_each_business_on_its_own_number(live_app, carrier):
    phone = carrier.phone("+15125550199")
    replies = {number: " ".join(phone.text(number, "what are your hours?"))
               for number in ("+15125550100", "+15125550200", "+15125550700")}
    assert "virtual assistant for Hartley Family Law" in replies["+15125550100"]
    assert "virtual assistant for Polar Bear HVAC" in replies["+15125550200"]
    assert "virtual assistant for Icebox Cooling" in replies["+15125550700"]
    assert "Polar Bear" not in replies["+15125550700"]


def test_a_business_may_let_twilio_hear_its_callers(tmp_path):
    file = broken(tmp_path, "hours:", "speech: twilio\nhours:")
    [business] = load_directory(file)
    assert business.speech == "twilio"


def test_an_unknown_way_of_hearing_callers_is_named_on_its_line_with_the_three_ways(tmp_path):
    file = broken(tmp_path, "hours:", "speech: cloud\nhours:")
    (problem,) = problems_in(file)
    assert problem.startswith(f"{file}:{line_number(HARTLEY, 'hours:')}: speech: 'cloud' is "
                              "not a way to hear callers")
    assert all(f"'{way}'" in problem for way in ("stream", "record", "twilio"))


def test_a_keyword_reply_missing_a_language_the_business_declares_is_named_on_its_line(
        tmp_path):
    """Polar Bear HVAC answers Spanish texters: its own HELP reply needs a Spanish version,
    or a Spanish texter would be sent the English one."""
    sms = ('sms:\n  carrier_handles_keywords: false\n'
           '  help_reply: {en: "{name}: call {contact}. STOP to stop."}\n'
           '  start_reply: {en: "Welcome back to {name}!", es: "¡Bienvenido de nuevo a {name}!"}\n')
    file = broken(tmp_path, "languages:", sms + "languages:", source=POLAR)
    line = line_number(file.read_text(encoding="utf-8"), "  help_reply:")
    assert problems_in(file) == [
        f"{file}:{line}: sms: help_reply: no version in es (the business declares languages: "
        "[en, es]); a texter in it would get another language's"]


def test_keyword_replies_written_in_each_language_the_business_speaks_load(tmp_path):
    sms = ('sms:\n  carrier_handles_keywords: false\n'
           '  help_reply: {en: "{name}: call {contact}.", es: "{name}: llame al {contact}."}\n')
    file = broken(tmp_path, "languages:", sms + "languages:", source=POLAR)
    [business] = load_directory(file)
    assert business.sms.wording("help", "es") == "{name}: llame al {contact}."
    assert business.sms.wording("help", "en") == "{name}: call {contact}."
