"""The web layer: the only place Flask is imported. `create_app` builds everything."""

from __future__ import annotations

from ivr.web.app import create_app

__all__ = ["create_app"]
