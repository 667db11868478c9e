"""One structured line per event, carrying the call or message SID; never secrets or transcripts.

`event("sms.received", sid=..., business=...)` logs `event=sms.received sid=SM.. business=..`.
Values are passed through `redact` so a stray card number or SSN never reaches a log file.
"""

from __future__ import annotations

import logging

from ivr.flow.redact import redact

#: Keys whose values never reach a log line.
SECRET_KEYS = frozenset({"auth_token", "token", "password", "secret", "body", "text", "transcript"})


def event(name: str, logger: logging.Logger | None = None, level: int = logging.INFO,
          **fields: object) -> None:
    """Log one `event=NAME key=value ...` line (nothing is formatted when it would not be
    written: events sit on every webhook's path)."""
    logger = logger or logging.getLogger("ivr")
    if not logger.isEnabledFor(level):
        return
    parts = [f"event={name}"]
    for key, value in fields.items():
        if key in SECRET_KEYS:
            value = "[redacted]"
        parts.append(f"{key}={redact(str(value)).replace(' ', '_')}")
    logger.log(level, " ".join(parts))


def configure(level: str = "INFO") -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # twilio's client logs ten lines of headers per REST request at INFO: noise, and slow.
    logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
