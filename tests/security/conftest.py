"""Fixtures for the attacker tests: a client that comes from a given address."""

from __future__ import annotations

from collections.abc import Callable

import pytest


@pytest.fixture
def from_address(app) -> Callable[[str], object]:
    """`from_address("203.0.113.9")`: a test client whose requests come from that peer."""

    def make(address: str):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        return client

    return make
