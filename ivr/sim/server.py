"""A real threaded HTTP server on loopback for a WSGI app (the app under test, or the sim's REST).

Werkzeug's `make_server(..., threaded=True)` runs each request on its own daemon thread and
passes the raw socket through (`werkzeug.socket`), which is what flask-sock needs for the
/voice/stream WebSocket. The server runs in a daemon thread and stops with `.stop()`.
"""

from __future__ import annotations

import threading
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


class QuietHandler(WSGIRequestHandler):
    """Does not print a line per request (the sim keeps its own exchange log)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:  # noqa: ARG002
        return


class LiveServer:
    """Serve `app` on 127.0.0.1 at a free port until `.stop()`.

    Attributes:
        url: "http://127.0.0.1:<port>", no trailing slash.
    """

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server: BaseWSGIServer = make_server(host, port, app, threaded=True,
                                                   request_handler=QuietHandler)
        self.host = host
        self.port = self._server.server_port
        self.url = f"http://{host}:{self.port}"
        self._thread: threading.Thread | None = None

    def start(self) -> LiveServer:
        if self._thread is None:
            self._thread = threading.Thread(target=self._server.serve_forever,
                                            kwargs={"poll_interval": 0.05},
                                            name=f"live-server-{self.port}", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
