"""Helpers for testing the carrier simulator against tiny Flask apps written in the tests.

`serve(app)` puts a test app on a live loopback server and connects the carrier to it, with
webhooks signed for PUBLIC_URL as they are for the product.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from sim_tiny import PUBLIC_URL

from ivr.sim import Carrier, LiveServer


@pytest.fixture
def serve(carrier: Carrier) -> Iterator[Callable[[Flask], LiveServer]]:
    servers: list[LiveServer] = []

    def run(app: Flask) -> LiveServer:
        server = LiveServer(app).start()
        servers.append(server)
        carrier.connect(server.url, PUBLIC_URL)
        return server

    yield run
    carrier.stop()
    for server in servers:
        server.stop()
