"""Call parameters and call-progress status callbacks, as Twilio sends them.

Every voice webhook carries the same core form (AccountSid, CallSid, From, To, CallStatus,
Direction, ApiVersion, …); status callbacks add CallbackSource, SequenceNumber, Timestamp and,
at the end, CallDuration. A call's StatusCallbackEvent list picks which of initiated, ringing,
answered and completed are sent (default: completed only).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ivr.sim.ids import API_VERSION, rfc2822

if TYPE_CHECKING:
    from ivr.sim.call import Call

#: Call status → the StatusCallbackEvent that reports it.
EVENT_OF = {"initiated": "initiated", "ringing": "ringing", "in-progress": "answered",
            "completed": "completed", "busy": "completed", "no-answer": "completed",
            "canceled": "completed", "failed": "completed"}
#: The SIP code Twilio reports with each final status.
SIP_CODE = {"completed": "200", "busy": "486", "no-answer": "487", "canceled": "487",
            "failed": "500"}


def call_params(call: Call) -> dict[str, str]:
    """The form every voice webhook about `call` carries."""
    params = {
        "AccountSid": call.carrier.account_sid, "CallSid": call.sid, "From": call.from_,
        "To": call.to, "Caller": call.from_, "Called": call.to,
        "CallStatus": call.status, "Direction": call.direction, "ApiVersion": API_VERSION,
        "FromCountry": "US", "ToCountry": "US", "CallerCountry": "US", "CalledCountry": "US",
    }
    if call.parent is not None:
        params["ParentCallSid"] = call.parent.sid
    if call.answered_by:
        params["AnsweredBy"] = call.answered_by
    return params


def progress(call: Call, status: str) -> None:
    """Move `call` to `status` and send the status callback if it subscribed to that event.

    "initiated" is only reported; the resource itself stays "queued" until it rings.
    """
    if status != "initiated":
        call.set_status(status)
    event = EVENT_OF[status]
    if not call.status_callback or event not in call.status_events:
        return
    params = call_params(call)
    params.update({"CallStatus": status, "CallbackSource": "call-progress-events",
                   "SequenceNumber": str(call.next_sequence()),
                   "Timestamp": rfc2822(call.carrier.clock()) or ""})
    if event == "completed":
        params["CallDuration"] = str(call.duration)
        params["Duration"] = str(math.ceil(call.duration / 60))
        params["SipResponseCode"] = SIP_CODE.get(status, "200")
    call.carrier.notify(call.status_callback, params, call.status_method)
