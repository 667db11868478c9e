"""Asynchronous status callbacks: in order for one resource, in parallel across resources.

Twilio sends status callbacks off the call's path, so a slow app handler never stalls a call.
The sim keeps a few lanes; a resource (call, conference, message) always uses the same lane,
so its callbacks arrive in order (initiated → ringing → answered → completed), while fifty
concurrent calls do not queue behind each other.
"""

from __future__ import annotations

import queue
import threading
import zlib
from collections import Counter
from collections.abc import Callable

from ivr.sim.wait import wait_for

Send = Callable[[str, dict[str, str], str], None]
#: Lanes of delivery (parallel callbacks across resources).
LANES = 4


class Couriers:
    """Deliver `(url, params, method)` jobs with `send`, ordered per key."""

    def __init__(self, send: Send, lanes: int = LANES) -> None:
        self._send = send
        self._queues: list[queue.Queue[tuple[str, str, dict[str, str], str] | None]] = [
            queue.Queue() for _ in range(lanes)]
        self._threads: list[threading.Thread] = []
        self._pending: Counter[str] = Counter()
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return bool(self._threads)

    def start(self) -> None:
        if self._threads:
            return
        for i, lane in enumerate(self._queues):
            thread = threading.Thread(target=self._work, args=(lane,), daemon=True,
                                      name=f"sim-callbacks-{i}")
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 10.0) -> None:
        """Deliver what is queued, then stop the lanes."""
        for lane in self._queues:
            lane.put(None)
        for thread in self._threads:
            thread.join(timeout=timeout)
        self._threads = []

    def post(self, key: str, url: str, params: dict[str, str], method: str) -> None:
        with self._lock:
            self._pending[key] += 1
            self._pending[""] += 1
        lane = self._queues[zlib.crc32(key.encode()) % len(self._queues)]
        lane.put((key, url, params, method))

    def drain(self, key: str = "", timeout: float = 20.0) -> None:
        """Wait until the callbacks queued for `key` (all, when "") have been delivered."""
        if not self._threads:
            return
        wait_for(lambda: self._pending[key] <= 0, timeout,
                 f"status callbacks{' for ' + key if key else ''}")

    def _work(self, lane: queue.Queue[tuple[str, str, dict[str, str], str] | None]) -> None:
        while True:
            item = lane.get()
            if item is None:
                return
            key, url, params, method = item
            try:
                self._send(url, params, method)
            finally:
                with self._lock:
                    self._pending[key] -= 1
                    self._pending[""] -= 1
