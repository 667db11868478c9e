"""The runtime wired: its conversation service built once with the default effects.

`ivr.runtime.Runtime` sits below the conversation layer, so it cannot build the service that
uses it; this module, the only one that sees both, does. `ivr serve`, `ivr demo`, `ivr worker`
and the tests' fixtures take their runtime from here.
"""

from __future__ import annotations

import redis

from ivr.app.effects import default_effects
from ivr.config.settings import Settings
from ivr.conversation.service import Conversations
from ivr.runtime import Clock, Runtime


def wire(runtime: Runtime) -> Runtime:
    """`runtime` with its conversation service (the default effects), ready to serve."""
    return runtime.wire(Conversations(runtime, default_effects()))


def build_runtime(settings: Settings, connection: redis.Redis | None = None,
                  clock: Clock | None = None) -> Runtime:
    """`Runtime.build`, wired."""
    return wire(Runtime.build(settings, connection=connection, clock=clock))
