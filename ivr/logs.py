"""One structured line per event, carrying the call or message SID; never secrets or transcripts.

`event("sms.received", sid=..., business=...)` logs `event=sms.received sid=SM.. business=..`.
Values are passed through `redact` so a stray card number or SSN never reaches a log file, and
each value is kept on its one line: spaces, newlines, tabs and other control or invisible
characters become `_`, so a value a caller controls (a path, a form field, an error message)
cannot start a forged `event=...` line of its own.
"""

from __future__ import annotations

import logging
import re

from ivr.flow.redact import redact

#: Keys whose values never reach a log line.
SECRET_KEYS = frozenset({"auth_token", "token", "password", "secret", "body", "text", "transcript"})


#: Whitespace (newlines included), C0/C1 controls, zero-width and bidi-override characters.
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def value_text(value: object) -> str:
    """One field's value as logged: masked, on one line, no spaces."""
    return _UNSAFE.sub("_", redact(str(value)))


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
        parts.append(f"{key}={value_text(value)}")
    logger.log(level, " ".join(parts))


def configure(level: str = "INFO") -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # twilio's client logs ten lines of headers per REST request at INFO: noise, and slow.
    logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
