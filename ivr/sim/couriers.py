"""Asynchronous status callbacks: in order for one resource, in parallel across resources.

Twilio sends status callbacks off the call's path, so a slow app handler never stalls a call.
The sim keeps a few lanes; a resource (call, conference, message) always uses the same lane,
so its callbacks arrive in order (initiated → ringing → answered → completed), while fifty
concurrent calls do not queue behind each other.

Twilio promises neither order nor once-only delivery of status callbacks ("your application
should not rely on the order of status callbacks", and a callback may be retried), so a test can
ask for the worst case (`carrier.faults.duplicate_callbacks()`, `reorder_callbacks()`):
`duplicate` delivers every callback twice, each time as a fresh request (a new
I-Twilio-Idempotency-Token, as a separate retry of the event would be); `reorder` holds the
callbacks about one resource until none has come for `hold_s` (default `HOLD_S`), then
delivers them newest first (so "completed" overtakes "in-progress", a caller's
"participant-leave" the agent's "participant-join" before it).
"""

from __future__ import annotations

import queue
import threading
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ivr.sim.wait import wait_for

Send = Callable[[str, dict[str, str], str], None]
#: Lanes of delivery (parallel callbacks across resources).
LANES = 4
#: How long a reordered callback waits for a later one to overtake it.
HOLD_S = 0.3

Job = tuple[str, str, dict[str, str], str]


@dataclass
class CallbackFaults:
    """How status callbacks misbehave right now (`carrier.faults` sets them)."""

    #: Deliver every callback twice (see the module docstring).
    duplicate: bool = False
    #: Hold a resource's callbacks until it is quiet for `hold_s`, then deliver newest first.
    reorder: bool = False
    #: How long a reordered callback waits for a later one to overtake it.
    hold_s: float = HOLD_S
    #: Resources (SIDs) whose callbacks wait until the test releases them: a carrier that
    #: delivers another resource's callbacks long before these.
    parked: set[str] = field(default_factory=set)


class Couriers:
    """Deliver `(url, params, method)` jobs with `send`, ordered per key."""

    def __init__(self, send: Send, lanes: int = LANES,
                 faults: CallbackFaults | None = None) -> None:
        self._send = send
        self.faults = faults or CallbackFaults()
        self._held: dict[str, tuple[list[Job], threading.Timer | None]] = {}
        self._parked: list[Job] = []
        self._queues: list[queue.Queue[Job | None]] = [
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
        """Deliver what is queued (held callbacks too), then stop the lanes."""
        with self._lock:
            held = list(self._held)
        self.release_parked()
        for key in held:
            self._release(key)
        for lane in self._queues:
            lane.put(None)
        for thread in self._threads:
            thread.join(timeout=timeout)
        self._threads = []

    def post(self, key: str, url: str, params: dict[str, str], method: str) -> None:
        copies = 2 if self.faults.duplicate else 1
        with self._lock:
            self._pending[key] += copies
            self._pending[""] += copies
        job: Job = (key, url, params, method)
        with self._lock:
            if key in self.faults.parked:
                self._parked.append(job)
                return
        self._dispatch(job)

    def release_parked(self) -> None:
        """Deliver the parked resources' callbacks now (in the order they came, or held and
        reordered as the other faults say), and park no more."""
        with self._lock:
            parked, self._parked = self._parked, []
            self.faults.parked.clear()
        for job in parked:
            self._dispatch(job)

    def _dispatch(self, job: Job) -> None:
        """Send `job` (twice when duplicating), or hold it to be overtaken when reordering."""
        key = job[0]
        copies = 2 if self.faults.duplicate else 1
        if not self.faults.reorder:
            self._enqueue([job] * copies)
            return
        with self._lock:
            jobs, timer = self._held.pop(key, ([], None))
            if timer is not None:
                timer.cancel()
            timer = threading.Timer(self.faults.hold_s, self._release, args=(key,))
            timer.daemon = True
            self._held[key] = ([*jobs, job], timer)
            timer.start()

    def _release(self, key: str) -> None:
        """Nothing more came about `key` for a while: deliver what was held, newest first."""
        with self._lock:
            jobs, _timer = self._held.pop(key, ([], None))
        copies = 2 if self.faults.duplicate else 1
        self._enqueue([job for job in reversed(jobs) for _ in range(copies)])

    def _enqueue(self, jobs: list[Job]) -> None:
        for job in jobs:
            self._queues[zlib.crc32(job[0].encode()) % len(self._queues)].put(job)

    def drain(self, key: str = "", timeout: float = 20.0) -> None:
        """Wait until the callbacks queued for `key` (all, when "") have been delivered."""
        if not self._threads:
            return
        wait_for(lambda: self._pending[key] <= 0, timeout,
                 f"status callbacks{' for ' + key if key else ''}")

    def _work(self, lane: queue.Queue[Job | None]) -> None:
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
