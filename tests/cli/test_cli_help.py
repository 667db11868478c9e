"""`ivr --help` and every subcommand's --help say what the command is for."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ivr.app.cli import main

COMMANDS = [["serve"], ["worker"], ["demo"], ["simulate"], ["flows", "check"],
            ["models", "install"], ["report"], ["oncall"], ["export"]]


def test_the_top_level_help_lists_every_command():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "worker", "demo", "simulate", "flows", "models", "report",
                    "oncall", "export"):
        assert f"  {command} " in result.output


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_each_command_explains_itself(command):
    result = CliRunner().invoke(main, [*command, "--help"], prog_name="ivr")
    assert result.exit_code == 0, result.output
    usage, _, rest = result.output.partition("\n\n")
    assert usage.startswith(f"Usage: ivr {' '.join(command)}")
    assert len(rest.split("Options:")[0].strip()) > 20  # a sentence, not a blank


def test_simulate_help_says_how_to_point_a_server_at_it():
    result = CliRunner().invoke(main, ["simulate", "--help"])
    assert "TWILIO_API_BASE" in result.output and "IVR_PUBLIC_URL" in result.output
