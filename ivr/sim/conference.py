"""Conferences: who is in which room, who can hear whom, and Twilio's conference events.

A conference starts when a participant with startConferenceOnEnter joins (until then everyone
waits, hearing the waitUrl), ends when a participant with endConferenceOnExit leaves or the last
one does, and reports start/end/join/leave/hold/mute to the statusCallback of its first
participant that named one (filtered by that participant's statusCallbackEvent).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ivr.sim.ids import API_VERSION, new_sid, now, rfc2822

if TYPE_CHECKING:
    from ivr.sim.call import Call
    from ivr.sim.carrier import Carrier

#: statusCallbackEvent words → the StatusCallbackEvent values they enable.
EVENT_GROUPS = {
    "start": ("conference-start",), "end": ("conference-end",),
    "join": ("participant-join",), "leave": ("participant-leave",),
    "hold": ("participant-hold", "participant-unhold"),
    "mute": ("participant-mute", "participant-unmute"),
}


def truthy(value: Any, default: bool) -> bool:
    """TwiML/REST booleans ("true"/"false", any case)."""
    if value is None or value == "":
        return default
    return str(value).strip().lower() == "true"


@dataclass
class Participant:
    """One leg in a conference (Twilio's Participant resource)."""

    call: Call
    conference: Conference
    start_on_enter: bool = True
    end_on_exit: bool = False
    muted: bool = False
    hold: bool = False
    coaching: bool = False
    label: str | None = None
    wait_url: str | None = None
    left: bool = False
    kicked: bool = False
    joined_at: datetime = field(default_factory=now)

    def to_json(self) -> dict[str, object]:
        carrier = self.conference.carrier
        return {
            "account_sid": carrier.account_sid, "call_sid": self.call.sid,
            "conference_sid": self.conference.sid, "label": self.label,
            "muted": self.muted, "hold": self.hold, "coaching": self.coaching,
            "call_sid_to_coach": None, "start_conference_on_enter": self.start_on_enter,
            "end_conference_on_exit": self.end_on_exit,
            "status": "complete" if self.left else "connected",
            "date_created": rfc2822(self.joined_at), "date_updated": rfc2822(now()),
            "uri": f"{carrier.base_path}/Conferences/{self.conference.sid}/Participants/"
                   f"{self.call.sid}.json",
        }


class Conference:
    """A named room (Twilio's Conference resource)."""

    def __init__(self, carrier: Carrier, name: str) -> None:
        self.carrier = carrier
        self.name = name
        self.sid = new_sid("CF")
        self.status = "init"
        self.participants: list[Participant] = []
        self.callback: tuple[str, str, set[str]] | None = None
        self.end_reason: str | None = None
        self.ending_call_sid: str | None = None
        self.date_created = now()
        self.date_updated = self.date_created
        self._sequence = 0

    def __repr__(self) -> str:
        return f"Conference({self.name!r} {self.status} {[p.call.to for p in self.current()]})"

    def current(self) -> list[Participant]:
        """Participants still in the room (as their join and leave events were stamped)."""
        with self.carrier.lock:
            return [p for p in self.participants if not p.left]

    @property
    def calls(self) -> list[Call]:
        return [p.call for p in self.current()]

    def has(self, *calls: Call) -> bool:
        """Whether all `calls` are in the room now."""
        present = self.calls
        return all(call in present for call in calls)

    def participant(self, call_sid: str) -> Participant | None:
        return next((p for p in self.current() if p.call.sid == call_sid), None)

    # --- membership --------------------------------------------------------------------------
    def join(self, participant: Participant, callback: str | None, events: str,
             method: str = "POST") -> None:
        with self.carrier.lock:  # in the room and stamped at one moment (see `event`)
            if self.callback is None and callback:
                wanted = {e for word in events.split() for e in EVENT_GROUPS.get(word, ())}
                self.callback = (callback, method, wanted)
            participant.call.conference = self
            self.participants.append(participant)
            self.event("participant-join", participant)
        if participant.start_on_enter and self.status == "init":
            self.status = "in-progress"
            self.touch()
            self.event("conference-start")
        self.wake()

    def leave(self, participant: Participant, reason: str = "participant_hung_up",
              call_status: str = "in-progress") -> None:
        """`participant`'s Dial is over (hangup, kick, update, end): it leaves the room.

        The leave event carries Twilio's `ReasonParticipantLeft` (`participant_hung_up`,
        `participant_updated_via_api`, `participant_was_kicked`, or why the room ended) and
        `ParticipantCallStatus` (`completed` for a hangup; the call goes on otherwise), so an
        app can tell a caller who hung up from one moved elsewhere."""
        with self.carrier.lock:  # out of the room and stamped at one moment (see `event`)
            if participant.left:
                return
            participant.left = True
            self.touch()
            self.event("participant-leave", participant,
                       {"ReasonParticipantLeft": reason, "ParticipantCallStatus": call_status})
        if self.status == "completed":
            return
        if participant.end_on_exit:
            self.end("participant-with-end-conference-on-exit-left", participant.call.sid)
        elif not self.current():
            self.end("last-participant-left", participant.call.sid)
        self.wake()

    def kick(self, participant: Participant) -> None:
        """REST DELETE: remove the participant; its call continues after the <Dial>."""
        participant.kicked = True
        participant.call.poke()

    def end(self, reason: str, by_call: str | None = None) -> None:
        """Close the room: everyone still in it continues after their <Dial>."""
        with self.carrier.lock:
            if self.status == "completed":
                return
            self.status = "completed"
            self.end_reason = reason
            self.ending_call_sid = by_call
        self.touch()
        self.event("conference-end")
        self.wake()

    def update_participant(self, participant: Participant, form: Any) -> None:
        """REST update: Hold/Muted (HoldUrl noted in heard)."""
        if "Hold" in form:
            hold = truthy(form.get("Hold"), False)
            if hold != participant.hold:
                participant.hold = hold
                if hold:
                    url = form.get("HoldUrl")
                    participant.call.heard.append(f"[hold {url}]" if url else "[hold music]")
                self.event("participant-hold" if hold else "participant-unhold", participant)
        if "Muted" in form:
            muted = truthy(form.get("Muted"), False)
            if muted != participant.muted:
                participant.muted = muted
                self.event("participant-mute" if muted else "participant-unmute", participant)
        self.touch()

    def wake(self) -> None:
        for participant in list(self.participants):
            participant.call.poke()

    def touch(self) -> None:
        self.date_updated = now()

    # --- events --------------------------------------------------------------------------------
    def event(self, name: str, participant: Participant | None = None,
              extra: dict[str, str] | None = None) -> None:
        """Report `name` to the room's statusCallback, stamped now (`Timestamp`, next
        `SequenceNumber`).

        Twilio stamps an event when it happens. A room change and its stamp are one step
        under the carrier's lock (`join`, `leave`): a test that sees Alex in the room and then
        moves the clock must not find a join stamped after the move (which a thread paused
        between the two, on a loaded machine, would give: the join 40 s late)."""
        if self.callback is None:
            return
        url, method, wanted = self.callback
        if name not in wanted:
            return
        with self.carrier.lock:
            params = {
                "AccountSid": self.carrier.account_sid, "ConferenceSid": self.sid,
                "FriendlyName": self.name, "StatusCallbackEvent": name,
                "SequenceNumber": str(self._sequence),
                "Timestamp": rfc2822(self.carrier.clock()) or "",
            }
            self._sequence += 1
        if participant is not None:
            params.update({
                "CallSid": participant.call.sid, "Muted": str(participant.muted).lower(),
                "Hold": str(participant.hold).lower(),
                "Coaching": str(participant.coaching).lower(),
                "EndConferenceOnExit": str(participant.end_on_exit).lower(),
                "StartConferenceOnEnter": str(participant.start_on_enter).lower(),
            })
            if participant.label:
                params["ParticipantLabel"] = participant.label
        if name == "conference-end":
            params["ReasonConferenceEnded"] = self.end_reason or ""
            if self.ending_call_sid:
                params["CallSidEndingConference"] = self.ending_call_sid
        params.update(extra or {})
        self.carrier.notify(url, params, method)

    def to_json(self) -> dict[str, object]:
        uri = f"{self.carrier.base_path}/Conferences/{self.sid}.json"
        return {
            "sid": self.sid, "account_sid": self.carrier.account_sid, "api_version": API_VERSION,
            "friendly_name": self.name, "status": self.status, "region": "us1",
            "date_created": rfc2822(self.date_created), "date_updated": rfc2822(self.date_updated),
            "reason_conference_ended": self.end_reason,
            "call_sid_ending_conference": self.ending_call_sid, "uri": uri,
            "subresource_uris": {
                "participants": uri.replace(".json", "/Participants.json"),
                "recordings": uri.replace(".json", "/Recordings.json")},
        }


def room_for(carrier: Carrier, name: str) -> Conference:
    """The open conference called `name`, created when there is none (Twilio's behaviour)."""
    with carrier.lock:
        for conference in reversed(carrier.conferences):
            if conference.name == name and conference.status != "completed":
                return conference
        conference = Conference(carrier, name)
        carrier.conferences.append(conference)
        return conference
