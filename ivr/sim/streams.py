"""Media Streams started by <Start><Stream> or <Connect><Stream>, handed to a pluggable handler.

The sim does not speak the WebSocket protocol itself: `call.on_stream` (or `carrier.on_stream`)
receives each `Stream` and may open the socket (the SPEECH engineer's `ivr/sim/media_client.py`
does). Without a handler the stream is only recorded in `call.streams`, which is how a test
checks the app asked for one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ivr.sim.ids import new_sid

if TYPE_CHECKING:
    from ivr.sim.call import Call


@dataclass
class Stream:
    """One Media Stream of a call.

    Attributes:
        url: the wss:// URL in the TwiML (public).
        local_url: the ws:// URL that really reaches the app (public base mapped to app_url).
        parameters: the <Parameter name= value=> pairs (sent in the stream's "start" message).
        bidirectional: True for <Connect><Stream> (the call waits until the stream ends).
        stopped: set when <Stop><Stream>, the call ending, or an update ends it.
    """

    call: Call
    url: str
    local_url: str
    name: str | None = None
    track: str = "inbound_track"
    parameters: dict[str, str] = field(default_factory=dict)
    bidirectional: bool = False
    status_callback: str | None = None
    sid: str = field(default_factory=lambda: new_sid("MZ"))
    stopped: threading.Event = field(default_factory=threading.Event)
    on_stop: list[Callable[[Stream], object]] = field(default_factory=list)

    def stop(self) -> None:
        """End the stream (idempotent); runs the `on_stop` callbacks once."""
        if self.stopped.is_set():
            return
        self.stopped.set()
        for callback in list(self.on_stop):
            try:
                callback(self)
            except Exception as exc:  # a handler's bug must not kill the call
                self.call.carrier.note_error(f"stream stop handler failed: {exc}")
        self.call.poke()


#: Hosts a plain ws:// stream may reach: Twilio itself only opens wss://, so this is the
#: simulator's allowance for the app on loopback (tests, `ivr simulate`, the demo).
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def refusal(url: str) -> str | None:
    """Why Twilio would not open a stream to `url`, or None. Twilio opens only wss:// (error
    31922 for ws://) and takes no query string in `<Stream url>`: parameters go in
    `<Parameter>` elements (Media Streams docs, "Stream" noun attributes)."""
    parts = urlsplit(url)
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        return f"stream url {url!r} is not a WebSocket URL"
    if parts.scheme == "ws" and parts.hostname not in LOOPBACK:
        return f"error 31922: stream url {url!r} is ws://; Twilio connects to wss:// only"
    if parts.query:
        return (f"stream url {url!r} has a query string; Twilio passes parameters as "
                "<Parameter> elements")
    return None


def start_stream(call: Call, stream: Stream) -> None:
    """Record `stream` on the call and hand it to the media handler, if any — unless Twilio
    would refuse its URL (`refusal`): then it is a debugger error and no stream, and the call
    goes on, as on Twilio."""
    problem = refusal(stream.url)
    if problem:
        call.carrier.note_error(f"{call.sid}: {problem}")
        stream.stopped.set()
        return
    call.streams.append(stream)
    handler = call.on_stream or call.carrier.on_stream
    if handler is None:
        return
    try:
        handler(stream)
    except Exception as exc:
        call.carrier.note_error(f"media stream handler failed: {type(exc).__name__}: {exc}")


def stop_streams(call: Call, name: str | None = None) -> None:
    """Stop the call's streams named `name` (all when None)."""
    for stream in list(call.streams):
        if name is None or stream.name == name or stream.sid == name:
            stream.stop()
