"""`make demo` reaches its prompt: `ivr demo` starts everything and a scripted session talks to
the example businesses through the carrier simulator."""

from __future__ import annotations

import os
import subprocess
import sys

from click.testing import CliRunner

from ivr.app.cli import main


def test_ivr_help_lists_every_command():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "worker", "demo", "simulate", "flows", "models", "report"):
        assert command in result.output


def test_demo_starts_everything_and_a_texter_and_a_caller_get_answers(tmp_path):
    script = tmp_path / "session.txt"
    script.write_text("businesses\ntext hvac what are your hours?\ncall law\n1\n/hangup\nquit\n")
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "TWILIO_API_BASE")}
    env["IVR_VAR_DIR"] = str(tmp_path / "var")
    result = subprocess.run([sys.executable, "-m", "ivr.app.cli", "demo", "--script", str(script)],
                            env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "Polar Bear HVAC" in out and "Hartley Family Law" in out
    assert "virtual assistant for Polar Bear HVAC" in out
    assert "Monday to Friday" in out
    assert "Press 1 for a new legal matter" in out or "press 1" in out.lower()
    assert (tmp_path / "var" / "redis" / "port").exists()  # the embedded Redis under var/
