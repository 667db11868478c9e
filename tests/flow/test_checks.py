"""`ivr flows check`: exit 0 on the shipped files, `file:line: problem` and exit 1 otherwise."""

from __future__ import annotations

from click.testing import CliRunner

from ivr.app.cli import main
from ivr.app.serve import start_warnings
from ivr.config.checks import check_files
from ivr.config.settings import PROJECT_ROOT

SHIPPED = sorted(str(p) for p in [*PROJECT_ROOT.glob("flows/*.yaml"),
                                  *PROJECT_ROOT.glob("examples/*.yaml")])


def test_shipped_flows_and_businesses_pass():
    result = CliRunner().invoke(main, ["flows", "check", *SHIPPED])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: 6 file(s)")


def test_a_malformed_flow_prints_file_line_problem_and_exits_1(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ngreeting: hi\nask: what?\nbuckets:\n  a:\n    route: robot\n"
                   "    phrases: [a]\n")
    result = CliRunner().invoke(main, ["flows", "check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:6: bucket 'a': bad route 'robot'" in result.output


def test_a_business_with_a_bad_number_is_reported(tmp_path):
    source = (PROJECT_ROOT / "examples" / "polar_bear_hvac.yaml").read_text()
    bad = tmp_path / "polar.yaml"
    bad.write_text(source.replace('numbers: ["+15125550200"]', 'numbers: ["call us"]')
                   .replace("flow: flows/hvac.yaml", f"flow: {PROJECT_ROOT / 'flows/hvac.yaml'}"))
    problems = [str(p) for p in check_files([bad])]
    assert problems == [f"{bad}:4: numbers: 'call us' is not a phone number (read as a US "
                        "number: write it in full, +1 then the number)"]


def test_a_flow_text_naming_an_unset_param_is_a_file_line_problem(tmp_path):
    source = (PROJECT_ROOT / "examples" / "polar_bear_hvac.yaml").read_text()
    lines = [line for line in source.splitlines() if not line.startswith("  payment_text:")]
    bad = tmp_path / "polar.yaml"
    bad.write_text("\n".join(lines).replace("flow: flows/hvac.yaml",
                                            f"flow: {PROJECT_ROOT / 'flows/hvac.yaml'}"))
    flow = PROJECT_ROOT / "flows" / "hvac.yaml"
    line = next(i for i, text in enumerate(flow.read_text().splitlines(), 1)
                if "{params.payment_text}" in text)
    problems = [str(p) for p in check_files([bad])]
    assert len(problems) == 1
    assert problems[0].startswith(f"{flow}:{line}: '{{params.payment_text}}' is not set by "
                                  "business 'Polar Bear HVAC'")
    assert "{params.payment_text|...}" in problems[0]  # how to fix it


def test_a_flow_text_with_a_default_needs_no_param(tmp_path):
    flow = tmp_path / "flow.yaml"
    flow.write_text((PROJECT_ROOT / "flows" / "hvac.yaml").read_text().replace(
        "{params.payment_text}", "{params.payment_text|We take cards and checks.}"))
    source = (PROJECT_ROOT / "examples" / "polar_bear_hvac.yaml").read_text()
    lines = [line for line in source.splitlines() if not line.startswith("  payment_text:")]
    business = tmp_path / "polar.yaml"
    business.write_text("\n".join(lines).replace("flow: flows/hvac.yaml", f"flow: {flow}"))
    assert check_files([business]) == []


def test_a_rule_reading_an_unset_param_is_reported_in_the_business_file(tmp_path):
    source = (PROJECT_ROOT / "examples" / "hartley_family_law.yaml").read_text()
    bad = tmp_path / "hartley.yaml"
    bad.write_text("\n".join(line for line in source.splitlines()
                             if not line.startswith("  min_budget:"))
                   .replace("flow: flows/law_firm.yaml",
                            f"flow: {PROJECT_ROOT / 'flows/law_firm.yaml'}"))
    problems = [p.message for p in check_files([bad])]
    assert problems == ["params: 'min_budget' is read by flow 'law_firm' but not set"]


def test_a_directory_is_checked_file_by_file():
    assert check_files([PROJECT_ROOT / "examples", PROJECT_ROOT / "flows"]) == []


def test_params_of_the_wrong_kind_are_reported_on_their_line(tmp_path):
    source = (PROJECT_ROOT / "examples" / "hartley_family_law.yaml").read_text()
    bad = tmp_path / "hartley.yaml"
    bad.write_text(source.replace("jurisdictions: [TX]", "jurisdictions: [Texas]")
                   .replace("min_budget: 3000", "min_budget: lots")
                   .replace("flow: flows/law_firm.yaml",
                            f"flow: {PROJECT_ROOT / 'flows/law_firm.yaml'}"))
    problems = [str(p) for p in check_files([bad])]
    assert problems == [
        f"{bad}:15: params: jurisdictions is a list of two-letter state codes like [TX]; "
        "not Texas",
        f"{bad}:16: params: min_budget must be a number of dollars, not 'lots'",
    ]


def test_serve_reports_a_flow_text_naming_an_unset_param(tmp_path):
    source = (PROJECT_ROOT / "examples" / "hartley_family_law.yaml").read_text()
    business = tmp_path / "hartley.yaml"
    business.write_text("\n".join(line for line in source.splitlines()
                                  if not line.startswith("  consultation_text:"))
                        .replace("flow: flows/law_firm.yaml",
                                 f"flow: {PROJECT_ROOT / 'flows/law_firm.yaml'}"))
    warnings = start_warnings(tmp_path)
    assert len(warnings) == 1
    assert f"{PROJECT_ROOT / 'flows' / 'law_firm.yaml'}:" in warnings[0]
    assert "'{params.consultation_text}' is not set" in warnings[0]
