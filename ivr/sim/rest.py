"""Twilio's REST API subset at Twilio's own paths, as a WSGI app (served by `Carrier.start`).

Requests are checked for HTTP Basic auth with the account SID and auth token; errors are JSON
shaped like Twilio's (`code`, `message`, `more_info`, `status`) so the twilio library raises
its usual `TwilioRestException`. Resource logic lives with the resources; this module only
translates HTTP.
"""

from __future__ import annotations

import base64
import hmac
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from ivr.sim import lifecycle, messaging
from ivr.sim.ids import API_VERSION
from ivr.sim.optout import UNSUBSCRIBED

if TYPE_CHECKING:
    from ivr.sim.carrier import Carrier

ACCOUNT = f"/{API_VERSION}/Accounts/<account>"

#: Characters a message body may have (Twilio error 21617 beyond).
MAX_BODY = 1600

URLS = Map([
    Rule(f"{ACCOUNT}/Messages.json", endpoint="messages"),
    Rule(f"{ACCOUNT}/Messages/<sid>.json", endpoint="message"),
    Rule(f"{ACCOUNT}/Calls.json", endpoint="calls"),
    Rule(f"{ACCOUNT}/Calls/<sid>.json", endpoint="call"),
    Rule(f"{ACCOUNT}/Calls/<sid>/Recordings.json", endpoint="call_recordings"),
    Rule(f"{ACCOUNT}/Conferences.json", endpoint="conferences"),
    Rule(f"{ACCOUNT}/Conferences/<sid>.json", endpoint="conference"),
    Rule(f"{ACCOUNT}/Conferences/<sid>/Participants.json", endpoint="participants"),
    Rule(f"{ACCOUNT}/Conferences/<sid>/Participants/<call>.json", endpoint="participant"),
    Rule(f"{ACCOUNT}/Recordings.json", endpoint="recordings"),
    Rule(f"{ACCOUNT}/Recordings/<sid>.json", endpoint="recording"),
    Rule(f"{ACCOUNT}/Recordings/<sid>.wav", endpoint="recording_media"),
    Rule(f"{ACCOUNT}/Recordings/<sid>", endpoint="recording_media"),
], strict_slashes=False)


class RestError(Exception):
    """A Twilio API error: HTTP `status`, Twilio error `code`, human `message`."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def not_found(request: Request) -> RestError:
    return RestError(404, 20404, f"The requested resource {request.path} was not found")


def required(form: Any, *names: str) -> None:
    """Twilio's 400 for a missing mandatory parameter (21201-style message)."""
    for name in names:
        if not form.get(name):
            raise RestError(400, 21604 if name == "To" else 21603 if name == "From" else 20001,
                            f"A '{name}' parameter is required.")


def json_response(payload: object, status: int = 200) -> Response:
    return Response(json.dumps(payload), status=status, mimetype="application/json")


def page(request: Request, key: str, items: list[dict[str, object]]) -> dict[str, object]:
    """A list response with Twilio's paging keys (one page holds everything)."""
    size = int(request.args.get("PageSize", 50) or 50)
    return {key: items[:size], "start": 0, "end": max(0, min(size, len(items)) - 1),
            "page": 0, "page_size": size, "uri": request.full_path.rstrip("?"),
            "first_page_uri": request.full_path.rstrip("?"), "next_page_uri": None,
            "previous_page_uri": None}


