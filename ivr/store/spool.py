"""A durable on-disk spool for inbound texts that arrive while Redis is down.

Nothing is lost: each webhook is appended (and fsynced) as one JSON line; when Redis answers
again the spool is replayed into the normal handling and emptied. An exclusive file lock keeps
several threads or processes of one node from replaying the same line twice.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class Spool:
    """An append-only JSON-lines file with locked replay."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextmanager
    def _locked(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def append(self, item: dict[str, Any]) -> None:
        """Write one item durably before the webhook is answered."""
        line = json.dumps(item, separators=(",", ":")) + "\n"
        with self._locked(), open(self.path, "a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())

    def pending(self) -> int:
        if not self.path.exists():
            return 0
        with open(self.path, encoding="utf-8") as handle:
            return sum(1 for line in handle if line.strip())

    def replay(self, handle_item: Callable[[dict[str, Any]], None]) -> int:
        """Hand each spooled item to `handle_item`; items it fails on stay for the next replay.

        Returns:
            How many items were replayed successfully.
        """
        with self._locked():
            if not self.path.exists():
                return 0
            lines = [line for line in self.path.read_text(encoding="utf-8").splitlines() if line]
            kept: list[str] = []
            done = 0
            for i, line in enumerate(lines):
                try:
                    handle_item(json.loads(line))
                    done += 1
                except json.JSONDecodeError:
                    continue  # a torn line from a crash mid-write: nothing to recover
                except Exception:
                    kept.extend(lines[i:])
                    break
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text("".join(f"{line}\n" for line in kept), encoding="utf-8")
            os.replace(tmp, self.path)
            return done
