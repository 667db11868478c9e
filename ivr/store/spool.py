"""A durable on-disk spool for inbound texts that arrive while Redis is down.

Nothing is lost: each webhook is appended (and fsynced) as one JSON line; when Redis answers
again the spool is replayed into the normal handling and emptied. An exclusive file lock keeps
several threads or processes of one node from replaying the same line twice.

The spool is on disk, so a text's words are masked before they are written (card numbers and
SSNs, as in the records: `ivr.flow.redact`), and the spool, its lock and its temporary file are
created 0600 in a 0700 folder (`ivr.store.private`): they hold phone numbers and customers' words.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ivr.flow.redact import redact
from ivr.store.private import open_private, private_dir

#: Fields of an item that carry a person's own words (the rest are numbers and SIDs, which the
#: replay needs exactly as Twilio sent them).
WORD_FIELDS = ("Body",)


def masked(item: dict[str, Any]) -> dict[str, Any]:
    """`item` with its word fields' card numbers and SSNs masked."""
    return {k: redact(v) if k in WORD_FIELDS and isinstance(v, str) else v
            for k, v in item.items()}


class Spool:
    """An append-only JSON-lines file with locked replay."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextmanager
    def _locked(self):
        private_dir(self.path.parent)
        with open_private(self.path.with_suffix(".lock"), "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def append(self, item: dict[str, Any]) -> None:
        """Write one item durably (its words masked) before the webhook is answered."""
        line = json.dumps(masked(item), separators=(",", ":")) + "\n"
        with self._locked(), open_private(self.path, "a", encoding="utf-8") as handle:
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
            with open_private(tmp, "w", encoding="utf-8") as handle:
                handle.write("".join(f"{line}\n" for line in kept))
            os.replace(tmp, self.path)
            return done