class RestApi:
    """The WSGI app. Each endpoint is a method `on_<endpoint>(request, **args)`."""

    def __init__(self, carrier: Carrier) -> None:
        self.carrier = carrier

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        self.carrier.faults.delay_rest()  # a slow API (faults.slow_rest): answer late
        try:
            response = self.dispatch(request)
        except RestError as err:
            response = json_response({"code": err.code, "message": err.message,
                                      "more_info": f"https://www.twilio.com/docs/errors/{err.code}",
                                      "status": err.status}, err.status)
        # No keep-alive: a client that is never closed (a runtime's REST client) then holds
        # no socket to this server, so nothing leaks when a test's objects are collected.
        response.headers["Connection"] = "close"
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        adapter = URLS.bind_to_environ(request.environ)
        try:
            endpoint, args = adapter.match()
        except NotFound as exc:
            raise not_found(request) from exc
        except HTTPException as exc:
            raise RestError(exc.code or 405, 20004, "Method not allowed") from exc
        if endpoint != "recording_media":
            self.authenticate(request, args["account"])
        elif args["account"] != self.carrier.account_sid:
            raise not_found(request)
        args.pop("account")
        handler = getattr(self, f"on_{endpoint}")
        try:
            result = handler(request, **args)
        except MethodNotAllowed as exc:
            raise RestError(405, 20004, "Method not allowed") from exc
        if isinstance(result, Response):
            return result
        status = 201 if request.method == "POST" and endpoint.endswith("s") else 200
        return json_response(result, status)

    def authenticate(self, request: Request, account: str) -> None:
        header = request.headers.get("Authorization", "")
        user = password = ""
        if header.lower().startswith("basic "):
            try:
                user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            except (ValueError, UnicodeDecodeError):
                user = password = ""
        good = (hmac.compare_digest(user, self.carrier.account_sid)
                and hmac.compare_digest(password, self.carrier.auth_token))
        if not good:
            raise RestError(401, 20003, "Authenticate")
        if account != self.carrier.account_sid:
            raise not_found(request)

    # --- Messages ----------------------------------------------------------------------------
    def on_messages(self, request: Request) -> object:
        base = self.carrier.base_path
        if request.method == "GET":
            to, from_ = request.args.get("To"), request.args.get("From")
            items = [m.to_json(base) for m in reversed(list(self.carrier.messages))
                     if (not to or m.to == to) and (not from_ or m.from_ == from_)]
            return page(request, "messages", items)
        if request.method != "POST":
            raise MethodNotAllowed()
        form = request.form
        required(form, "To", "From")
        if not form.get("Body") and not form.get("MediaUrl"):
            raise RestError(400, 21602, "Message body is required.")
        if len(form.get("Body", "")) > MAX_BODY:
            raise RestError(400, 21617, "The concatenated message body exceeds the "
                                        f"{MAX_BODY} character limit.")
        self.carrier.faults.check_message(form["To"])
        if self.carrier.opt_outs.blocks(form["From"], form["To"]):
            raise RestError(400, 21610, UNSUBSCRIBED)
        return messaging.send_from_rest(self.carrier, form["To"], form["From"], form.get("Body", ""),
                              form.get("StatusCallback"), form.getlist("MediaUrl"))

    def on_message(self, request: Request, sid: str) -> object:
        message = self.carrier.find_message(sid)
        if message is None:
            raise not_found(request)
        return message.to_json(self.carrier.base_path)

    # --- Calls ---------------------------------------------------------------------------------
    def on_calls(self, request: Request) -> object:
        if request.method == "GET":
            args = request.args
            items = [c.to_json() for c in reversed(list(self.carrier.calls))
                     if all(not args.get(k) or args[k] == v for k, v in
                            (("To", c.to), ("From", c.from_), ("Status", c.status)))]
            return page(request, "calls", items)
        if request.method != "POST":
            raise MethodNotAllowed()
        form = request.form
        required(form, "To", "From")
        if not form.get("Url") and not form.get("Twiml"):
            raise RestError(400, 21205, "Either a 'Url' or 'Twiml' parameter is required.")
        self.carrier.faults.check_call(form["To"])
        return lifecycle.create_rest_call(self.carrier, form).to_json()

    def on_call(self, request: Request, sid: str) -> object:
        call = self.carrier.find_call(sid)
        if call is None:
            raise not_found(request)
        if request.method == "POST":
            problem = lifecycle.update_call(call, request.form)
            if problem:
                raise RestError(400, 21220, problem)
        elif request.method != "GET":
            raise MethodNotAllowed()
        return call.to_json()

    def on_call_recordings(self, request: Request, sid: str) -> object:
        if self.carrier.find_call(sid) is None:
            raise not_found(request)
        items = [r.to_json(self.carrier) for r in list(self.carrier.recordings.values())
                 if r.call_sid == sid and not r.deleted]
        return page(request, "recordings", items)

    # --- Conferences -----------------------------------------------------------------------------
    def conference_or_404(self, request: Request, sid: str):  # -> Conference
        with self.carrier.lock:
            found = [c for c in self.carrier.conferences if sid in (c.sid, c.name)]
        if not found:
            raise not_found(request)
        return found[-1]

    def on_conferences(self, request: Request) -> object:
        args = request.args
        items = [c.to_json() for c in reversed(list(self.carrier.conferences))
                 if (not args.get("FriendlyName") or c.name == args["FriendlyName"])
                 and (not args.get("Status") or c.status == args["Status"])]
        return page(request, "conferences", items)

    def on_conference(self, request: Request, sid: str) -> object:
        conference = self.conference_or_404(request, sid)
        if request.method == "POST" and request.form.get("Status") == "completed":
            conference.end("conference-ended-via-api")
        return conference.to_json()

    def on_participants(self, request: Request, sid: str) -> object:
        if request.method == "POST":
            required(request.form, "To", "From")
            with self.carrier.lock:
                found = [c for c in self.carrier.conferences if sid in (c.sid, c.name)]
            if not found and sid.startswith("CF"):
                raise not_found(request)
            return lifecycle.add_participant(self.carrier, sid, request.form)
        conference = self.conference_or_404(request, sid)
        return page(request, "participants", [p.to_json() for p in conference.current()])

    def on_participant(self, request: Request, sid: str, call: str) -> object:
        conference = self.conference_or_404(request, sid)
        participant = conference.participant(call)
        if participant is None:
            raise not_found(request)
        if request.method == "DELETE":
            conference.kick(participant)
            return Response(status=204)
        if request.method == "POST":
            conference.update_participant(participant, request.form)
        return participant.to_json()

    # --- Recordings ------------------------------------------------------------------------------
    def recording_or_404(self, request: Request, sid: str):  # -> Recording
        recording = self.carrier.recordings.get(sid)
        if recording is None or recording.deleted:
            raise not_found(request)
        return recording

    def on_recordings(self, request: Request) -> object:
        items = [r.to_json(self.carrier) for r in list(self.carrier.recordings.values())
                 if not r.deleted]
        return page(request, "recordings", items)

    def on_recording(self, request: Request, sid: str) -> object:
        recording = self.recording_or_404(request, sid)
        if request.method == "DELETE":
            recording.deleted = True
            return Response(status=204)
        return recording.to_json(self.carrier)

    def on_recording_media(self, request: Request, sid: str) -> Response:
        recording = self.recording_or_404(request, sid)
        return Response(recording.wav, mimetype="audio/x-wav")
