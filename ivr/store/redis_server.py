"""A private `redis-server` under `var/`: the embedded default when REDIS_URL is unset.

Tests, `make demo` and a single-box install all use this; production points REDIS_URL at a
managed or clustered Redis instead.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis

from ivr.store.private import private_dir


class RedisServerError(RuntimeError):
    """redis-server is missing or would not start."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody is listening on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class EmbeddedRedis:
    """Starts and stops one `redis-server` process bound to loopback.

    Args:
        directory: where its AOF, log and pid live.
        port: TCP port; a free one is chosen when 0.
        persist: keep an append-only file so a restart loses nothing.
    """

    def __init__(self, directory: Path, port: int = 0, persist: bool = True) -> None:
        self.directory = Path(directory)
        self.port = port or free_port()
        self.persist = persist
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> EmbeddedRedis:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RedisServerError(
                "redis-server is not installed: run `sudo apt-get install redis-server`, "
                "or set REDIS_URL to a Redis you already run"
            )
        private_dir(self.directory)  # its data files hold every record: ours only
        args = [
            binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
            "--dir", str(self.directory), "--logfile", str(self.directory / "redis.log"),
            "--appendonly", "yes" if self.persist else "no", "--protected-mode", "yes",
        ]
        # Its own session: Ctrl-C at the terminal signals `ivr serve`/`ivr worker`, which then
        # shut down cleanly while Redis still answers; `stop()` (atexit) ends it afterwards.
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RedisServerError(f"redis-server exited early; see {self.directory / 'redis.log'}")
            try:
                client.ping()
                client.close()
                return self
            except redis.ConnectionError:
                time.sleep(0.02)
        self.stop()
        raise RedisServerError(f"redis-server did not answer on port {self.port} within {timeout}s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        """SIGKILL it, as a crash would (fault tests)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> EmbeddedRedis:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
