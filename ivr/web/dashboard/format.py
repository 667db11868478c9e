"""Registers the dashboard's Jinja filters (from `ivr.analytics.display`) and the timezone helper."""

from __future__ import annotations

from flask import Flask

from ivr.analytics.display import delta, language_name, local, metric, pct, secs, words
from ivr.store.records import qualification_of
from ivr.web.context import current_runtime


def tz_of(business_key: str | None) -> str | None:
    """The timezone of a configured business, for `local`."""
    business = current_runtime().directory.by_key(business_key or "")
    return business.timezone if business else None


def register(app: Flask) -> None:
    app.jinja_env.filters.update(pct=pct, secs=secs, metric=metric, delta=delta, local=local,
                                 words=words, language_name=language_name)
    app.jinja_env.globals["tz_of"] = tz_of
    # the screening verdict beside the outcome (a qualified lead staff took is "transferred")
    app.jinja_env.globals["qualification_of"] = qualification_of
