"""The runtime wired: its conversation service built once with the default effects.

`ivr.runtime.Runtime` sits below the conversation layer, so it cannot build the service that
uses it; this module, the only one that sees both, does. `ivr serve`, `ivr demo`, `ivr worker`
and the tests' fixtures take their runtime from here.
"""

from __future__ import annotations

import logging

import redis

from ivr.app.effects import default_effects, effects_act
from ivr.config.settings import Settings
from ivr.conversation.service import Conversations
from ivr.logs import event
from ivr.runtime import Clock, Runtime
from ivr.twilio.urls import stream_refusal

log = logging.getLogger("ivr.app")


def wire(runtime: Runtime) -> Runtime:
    """`runtime` with its conversation service (the default effects), ready to serve."""
    return runtime.wire(Conversations(runtime, default_effects(), effects_act))


def build_runtime(settings: Settings, connection: redis.Redis | None = None,
                  clock: Clock | None = None) -> Runtime:
    """`Runtime.build`, wired; warns once at startup when IVR_PUBLIC_URL is one Twilio would
    refuse a Media Stream on (then calls are carried by keypad and record mode) and a business
    wants one (`speech: stream`; Twilio's recogniser, `speech: twilio`, needs no stream)."""
    runtime = Runtime.build(settings, connection=connection, clock=clock)
    why = stream_refusal(settings.public_url) if settings.public_url else None
    if why and any(business.speech == "stream" for business in runtime.directory):
        event("startup.streams_off", log, logging.WARNING, why=why)
    return wire(runtime)
