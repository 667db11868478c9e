"""The simulator's side of Media Streams: a caller's voice, streamed to the app like Twilio does.

When a call's TwiML starts a `<Stream>`, the sim hands the stream to a handler (`call.on_stream`
or `carrier.on_stream`). `MediaStreams` is such a handler: it opens a WebSocket to the app
(X-Twilio-Signature over the public wss:// URL on the upgrade), sends `connected` and `start`
(with the <Parameter>s), then 20 ms mu-law `media` frames — silence between utterances, as a
real line does, paced in real time (or faster with `pace`, or unpaced with `pace=0`) — and
`stop` when the call's stream ends. A test speaks through the `MediaClient`:

    ears = MediaStreams()
    call = carrier.phone("+15125550199").call("+15125550200", on_stream=ears)
    ears.wait().speak_text("보일러가 고장났어요", voice="ko")
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import websocket

from ivr.sim.ids import new_sid
from ivr.speech.audio import FRAME_MS, frames, read_wav, silence, silence_frame, to_phone_ulaw
from ivr.speech.tts import synthesize_ulaw
from ivr.twilio.media import (
    Dtmf,
    Media,
    Start,
    Stop,
    connected_message,
    dtmf_message,
    inbound_media_message,
    start_message,
    stop_message,
)
from ivr.twilio.signature import sign

#: Quiet sent after each utterance so the app's endpointer hears the caller stop.
TAIL_MS = 700


class MediaStreamRejected(ConnectionError):
    """The app refused the WebSocket upgrade (e.g. 403 for a bad signature)."""

    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(f"media stream rejected: HTTP {status} {message}".strip())
        self.status = status


class MediaClient:
    """One Media Stream to the app, speaking for the caller.

    Args:
        url: the public ws(s):// URL from the TwiML (what is signed).
        local_url: where the app really listens (the sim maps public → local).
        auth_token: the account's token (the signature's key); "" sends no signature.
        call_sid, account_sid, parameters, track: what the `start` message carries.
        pace: 1.0 = real time, 2.0 = twice as fast, 0 = as fast as the socket takes frames.
        keep_alive: with pace > 0, stream silence while nothing is being said (like Twilio).
    """

    def __init__(self, url: str, local_url: str, auth_token: str, *, call_sid: str,
                 account_sid: str = "", parameters: Mapping[str, str] | None = None,
                 track: str = "inbound", stream_sid: str | None = None, pace: float = 1.0,
                 keep_alive: bool = True, timeout: float = 10.0) -> None:
        self.url = url
        self.local_url = local_url
        self.auth_token = auth_token
        self.call_sid = call_sid
        self.account_sid = account_sid
        self.parameters = dict(parameters or {})
        self.track = track.removesuffix("_track") if track != "both_tracks" else "inbound"
        self.stream_sid = stream_sid or new_sid("MZ")
        self.pace = pace
        self.keep_alive = keep_alive and pace > 0
        self.timeout = timeout
        self.received: list[str] = []
        self.closed = threading.Event()
        self._stopping = threading.Event()
        self.frames_sent = 0
        self._ws: websocket.WebSocket | None = None
        self._send_lock = threading.Lock()
        self._queue: deque[bytes] = deque()
        self._cv = threading.Condition()
        self._sequence = 0
        self._threads: list[threading.Thread] = []

    @classmethod
    def for_stream(cls, stream: Any, **options: Any) -> MediaClient:
        """A client for a sim `Stream` (see ivr.sim.streams)."""
        call = stream.call
        return cls(stream.url, stream.local_url, call.carrier.auth_token, call_sid=call.sid,
                   account_sid=call.carrier.account_sid, parameters=stream.parameters,
                   track=stream.track, stream_sid=stream.sid, **options)

    # -- lifecycle ----------------------------------------------------------------------------
    def open(self) -> MediaClient:
        """Connect (signed upgrade), send `connected` and `start`, begin pacing frames."""
        headers = {}
        if self.auth_token:
            headers["X-Twilio-Signature"] = sign(self.auth_token, self.url, {})
        try:
            self._ws = websocket.create_connection(self.local_url, header=headers,
                                                   timeout=self.timeout)
        except websocket.WebSocketBadStatusException as exc:
            raise MediaStreamRejected(exc.status_code, str(exc)) from None
        self._send(connected_message())
        self._sequence = 1
        self._send(start_message(Start(
            stream_sid=self.stream_sid, call_sid=self.call_sid, account_sid=self.account_sid,
            tracks=(self.track,), custom_parameters=self.parameters, sequence_number=1)))
        self._spawn(self._read, "reader")
        if self.pace > 0:
            self._spawn(self._pacer, "pacer")
        return self

    def close(self) -> None:
        """Send what is queued, then `stop`, and close the socket (idempotent)."""
        if self._ws is None or self._stopping.is_set():
            self.closed.set()
            return
        with contextlib.suppress(TimeoutError):
            self.wait_sent(timeout=self.timeout)
        self._stopping.set()
        with self._cv:
            self._cv.notify_all()
        self._join("pacer")
        with contextlib.suppress(OSError, RuntimeError, websocket.WebSocketException):
            self._send_numbered(lambda n: stop_message(Stop(
                stream_sid=self.stream_sid, call_sid=self.call_sid,
                account_sid=self.account_sid, sequence_number=n)))
        self._join("reader", timeout=1.0)  # the app closes its side after `stop`
        try:
            self._ws.abort()  # wakes the reader if the app did not
            self._ws.close(timeout=0.5)
        except (OSError, websocket.WebSocketException):
            pass
        finally:
            self._ws.shutdown()
        self.closed.set()
        self._join("reader")

    def _join(self, name: str, timeout: float = 2.0) -> None:
        for thread in self._threads:
            if thread.name.endswith(name) and thread is not threading.current_thread():
                thread.join(timeout=timeout)

    def __enter__(self) -> MediaClient:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- speaking -----------------------------------------------------------------------------
    def speak_ulaw(self, ulaw: bytes, tail_ms: int = TAIL_MS, wait: bool = True) -> None:
        """Say 8 kHz mu-law audio, then `tail_ms` of quiet; by default return once it is sent."""
        chunk = frames(ulaw + silence(tail_ms))
        if self.pace <= 0:
            for frame in chunk:
                self._send_frame(frame)
            return
        with self._cv:
            self._queue.extend(chunk)
            self._cv.notify_all()
        if wait:
            self.wait_sent(timeout=self.timeout + len(chunk) * FRAME_MS / 1000 / self.pace)

    def speak_wav(self, path: Path, tail_ms: int = TAIL_MS, wait: bool = True) -> None:
        """Say a WAV file (any rate; converted to the phone line's 8 kHz mu-law)."""
        samples, rate = read_wav(path)
        self.speak_ulaw(to_phone_ulaw(samples, rate), tail_ms, wait)

    def speak_text(self, text: str, voice: str = "ko", tail_ms: int = TAIL_MS,
                   wait: bool = True) -> None:
        """Say `text` in an espeak-ng voice ("ko" matches the Korean test model)."""
        self.speak_ulaw(synthesize_ulaw(text, voice), tail_ms, wait)

    def silence(self, ms: int, wait: bool = True) -> None:
        """Stay quiet for `ms` (sent as silence frames)."""
        self.speak_ulaw(b"", tail_ms=ms, wait=wait)

    def dtmf(self, digit: str) -> None:
        """A keypad tone as Twilio reports it on bidirectional streams."""
        self._send_numbered(lambda n: dtmf_message(Dtmf(
            stream_sid=self.stream_sid, digit=digit, sequence_number=n)))

    def send_raw(self, text: str) -> None:
        """Send any text message as is (for testing how the app takes malformed input)."""
        self._send(text)

    def wait_sent(self, timeout: float = 10.0) -> None:
        """Block until every queued frame has gone out."""
        deadline = time.monotonic() + timeout
        with self._cv:
            while self._queue and not self.closed.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("media frames not sent in time")
                self._cv.wait(min(left, 0.05))

    # -- internals ----------------------------------------------------------------------------
    def _spawn(self, target: Any, name: str) -> None:
        thread = threading.Thread(target=target, name=f"sim-media-{name}", daemon=True)
        self._threads.append(thread)
        thread.start()

    def _send(self, text: str) -> None:
        if self._ws is None:
            raise RuntimeError("media stream not open")
        with self._send_lock:
            self._ws.send(text)

    def _send_numbered(self, build: Any) -> None:
        """Send `build(sequence_number)`, numbering messages in the order they go out."""
        if self._ws is None:
            raise RuntimeError("media stream not open")
        with self._send_lock:
            self._sequence += 1
            self._ws.send(build(self._sequence))

    def _send_frame(self, frame: bytes) -> None:
        self.frames_sent += 1
        chunk = self.frames_sent
        self._send_numbered(lambda n: inbound_media_message(Media(
            stream_sid=self.stream_sid, payload=frame, track=self.track, chunk=chunk,
            timestamp=(chunk - 1) * FRAME_MS, sequence_number=n)))

    def _pacer(self) -> None:
        """Send one frame per 20 ms / pace: queued speech, else silence (keep-alive)."""
        period = FRAME_MS / 1000 / self.pace
        due = time.monotonic()
        quiet = silence_frame()
        while not self._stopping.is_set() and not self.closed.is_set():
            with self._cv:
                if not self._queue and not self.keep_alive:
                    self._cv.wait(0.1)
                    due = time.monotonic()
                    continue
                frame = self._queue.popleft() if self._queue else quiet
                self._cv.notify_all()
            try:
                self._send_frame(frame)
            except (OSError, websocket.WebSocketException):
                self.closed.set()
                break
            due += period
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif delay < -0.2:  # fell far behind (a busy machine): don't burst to catch up
                due = time.monotonic()

    def _read(self) -> None:
        ws = self._ws
        assert ws is not None
        ws.settimeout(None)
        while True:
            try:
                message = ws.recv()
            except (OSError, AttributeError, websocket.WebSocketException):
                break  # closed (AttributeError: the socket was shut down under us)
            if not message:
                break
            self.received.append(message if isinstance(message, str) else message.decode())
        self.closed.set()
        with self._cv:
            self._cv.notify_all()


class MediaStreams:
    """A sim stream handler (`call.on_stream` / `carrier.on_stream`) that opens a `MediaClient`
    per stream and closes it when the call's stream ends.

    Args:
        options: passed to `MediaClient` (pace, keep_alive, timeout).
    """

    def __init__(self, **options: Any) -> None:
        self.options = options
        self.clients: list[MediaClient] = []
        self.errors: list[str] = []
        self._cv = threading.Condition()

    def __call__(self, stream: Any) -> None:
        client = MediaClient.for_stream(stream, **self.options)
        stream.on_stop.append(lambda _stream: client.close())

        def connect() -> None:
            try:
                client.open()
            except (OSError, MediaStreamRejected, websocket.WebSocketException) as exc:
                self.errors.append(str(exc))
                client.closed.set()
            with self._cv:
                self.clients.append(client)
                self._cv.notify_all()
            if stream.stopped.is_set():
                client.close()

        threading.Thread(target=connect, name="sim-media-connect", daemon=True).start()

    def wait(self, timeout: float = 10.0, index: int = -1) -> MediaClient:
        """The newest (or `index`th) client once its stream has opened."""
        deadline = time.monotonic() + timeout
        with self._cv:
            while not self.clients or (index >= 0 and len(self.clients) <= index):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no media stream opened")
                self._cv.wait(left)
            return self.clients[index]
