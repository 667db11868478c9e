"""Every public URL we hand Twilio (and staff): the paths, and how absolute URLs are built.

One place, so a route and the TwiML that names it cannot drift apart: the web layer's route
decorators use these path constants, and the code below the web layer builds callback URLs
with these functions.

Twilio reaches us on IVR_PUBLIC_URL (signatures are computed over it). Without it, the base is
what the call came in on (kept with the call's facts), else the URL the current webhook
arrived on, which the web layer records per request (`arrived_on`, `left`) so that code below
it builds callback URLs without knowing Flask. Jobs run outside any request and fall back to
`LOCAL_BASE`.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from urllib.parse import urlencode, urlsplit, urlunsplit

#: Where a process with neither IVR_PUBLIC_URL nor a request to go by says it is.
LOCAL_BASE = "http://127.0.0.1:5000"

#: The base URL the webhook being handled arrived on ("" outside a request).
_arrived: ContextVar[str] = ContextVar("ivr_arrived_base", default="")

# -- a call's turns (`ivr.web.voice`, `ivr.web.stream`) ----------------------------------------
VOICE_INCOMING = "/voice/incoming"
VOICE_STATUS = "/voice/status"
VOICE_GATHER = "/voice/gather"
VOICE_TIMEOUT = "/voice/timeout"
VOICE_NEXT = "/voice/next"
VOICE_LISTEN = "/voice/listen"
VOICE_RECORDED = "/voice/recorded"
VOICE_FALLBACK = "/voice/fallback"
VOICE_STREAM = "/voice/stream"

# -- texts (`ivr.web.sms`) -----------------------------------------------------------------------
SMS_INCOMING = "/sms/incoming"
#: The numbers' Messaging fallback URL ("Primary handler fails"): the same text, retried there.
SMS_FALLBACK = "/sms/fallback"

# -- the warm transfer's callbacks (`ivr.web.transfer`) ------------------------------------------
TRANSFER_HOLD = "/transfer/hold"
TRANSFER_HOLD_AUDIO = "/transfer/hold-audio"
TRANSFER_CONFERENCE = "/transfer/conference"
TRANSFER_VOICEMAIL = "/transfer/voicemail"
TRANSFER_RECORDED = "/transfer/recorded"
TRANSFER_RECORDING_STATUS = "/transfer/recording-status"
TRANSFER_WHISPER = "/transfer/whisper"
TRANSFER_ACCEPT = "/transfer/accept"
TRANSFER_AGENT_STATUS = "/transfer/agent-status"
TRANSFER_BRIDGE_ANSWERED = "/transfer/bridge-answered"
TRANSFER_FEEDBACK = "/transfer/feedback"
#: A transfer's rendered summary audio lives under this path, by its file name.
TRANSFER_AUDIO = "/transfer/audio"

# -- pages for staff (`ivr.web.dashboard`) -------------------------------------------------------
DASHBOARD_CONVERSATIONS = "/dashboard/conversations"


def arrived_on(host_url: str) -> Token[str]:
    """Record the base URL of the request being handled (the web layer calls this first)."""
    return _arrived.set(host_url.rstrip("/"))


def left(token: Token[str]) -> None:
    """Forget the request's base URL once it is answered (the web layer calls this last)."""
    _arrived.reset(token)


def public_base(public_url: str, fallback: str | None = "") -> str:
    """The base Twilio reaches us on: IVR_PUBLIC_URL, else `fallback` (the base a call came in
    on: its facts' `base`, None when they have none), else the URL the current request arrived
    on, else `LOCAL_BASE`. No trailing slash."""
    return (public_url or fallback or _arrived.get() or LOCAL_BASE).rstrip("/")


def with_query(url: str, **params: object) -> str:
    """`url` with `params` added to its query string (values stringified, None skipped)."""
    parts = urlsplit(url)
    extra = urlencode({k: str(v) for k, v in params.items() if v is not None})
    query = "&".join(q for q in (parts.query, extra) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


#: Hosts a plain `ws://` stream may use: this machine (the simulator, the demo, the tests).
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def is_loopback(base: str) -> bool:
    """Whether `base` names this machine (only the simulator can reach it there)."""
    host = (urlsplit(base).hostname or "").lower()
    return host in LOOPBACK or host.startswith("127.")


def stream_refusal(base: str) -> str | None:
    """Why Twilio would refuse a Media Stream to `base`, or None when it would not.

    Twilio opens `<Stream url>` only as `wss://` (a `ws://` URL fails with error 31922), so a
    plain-`http` public URL has no stream Twilio would accept; loopback is the simulator's.
    """
    parts = urlsplit(base)
    if parts.scheme == "https" or is_loopback(base):
        return None
    return (f"IVR_PUBLIC_URL {base!r} is http, and Twilio opens Media Streams only over "
            "wss:// (error 31922): speech is off and calls use the keypad (and record mode "
            "where a business asks for it); put the app behind https to hear callers speak")


def stream_url(base: str) -> str:
    """The Media Streams URL for a public base, path /voice/stream: `wss://` wherever Twilio is
    the carrier; `ws://` only for a loopback `http` base (the simulator). No query string:
    Twilio drops it from `<Stream url>`, so a stream's facts travel as `<Parameter>`s."""
    parts = urlsplit(base.rstrip("/"))
    scheme = "ws" if parts.scheme == "http" and is_loopback(base) else "wss"
    return urlunsplit((scheme, parts.netloc, parts.path + VOICE_STREAM, "", ""))


def voice_url(base: str, path: str, business: str, **params: object) -> str:
    """An absolute voice callback URL carrying the business key, so the callback needs no
    lookup by number (`params`: the turn, hold rounds, the fallback's step; None skipped)."""
    return with_query(base + path, business=business, **params)


def transfer_url(base: str, path: str, business: str | None = None, hunt: str | None = None,
                 **query: str) -> str:
    """An absolute URL of one of the warm transfer's callbacks, naming the business and hunt
    (`b`, `h`) so whichever web node Twilio reaches finds the hunt in Redis."""
    params = {"b": business or "", "h": hunt, **query} if hunt else dict(query)
    return f"{base}{path}" + (f"?{urlencode(params)}" if params else "")


def conversation_url(base: str, record_id: str) -> str:
    """The dashboard page of one conversation (the link in a staff member's text)."""
    return f"{base}{DASHBOARD_CONVERSATIONS}/{record_id}"
