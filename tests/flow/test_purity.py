"""The flow core stays pure: importing all of it pulls in no web, carrier, store or speech code."""

from __future__ import annotations

import subprocess
import sys

from ivr.config.settings import PROJECT_ROOT

FORBIDDEN = ("flask", "twilio", "redis", "rq", "vosk", "pyttsx3")

PROBE = f"""
import importlib, pkgutil, sys
import ivr.flow
for module in pkgutil.walk_packages(ivr.flow.__path__, "ivr.flow."):
    importlib.import_module(module.name)
loaded = sorted(name for name in sys.modules
                if name.split(".")[0] in {FORBIDDEN!r})
print(",".join(loaded))
"""


def test_importing_every_flow_module_loads_no_io_library():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            cwd=PROJECT_ROOT, check=True)
    assert result.stdout.strip() == ""


def test_the_probe_sees_every_flow_module():
    probe = "import pkgutil, ivr.flow; print(len(list(pkgutil.walk_packages(ivr.flow.__path__))))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=PROJECT_ROOT, check=True)
    assert int(result.stdout) >= 15
