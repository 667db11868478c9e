"""Start the product (`ivr serve`) and the floor app under the same gunicorn settings.

Both run as subprocesses on loopback with a private redis-server and the carrier simulator
standing in for Twilio's REST API, so a benchmark compares like with like.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from ivr.config import PROJECT_ROOT
from ivr.redis_server import EmbeddedRedis, free_port
from ivr.sim import Carrier

ACCOUNT_SID = "AC" + "b" * 32
AUTH_TOKEN = "bench-auth-token"
WORKERS = 2
THREADS = 16


def _wait_up(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except Exception:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env


@contextmanager
def product_server(extra_env: dict[str, str] | None = None):
    """Yields (url, carrier, redis_url) of a running `ivr serve` and stops it afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        redis_server = EmbeddedRedis(Path(tmp) / "redis", persist=False).start()
        carrier = Carrier(ACCOUNT_SID, AUTH_TOKEN).start()
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = _env(TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN,
                   TWILIO_API_BASE=carrier.api_base, IVR_PUBLIC_URL=url,
                   REDIS_URL=redis_server.url, IVR_API_TOKEN="bench",
                   IVR_CONFIG=str(PROJECT_ROOT / "examples"), IVR_VAR_DIR=str(Path(tmp) / "var"),
                   IVR_AUDIO_DIR=str(Path(tmp) / "audio"), IVR_VOSK_MODEL=str(Path(tmp) / "none"),
                   **(extra_env or {}))
        proc = subprocess.Popen(
            [sys.executable, "-m", "ivr.cli", "serve", "--port", str(port),
             "--workers", str(WORKERS), "--threads", str(THREADS)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=PROJECT_ROOT)
        try:
            _wait_up(url + "/healthz")
            carrier.connect(app_url=url, public_url=url)
            yield url, carrier, redis_server.url, proc
        finally:
            carrier.stop()  # first, so no agent leg calls back into a stopped app
            proc.terminate()
            proc.wait(10)
            redis_server.stop()


@contextmanager
def floor_server():
    """Yields the URL of the bare signature-checking Flask webhook under the same gunicorn."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = _env(TWILIO_AUTH_TOKEN=AUTH_TOKEN, IVR_PUBLIC_URL=url)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", str(WORKERS),
         "--threads", str(THREADS), "-b", f"127.0.0.1:{port}", "bench.floor_app:app"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=PROJECT_ROOT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url + "/nothing", timeout=1)
            except urllib.error.HTTPError:
                break
            except Exception:
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)
