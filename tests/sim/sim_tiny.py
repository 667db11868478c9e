"""Tiny Flask apps for testing the carrier simulator (not the product)."""

from __future__ import annotations

from flask import Flask, abort, request
from sim_fixtures import AUTH_TOKEN

from ivr.twilio.signature import is_valid

#: The public base the test apps believe Twilio sees; the sim signs for it.
PUBLIC_URL = "https://ivr.example.test"


def tiny_app(name: str = "tiny", public_url: str = PUBLIC_URL) -> Flask:
    """A Flask app that refuses (403) any request not signed for `public_url`, like the
    product does for IVR_PUBLIC_URL."""
    app = Flask(name)
    app.config["PUBLIC_URL"] = public_url

    @app.before_request
    def check_signature() -> None:
        url = app.config["PUBLIC_URL"] + request.full_path.rstrip("?")
        params = request.form if request.method == "POST" else {}
        if not is_valid(AUTH_TOKEN, url, params, request.headers.get("X-Twilio-Signature")):
            abort(403)

    return app


def twiml(response: object) -> tuple[str, int, dict[str, str]]:
    """A Flask response carrying TwiML."""
    return str(response), 200, {"Content-Type": "text/xml"}


def rest_client(carrier: object):
    """The app's own REST client (ivr.twilio.rest.make_client) pointed at `carrier`."""
    from sim_fixtures import ACCOUNT_SID

    from ivr.config.settings import Settings
    from ivr.twilio.rest import make_client

    return make_client(Settings(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN,
                                api_base=carrier.api_base))  # type: ignore[attr-defined]
