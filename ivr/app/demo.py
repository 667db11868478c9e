"""`ivr demo` (and `make demo`): the whole product on loopback with the carrier simulator.

Starts a private redis-server under var/, the carrier simulator (Twilio's part: REST API and
signed webhooks), the web app on a real loopback server, and an `ivr worker` process, loaded
with the shipped example businesses; then seats the user on the terminal as a caller, a texter
or the on-call person. Logs go to var/demo.log so the conversation stays readable.

The demo's businesses hear callers by Twilio's recogniser (`speech: twilio`): a terminal has
typed words, no audio for a Media Stream, and the simulated Twilio posts typed words as
SpeechResult exactly where the real one would, at a Gather that takes speech.
"""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from ivr.app.wiring import build_runtime
from ivr.config.directory import Directory
from ivr.config.settings import Settings
from ivr.sim import Carrier, LiveServer
from ivr.sim.terminal import DemoSession
from ivr.store.embedded import ensure_redis
from ivr.store.private import open_private
from ivr.store.redis_server import free_port
from ivr.twilio import urls
from ivr.web import create_app

log = logging.getLogger("ivr.app.demo")


@contextmanager
def demo_stack(settings: Settings | None = None, worker: bool = True):
    """Everything the demo runs, torn down on exit. Yields (settings, carrier, server)."""
    settings = settings or Settings.from_env(demo=True)
    settings = settings.with_(
        demo=True,
        account_sid=settings.account_sid or "AC" + secrets.token_hex(16),
        auth_token=settings.auth_token or secrets.token_hex(16),
        api_token=settings.api_token or "demo",
    )
    settings = ensure_redis(settings)
    carrier = Carrier(settings.account_sid, settings.auth_token, pause_scale=0.2,
                      timeout_scale=1.0).start()
    port = free_port()
    public_url = f"http://127.0.0.1:{port}"
    settings = settings.with_(api_base=carrier.api_base, public_url=public_url)
    runtime = build_runtime(settings)
    runtime.directory = heard_by_twilio(runtime.directory)
    app = create_app(runtime)
    server = LiveServer(app, port=port).start()
    carrier.connect(app_url=server.url, public_url=public_url,  # as docs/deployment.md sets a number
                    voice_fallback=urls.VOICE_FALLBACK, sms_fallback=urls.SMS_FALLBACK)
    worker_proc = None
    if worker:
        env = dict(os.environ, TWILIO_ACCOUNT_SID=settings.account_sid,
                   TWILIO_AUTH_TOKEN=settings.auth_token, TWILIO_API_BASE=settings.api_base,
                   IVR_PUBLIC_URL=public_url, REDIS_URL=settings.redis_url,
                   IVR_CONFIG=str(settings.config_path), IVR_API_TOKEN=settings.api_token,
                   IVR_VAR_DIR=str(settings.var_dir), IVR_AUDIO_DIR=str(settings.audio_dir))
        worker_log = open_private(settings.var_dir / "worker.log", "ab")  # noqa: SIM115 - lives with the proc
        worker_proc = subprocess.Popen([sys.executable, "-m", "ivr.app.cli", "worker"], env=env,
                                       stdout=worker_log, stderr=subprocess.STDOUT)
    try:
        yield settings, carrier, server
    finally:
        if worker_proc is not None:
            worker_proc.terminate()
            try:
                worker_proc.wait(10)
            except subprocess.TimeoutExpired:
                worker_proc.kill()
        carrier.stop()
        server.stop()


def heard_by_twilio(directory: Directory) -> Directory:
    """The demo's businesses with `speech: twilio`, so words typed at the terminal reach them
    the way a real caller's words reach a business that lets Twilio listen."""
    return Directory([replace(business, speech="twilio") for business in directory])


def run_demo(script: Path | None = None) -> None:
    """Start the stack and hand the terminal to the simulator's session."""
    settings = Settings.from_env(demo=True)
    open_private(settings.var_dir / "demo.log", "a").close()  # logs name callers: ours only
    logging.basicConfig(filename=settings.var_dir / "demo.log", level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    with demo_stack(settings) as (settings, carrier, server):
        print(f"ivr demo: web app at {settings.public_url}  (dashboard: "
              f"{settings.public_url}/dashboard, token '{settings.api_token}')")
        lines = script.read_text(encoding="utf-8").splitlines() if script else None
        DemoSession(settings, carrier, lines=lines).run()
