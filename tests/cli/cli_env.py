"""Running `ivr` as a user does: a subprocess with a chosen environment, nothing inherited that
would change what it does (REDIS_URL, TWILIO_*, IVR_*)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ivr.config.settings import PROJECT_ROOT

#: Variables of ours that must not leak from the developer's shell into a test.
OURS = ("REDIS_URL", "TWILIO_", "IVR_")


def clean_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment minus our variables, with a private var/ and the shipped examples."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
    env.update(IVR_VAR_DIR=str(var_dir), IVR_CONFIG=str(PROJECT_ROOT / "examples"))
    env.update(extra)
    return env


def ivr(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    """`ivr ARGS...` in a subprocess; returns its exit code and output."""
    return subprocess.run([sys.executable, "-m", "ivr.app.cli", *args], env=env,
                          capture_output=True, text=True, timeout=timeout, cwd=PROJECT_ROOT)
