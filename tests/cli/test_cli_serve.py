"""`ivr serve`: missing settings or a broken business config are one clear message and exit 1;
with its settings it serves, and /healthz says so."""

from __future__ import annotations

import subprocess
import sys
import time

import requests
from cli_env import clean_env, ivr

from ivr.config.settings import PROJECT_ROOT
from ivr.store.redis_server import free_port

SECRETS = {"TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "x",
           "IVR_API_TOKEN": "y"}


def test_serve_without_its_settings_names_what_to_set_and_exits_1(tmp_path):
    result = ivr("serve", env=clean_env(tmp_path / "var"))
    assert result.returncode == 1
    assert result.stderr.strip() == ("ivr serve: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, "
                                     "IVR_API_TOKEN in the environment")
    assert not (tmp_path / "var" / "redis").exists()  # nothing was started


def test_serve_with_a_broken_business_config_names_file_line_and_key(tmp_path):
    source = (PROJECT_ROOT / "examples" / "polar_bear_hvac.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "polar.yaml"
    bad.write_text(source.replace("America/Chicago", "America/Chicgo"), encoding="utf-8")
    result = ivr("serve", env=clean_env(tmp_path / "var", IVR_CONFIG=str(bad), **SECRETS))
    assert result.returncode == 1
    assert f"{bad}:5: timezone: unknown time zone 'America/Chicgo'" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_with_its_settings_answers_healthz(tmp_path, redis_server):
    port = free_port()
    env = clean_env(tmp_path / "var", REDIS_URL=redis_server.url, **SECRETS)
    server = subprocess.Popen([sys.executable, "-m", "ivr.app.cli", "serve", "--port", str(port),
                               "--threads", "4"], env=env, cwd=PROJECT_ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        health = None
        for _ in range(300):
            try:
                health = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except requests.ConnectionError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:]
                time.sleep(0.1)
        assert health is not None and health.status_code == 200
        figures = requests.get(f"http://127.0.0.1:{port}/api/health", timeout=2,
                               headers={"Authorization": f"Bearer {SECRETS['IVR_API_TOKEN']}"})
        assert figures.json()["businesses"] == 3
    finally:
        server.terminate()
        server.wait(20)
        server.stderr.close()


def test_serve_reports_config_and_missing_credentials_together(tmp_path):
    """One run shows everything to fix: a broken config no longer hides behind missing
    credentials."""
    source = (PROJECT_ROOT / "examples" / "polar_bear_hvac.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "polar.yaml"
    bad.write_text(source.replace('"+15125550200"', '"555-0400"', 1), encoding="utf-8")
    result = ivr("serve", env=clean_env(tmp_path / "var", IVR_CONFIG=str(bad)))
    assert result.returncode == 1
    assert "ivr serve: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, IVR_API_TOKEN" in result.stderr
    assert f"{bad}:4: numbers: '555-0400' is not a phone number" in result.stderr
    assert not (tmp_path / "var" / "redis").exists()  # nothing was started
