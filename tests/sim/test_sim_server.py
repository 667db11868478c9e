"""The live server under the app: real HTTP on loopback, threaded, and WebSockets (flask-sock)
for Media Streams."""

from __future__ import annotations

import requests
import websocket
from flask import Flask
from flask_sock import Sock

from ivr.sim import LiveServer


def test_the_live_server_carries_flask_sock_websockets():
    app = Flask("ws")
    sock = Sock(app)

    @sock.route("/voice/stream")
    def stream(ws):
        while True:
            message = ws.receive(timeout=5)
            if message is None or message == "stop":
                break
            ws.send(message.upper())

    with LiveServer(app) as server:
        ws = websocket.create_connection(server.url.replace("http", "ws") + "/voice/stream",
                                         timeout=5)
        ws.send("media")
        assert ws.recv() == "MEDIA"
        ws.send("stop")
        ws.close()


def test_the_live_server_answers_requests_while_another_is_still_open():
    app = Flask("threads")

    @app.get("/ping")
    def ping():
        return "pong"

    with LiveServer(app) as server:
        ws_like = requests.Session()
        assert ws_like.get(server.url + "/ping", timeout=5).text == "pong"
        assert requests.get(server.url + "/ping", timeout=5).text == "pong"


def test_the_live_app_fixture_points_the_product_at_the_carrier(live_app, carrier, runtime):
    assert runtime.settings.api_base == carrier.api_base
    assert requests.get(live_app.url + "/healthz", timeout=5).status_code == 200
    forged = carrier.send("/sms/incoming", {"From": "+15125550199", "To": "+15125550100",
                                            "Body": "hi", "MessageSid": "SM" + "1" * 32},
                          signing="wrong")
    assert forged.status == 403
