"""The carrier simulator: Twilio's part on loopback for tests, `ivr simulate` and the demo.

It signs and sends webhooks, executes TwiML, serves the REST subset the app uses and rings
on-call seats; see ivr/sim/README.md for what it covers of Twilio's protocol.
"""

from __future__ import annotations

from ivr.sim.carrier import Carrier
from ivr.sim.controls import SpeechNotGathered
from ivr.sim.phone import Phone
from ivr.sim.server import LiveServer
from ivr.sim.wait import WaitTimeout, wait_for

__all__ = ["Carrier", "LiveServer", "Phone", "SpeechNotGathered", "WaitTimeout", "wait_for"]
