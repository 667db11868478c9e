"""The app factory registers every area: no contract endpoint can silently go missing."""

from __future__ import annotations

CONTRACT_ROUTES = {
    ("POST", "/voice/incoming"), ("POST", "/voice/status"), ("POST", "/sms/incoming"),
    ("GET", "/voice/stream"), ("GET", "/api/conversations"), ("GET", "/api/conversations/<cid>"),
    ("GET", "/api/metrics"), ("GET", "/healthz"), ("GET", "/login"),
}


def routes(app) -> set[tuple[str, str]]:
    return {(method, rule.rule) for rule in app.url_map.iter_rules()
            for method in rule.methods or ()}


def test_every_contract_endpoint_is_routed(app):
    served = routes(app)
    missing = {(m, path) for m, path in CONTRACT_ROUTES
               if (m, path) not in served and not (m == "GET" and path.endswith("<cid>"))}
    assert not missing, f"routes missing: {sorted(missing)}"
    assert any(path.startswith("/api/conversations/<") for _, path in served)
    assert any(path.startswith("/dashboard") for _, path in served)
