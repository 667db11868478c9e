"""Dashboard sessions kept in Redis: the cookie carries only a random, signed session id.

Flask's default session is the data itself, signed, in the cookie: nothing on the server can
end it, so logout and a changed IVR_API_TOKEN left old cookies working, and the signature was
an offline oracle for the key. Here the data lives in Redis (`ivr.store.sessions`), so:

- logout deletes it, and a replayed cookie finds nothing;
- each session remembers a fingerprint of the IVR_API_TOKEN it was opened under, and is
  dropped when the token changes (rotating the token signs everyone out);
- it ends after `IDLE_S` without a request, and `ABSOLUTE_S` after it began however busy;
- the id is signed with the session key (IVR_SECRET_KEY, else one generated once and kept in
  Redis: `secret_key`), so a made-up cookie is refused before Redis is asked.

Requests without the cookie (every Twilio webhook, every bearer-token API call) never touch
Redis here. When Redis is down the dashboard is simply signed out.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
from typing import Any

import redis
from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from itsdangerous import BadSignature, Signer
from werkzeug.datastructures import CallbackDict

from ivr.runtime import Runtime
from ivr.store import sessions as kept

log = logging.getLogger("ivr.web.sessions")

#: A session ends after this long without a request: a working day at the front desk, so the
#: owner who leaves the dashboard open over lunch is still signed in, but not the next morning.
IDLE_S = 8 * 3600

#: And this long after sign-in however busy: a stolen cookie is worth a day at most.
ABSOLUTE_S = 24 * 3600

#: Seconds since the epoch. Lifetimes are real time (Redis expires keys by it, browsers drop
#: cookies by it), not the runtime's business clock; tests replace this to step ahead.
wall_clock = time.time

#: Bytes of randomness in a session id and in a generated session key.
ID_BYTES = 32

#: Salt separating the session-id signature from any other use of the session key.
_SALT = "ivr.session-id"

#: Fields this module keeps inside the session data (not visible to views).
_CREATED, _SEEN, _TOKEN = "_created", "_seen", "_token"


def secret_key(runtime: Runtime) -> str:
    """IVR_SECRET_KEY, else the key generated once and kept in Redis with the state.

    SET NX makes every web node agree on the first one written; it is never derived from
    another secret, so knowing the API or Twilio token tells nothing about it.
    """
    if runtime.settings.secret_key:
        return runtime.settings.secret_key
    return kept.secret_key(runtime.store, secrets.token_urlsafe(ID_BYTES))


def token_fingerprint(runtime: Runtime, session_key: str) -> str:
    """A keyed fingerprint of IVR_API_TOKEN: tells a changed token, reveals nothing of it."""
    token = runtime.settings.api_token.encode()
    return hmac.new(session_key.encode(), b"api-token:" + token, hashlib.sha256).hexdigest()[:32]


class RedisSession(CallbackDict, SessionMixin):  # type: ignore[type-arg]
    """The session dict, with its id and whether it must be stored, dropped or given a new id."""

    def __init__(self, data: dict[str, Any] | None = None, sid: str | None = None) -> None:
        def changed(_: Any) -> None:
            self.modified = True

        super().__init__(data or {}, changed)
        self.sid = sid
        self.modified = False
        self.renew = False

    def regenerate(self) -> None:
        """Give this session a new id when it is saved (sign-in: no fixation of an old id)."""
        self.renew = True
        self.modified = True


class RedisSessionInterface(SessionInterface):
    """Flask's session interface over the sessions kept in the runtime's store."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._key: str | None = None

    # -- helpers ------------------------------------------------------------------------------
    def _session_key(self) -> str:
        if self._key is None:
            self._key = secret_key(self.runtime)
        return self._key

    def _signer(self) -> Signer:
        return Signer(self._session_key(), salt=_SALT)

    def _valid(self, data: dict[str, Any]) -> bool:
        """Within both lifetimes and opened under today's API token."""
        try:
            now = wall_clock()
            fresh = (now - float(data[_CREATED]) < ABSOLUTE_S
                     and now - float(data[_SEEN]) < IDLE_S)
        except (KeyError, TypeError, ValueError):
            return False
        fingerprint = token_fingerprint(self.runtime, self._session_key())
        return fresh and hmac.compare_digest(str(data.get(_TOKEN, "")), fingerprint)

    # -- SessionInterface ---------------------------------------------------------------------
    def open_session(self, app: Flask, request: Request) -> RedisSession:
        if "HTTP_COOKIE" not in request.environ:  # a webhook: no cookies to parse
            return RedisSession()
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return RedisSession()
        try:
            sid = self._signer().unsign(cookie).decode()
            raw = kept.load_session(self.runtime.store, sid)
        except (BadSignature, UnicodeDecodeError):
            return RedisSession()
        except redis.RedisError:
            log.warning("session store unavailable: treating the request as signed out")
            return RedisSession()
        if raw is None:
            return RedisSession()
        data = json.loads(raw)
        if not self._valid(data):
            self._forget(sid)
            return RedisSession()
        return RedisSession(data, sid)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        assert isinstance(session, RedisSession)
        name, domain, path = (self.get_cookie_name(app), self.get_cookie_domain(app),
                              self.get_cookie_path(app))
        if not session:
            if session.sid is not None and session.modified:  # cleared: sign out everywhere
                self._forget(session.sid)
                response.delete_cookie(name, domain=domain, path=path,
                                       secure=self.get_cookie_secure(app),
                                       httponly=self.get_cookie_httponly(app),
                                       samesite=self.get_cookie_samesite(app))
            return
        try:
            cookie, max_age = self._store(session)
        except redis.RedisError:
            log.warning("session store unavailable: session not saved")
            return
        response.set_cookie(
            name, cookie, max_age=max_age, domain=domain,
            path=path, secure=self.get_cookie_secure(app),
            httponly=self.get_cookie_httponly(app), samesite=self.get_cookie_samesite(app))
        response.vary.add("Cookie")

    def _store(self, session: RedisSession) -> tuple[str, int]:
        """Write the session (a new id when it has none or asked for one, and a fresh idle
        lifetime); return the signed cookie value and the seconds it may live at most."""
        now = wall_clock()
        if session.sid is None or session.renew:
            if session.sid is not None:
                self._forget(session.sid)
            session.sid = secrets.token_urlsafe(ID_BYTES)
            session[_CREATED] = now
            session[_TOKEN] = token_fingerprint(self.runtime, self._session_key())
            session.renew = False
        session[_SEEN] = now  # sliding idle lifetime
        kept.save_session(self.runtime.store, session.sid, json.dumps(dict(session)), IDLE_S)
        left = int(float(session[_CREATED]) + ABSOLUTE_S - now)
        return self._signer().sign(session.sid).decode(), max(left, 1)

    def _forget(self, sid: str) -> None:
        try:
            kept.drop_session(self.runtime.store, sid)
        except redis.RedisError:
            log.warning("session store unavailable: session %s... not deleted", sid[:6])


def init_app(app: Flask, runtime: Runtime) -> None:
    """Keep sessions in Redis; cookie flags from IVR_PUBLIC_URL (Secure when it is https)."""
    app.config["SESSION_COOKIE_NAME"] = "ivr_session"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = runtime.settings.public_url.startswith("https://")
    app.session_interface = RedisSessionInterface(runtime)
