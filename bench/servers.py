"""Start the product (`ivr serve`) and the floor app under the same gunicorn settings.

Both run as subprocesses on loopback with a private redis-server and the carrier simulator
standing in for Twilio's REST API, so a benchmark compares like with like.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis
from rq import Queue

from ivr.config.settings import PROJECT_ROOT
from ivr.jobs.queues import QUEUE_NAMES
from ivr.sim import Carrier
from ivr.store.redis_server import EmbeddedRedis, free_port

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


#: The hours every benchmark's business keeps: open all week, so a run at 3 AM meets the same
#: mix as one at noon (transfers that ring staff, callbacks texted to them at once), the
#: heavier of the two; closed-hours turns are timed in bench.flow_core.
ALWAYS_OPEN = 'hours: {mon-sun: "00:00-24:00"}'


def examples_open_all_week(into: Path, root: Path = PROJECT_ROOT,
                           hours: str = ALWAYS_OPEN) -> Path:
    """A copy of `root`'s examples/ whose businesses are open around the clock (they keep no
    holidays), so what a run measures does not hang on the hour it runs; or keep `hours`."""
    config = into / "config"
    shutil.copytree(root / "examples", config)
    for file in config.glob("*.yaml"):
        text = file.read_text(encoding="utf-8")
        if not re.search(r"(?m)^hours:", text):
            continue  # a flow, not a business
        file.write_text(re.sub(r"(?m)^hours:.*$", hours, text), encoding="utf-8")
    return config


@dataclass(frozen=True)
class Product:
    """A running `ivr serve` and what it runs against."""

    url: str
    carrier: Carrier
    redis_url: str
    redis_pid: int
    proc: subprocess.Popen
    worker: subprocess.Popen | None = None
    env: dict[str, str] | None = None  # what `ivr serve` runs with (a worker needs the same)

    @property
    def web_pids(self) -> list[int]:
        """`ivr serve`: the gunicorn master, its workers and their children (the TTS process)."""
        return process_tree(self.proc.pid)


@contextmanager
def product_server(extra_env: dict[str, str] | None = None, worker: bool = False,
                   log: Path | None = None, workers: int = WORKERS, threads: int = THREADS,
                   root: Path = PROJECT_ROOT, python: str = sys.executable,
                   hours: str = ALWAYS_OPEN):
    """Yields a `Product` (url, carrier, redis_url, redis_pid, proc) of a running `ivr serve`
    (and, with `worker`, an `ivr worker` beside it) and stops everything afterwards.
    The servers' output goes to `log` when given (else nowhere). `root` and `python` pick the
    build that serves: a checkout (its ivr/ and examples/) and the interpreter that runs it
    (bench.ab compares two); `hours` the business's `hours:` line."""
    with tempfile.TemporaryDirectory() as tmp:
        redis_server = EmbeddedRedis(Path(tmp) / "redis", persist=False).start()
        carrier = Carrier(ACCOUNT_SID, AUTH_TOKEN).start()
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = _env(TWILIO_ACCOUNT_SID=ACCOUNT_SID, TWILIO_AUTH_TOKEN=AUTH_TOKEN,
                   TWILIO_API_BASE=carrier.api_base, IVR_PUBLIC_URL=url,
                   REDIS_URL=redis_server.url, IVR_API_TOKEN="bench",
                   IVR_CONFIG=str(examples_open_all_week(Path(tmp), root, hours)),
                   IVR_VAR_DIR=str(Path(tmp) / "var"),
                   IVR_AUDIO_DIR=str(Path(tmp) / "audio"), IVR_VOSK_MODEL=str(Path(tmp) / "none"))
        env.update(extra_env or {})
        out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
        proc = subprocess.Popen(
            [python, "-m", "ivr.app.cli", "serve", "--port", str(port),
             "--workers", str(workers), "--threads", str(threads)],
            env=env, stdout=out, stderr=out, cwd=root)  # ivr is imported from `root`
        jobs = subprocess.Popen(
            [python, "-m", "ivr.app.cli", "worker"], env=env, stdout=out, stderr=out,
            cwd=root) if worker else None
        try:
            _wait_up(url + "/healthz")
            carrier.connect(app_url=url, public_url=url)
            yield Product(url, carrier, redis_server.url, redis_server.process.pid, proc, jobs,
                          env)
        finally:
            carrier.stop()  # first, so no agent leg calls back into a stopped app
            for running in (proc, jobs):
                if running is not None:
                    stop(running)
            redis_server.stop()
            if log:
                out.close()  # type: ignore[union-attr]


def stop(proc: subprocess.Popen) -> None:
    """Terminate (gunicorn drains open WebSockets for up to its graceful timeout), then kill."""
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@contextmanager
def floor_server(workers: int = WORKERS, threads: int = THREADS):
    """Yields (url, pid, redis_pid) of the stateful floor (`bench.floor_app`: signature, claim,
    conversation read and write) under the same gunicorn settings as `ivr serve`, access log
    to stdout included (both go nowhere here), with a redis-server of its own so each side's
    Redis CPU is counted apart."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        redis_server = EmbeddedRedis(Path(tmp) / "redis", persist=False).start()
        env = _env(TWILIO_AUTH_TOKEN=AUTH_TOKEN, IVR_PUBLIC_URL=url, REDIS_URL=redis_server.url)
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", str(workers),
             "--threads", str(threads), "-b", f"127.0.0.1:{port}",
             "--access-logfile", "-", "bench.floor_app:app"],
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
            yield url, proc.pid, redis_server.process.pid
        finally:
            stop(proc)
            redis_server.stop()


# -- what the server processes use (from /proc) ------------------------------------------------
_TICK = os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (gunicorn master, workers, the TTS child, ...)."""
    found = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return found
    for child in children:
        found += process_tree(int(child))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes have used so far, with their reaped children's
    (the rq worker forks a work-horse per job; gone processes count 0, their parent's
    children-time then holds them)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(value) for value in fields[11:15]) / _TICK
    return total


class CpuMeter:
    """CPU seconds a changing set of processes uses between `start` and `stop`.

    The set is listed again at each end (`pids` is called), so a process started meanwhile (a
    render process, a work-horse) counts from zero, and one that exited counts through the
    parent that reaped it."""

    def __init__(self, pids: Callable[[], list[int]]) -> None:
        self.pids = pids
        self._before: dict[int, float] = {}

    def start(self) -> None:
        self._before = {pid: cpu_seconds([pid]) for pid in self.pids()}

    def stop(self) -> float:
        return sum(cpu_seconds([pid]) - self._before.get(pid, 0.0) for pid in self.pids())


def queued_jobs(conn: redis.Redis) -> int:
    """Jobs waiting in every ivr queue (not those scheduled for later)."""
    return sum(Queue(name, connection=conn).count for name in QUEUE_NAMES)


def rss_bytes(pids: list[int]) -> int:
    """Resident memory of the processes, summed."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total
