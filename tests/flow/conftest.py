"""Fixtures for the pure flow core: talk to a shipped business's flow without any I/O.

`chat("Polar Bear HVAC", channel="sms")` builds the same Context the service builds (business
hours, the customer's orders, the state their number is from) and steps the real engine.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from flowchat import CALLER, TUESDAY_MORNING, Chat

from ivr.config.business import Business
from ivr.config.directory import Directory, load_directory
from ivr.config.settings import PROJECT_ROOT
from ivr.conversation.service import build_context, flow_for
from ivr.flow.state import State


@pytest.fixture(scope="session")
def directory() -> Directory:
    return load_directory(PROJECT_ROOT / "examples")


@pytest.fixture
def business(directory: Directory) -> Callable[[str], Business]:
    def find(name: str) -> Business:
        return next(b for b in directory if b.name == name)

    return find


@pytest.fixture
def chat(business: Callable[[str], Business]) -> Callable[..., Chat]:
    """Start a conversation: chat(name, channel="sms", phone=CALLER, at=TUESDAY_MORNING)."""

    def start(name: str, channel: str = "sms", phone: str = CALLER,
              at: datetime = TUESDAY_MORNING) -> Chat:
        found = business(name)
        flow = flow_for(found)
        return Chat(flow, build_context(found, channel, phone, at, flow), State(flow=flow.name))

    return start


@pytest.fixture
def hvac(chat: Callable[..., Chat]) -> Callable[..., Chat]:
    return lambda **kw: chat("Polar Bear HVAC", **kw)


@pytest.fixture
def law(chat: Callable[..., Chat]) -> Callable[..., Chat]:
    return lambda **kw: chat("Hartley Family Law", **kw)


@pytest.fixture
def shop(chat: Callable[..., Chat]) -> Callable[..., Chat]:
    return lambda **kw: chat("Fernhill Goods", **kw)
