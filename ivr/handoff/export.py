"""CRM / webhook export: every finished conversation POSTed, signed, to the business's URL.

A business opts in with `export: {url: https://crm.example/hooks/ivr, secret_env:
IVR_EXPORT_SECRET_HARTLEY}`; the secret itself comes only from the environment. When a
conversation ends an effect enqueues one export job (never blocking the webhook); the job POSTs
`ivr.store.records.public_view(record)` as JSON with

    X-Ivr-Signature: sha256=<hex HMAC-SHA256 of the raw body under the secret>
    X-Ivr-Timestamp: <unix seconds>        X-Ivr-Delivery: <conversation id>

and retries with backoff on 5xx, 408, 429, timeouts and refused connections; any other 4xx is the
receiver saying no, so it fails at once (visible in `failed_jobs`). `ivr export` writes the same
records to stdout, or to a file created 0600 (`--out`), as CSV or JSON lines.

An export leaves our hands (a CRM, a spreadsheet on someone's laptop), so every word in it is
masked again on the way out (`export_view`), with the records' own masking (`ivr.flow.redact`):
a record stored before a field was masked at its source still leaves without a card number.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import logging
import os
import sys
import time
from collections.abc import Mapping
from typing import Any

import click
import requests

from ivr.config.business import Business
from ivr.flow.actions import Action, End
from ivr.flow.redact import redact
from ivr.handoff.outcomes import Exported
from ivr.jobs.queues import BULK, EXPORT_BACKOFF_S, enqueue, give_up, job_id, job_runtime
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.store.embedded import ensure_redis
from ivr.store.exports import exported, mark_exported
from ivr.store.private import open_private
from ivr.store.records import Record, iso, parse_iso, public_view

log = logging.getLogger("ivr.handoff.export")

SIGNATURE_HEADER = "X-Ivr-Signature"
TIMESTAMP_HEADER = "X-Ivr-Timestamp"
DELIVERY_HEADER = "X-Ivr-Delivery"
#: (connect, read) seconds before a receiver counts as down and the POST is retried.
POST_TIMEOUT_S = (3.0, 10.0)
#: Receiver answers worth retrying: its own failures, "too slow", "too many".
RETRY_STATUSES = frozenset({408, 425, 429})


class ExportError(RuntimeError):
    """A delivery the receiver refused for good (4xx) or a misconfiguration: no retry."""


class ReceiverDown(RuntimeError):
    """A 5xx, 408 or 429: worth retrying with backoff."""


def _is_identifier(key: str) -> bool:
    """Keys whose values are ids, SIDs, numbers or URLs: kept exactly (a SID's hex digits can
    look like a card number to the mask, and the receiver matches on them)."""
    key = key.lower()
    return key in {"id", "caller", "phone", "hunt"} or key.endswith(("_id", "sid", "sids", "url"))


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_masked(v) for v in value]
    if isinstance(value, dict):
        return {k: v if _is_identifier(str(k)) else _masked(v) for k, v in value.items()}
    return value


def export_view(record: Record) -> Record:
    """The record as it leaves us: `public_view` with card numbers and SSNs masked in every
    field that can carry words (transcript, voicemail, slots, notes...)."""
    return _masked(public_view(record))


def body_of(record: Record) -> bytes:
    """The exact bytes POSTed (and signed) for a record."""
    return json.dumps(export_view(record), separators=(",", ":"), sort_keys=True).encode()


def signature(secret: str | bytes, body: bytes) -> str:
    """`sha256=<hex>`: HMAC-SHA256 of the raw body."""
    key = secret.encode() if isinstance(secret, str) else secret
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def verify(secret: str | bytes, body: bytes, header: str | None) -> bool:
    """What a receiver does: recompute the signature and compare in constant time."""
    return bool(header) and hmac.compare_digest(signature(secret, body), header or "")


def target(business: Business, environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """The business's export (url, secret).

    Raises:
        ExportError: no `export.url`, or the secret's environment variable is unset.
    """
    config = business.export or {}
    url = str(config.get("url") or "")
    if not url.startswith(("http://", "https://")):
        raise ExportError(f"{business.name}: export.url must be an http(s) URL")
    name = str(config.get("secret_env") or "")
    secret = (os.environ if environ is None else environ).get(name, "") if name else ""
    if not secret:
        raise ExportError(f"{business.name}: set the export secret in the environment variable "
                          f"{name or 'named by export.secret_env'}")
    return url, secret


def deliver(url: str, secret: str, record: Record, session: requests.Session | None = None) -> int:
    """POST one record, signed. Returns the HTTP status of an accepted (2xx/3xx) delivery.

    Raises:
        ReceiverDown: retry later (5xx, 408, 425, 429, timeout, connection refused).
        ExportError: the receiver refused it (other 4xx).
    """
    body = body_of(record)
    headers = {"Content-Type": "application/json", "User-Agent": "ivr-export/1",
               SIGNATURE_HEADER: signature(secret, body),
               TIMESTAMP_HEADER: str(int(time.time())), DELIVERY_HEADER: record["id"]}
    try:
        response = (session or requests).post(url, data=body, headers=headers,
                                              timeout=POST_TIMEOUT_S, allow_redirects=False)
    except requests.RequestException as exc:
        raise ReceiverDown(f"export receiver unreachable: {type(exc).__name__}") from None
    if response.status_code >= 500 or response.status_code in RETRY_STATUSES:
        raise ReceiverDown(f"export receiver answered {response.status_code}")
    if response.status_code >= 400:
        raise ExportError(f"export receiver refused the conversation: {response.status_code}")
    return response.status_code


def export_job(business_key: str, conversation_id: str) -> int | None:
    """Job: deliver a finished conversation to the business's CRM once it accepts it."""
    runtime = job_runtime()
    business = runtime.directory.by_key(business_key)
    record = runtime.store.get(conversation_id)
    if business is None or record is None:
        return None
    if exported(runtime.store, business_key, conversation_id):
        return None
    try:
        url, secret = target(business)
        status = deliver(url, secret, record)
    except ExportError:
        give_up()
        raise
    mark_exported(runtime.store, business_key, conversation_id, iso(runtime.clock()) or "")
    event("export.delivered", log, business=business_key, conversation=conversation_id,
          status=status)
    return status


def enqueue_export(runtime: Runtime, business: Business, record: Record):
    """Queue the export of a finished conversation (once per conversation)."""
    return enqueue(runtime.redis, export_job, business.key, record["id"], queue_name=BULK,
                   retry=EXPORT_BACKOFF_S, unique_id=job_id("export", record["id"]),
                   meta={"business": business.key, "conversation": record["id"],
                         "what": "export"})


def export_effect(runtime: Runtime, business: Business, record: Record,
                  actions: list[Action]) -> Exported | None:
    """Effect: when a conversation ends and its business exports, queue the export.

    Returns `Exported` once queued, None otherwise; never raises."""
    if not business.export or not any(isinstance(a, End) for a in actions):
        return None
    try:
        enqueue_export(runtime, business, record)
    except Exception as exc:  # never into a caller's call
        event("export.enqueue_failed", log, logging.ERROR, business=business.key,
              conversation=record["id"], error=type(exc).__name__)
        return None
    return Exported(conversation=record["id"])


#: Columns of `ivr export --format csv` (nested fields flattened, the transcript as lines).
CSV_COLUMNS = ("id", "business", "channel", "caller", "started_at", "ended_at", "flow", "bucket",
               "route", "outcome", "slots", "escalation_reasons", "escalation_confidence",
               "transfer_agent", "time_to_human_s", "voicemail_transcript", "transcript")


def csv_row(record: Record) -> dict[str, Any]:
    """One record flattened for a spreadsheet or a CRM import (masked: `export_view`)."""
    record = export_view(record)
    escalation = record.get("escalation") or {}
    transfer = record.get("transfer") or {}
    voicemail = record.get("voicemail") or {}
    lines = [f"{t.get('role')}: {t.get('text')}" for t in record.get("transcript") or []]
    return {
        **{k: record.get(k) for k in CSV_COLUMNS[:10]},
        "slots": json.dumps(record.get("slots") or {}, sort_keys=True),
        "escalation_reasons": ";".join(escalation.get("reasons") or []),
        "escalation_confidence": escalation.get("confidence"),
        "transfer_agent": transfer.get("agent"),
        "time_to_human_s": transfer.get("time_to_human_s"),
        "voicemail_transcript": voicemail.get("transcript"),
        "transcript": "\n".join(lines),
    }


def _moment(text: str | None, name: str):
    if not text:
        return None
    try:
        return parse_iso(text.strip())
    except ValueError:
        raise ValueError(f"--{name}: '{text}' is not an ISO date or date-time "
                         "(e.g. 2026-11-01 or 2026-11-01T08:00:00Z)") from None


def finished(store, since, until) -> list[Record]:
    """Conversations that ended, started in [since, until), oldest first."""
    return [r for r in store.conversations(since=since, until=until) if r.get("ended_at")]


def write_export(records: list[Record], fmt: str, out) -> None:
    """Write records as `csv` (CSV_COLUMNS) or `jsonl` (one export_view per line)."""
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS))
        writer.writeheader()
        for record in records:
            writer.writerow(csv_row(record))
        return
    for record in records:
        out.write(json.dumps(export_view(record), sort_keys=True) + "\n")


def export_cli(settings, since: str | None, until: str | None, fmt: str,
               out: str | None = None) -> None:
    """`ivr export`: finished conversations in [since, until), CSV or JSON lines, to stdout
    or to `out` (a file created 0600: it holds customers' numbers and words)."""
    try:
        low, high = _moment(since, "since"), _moment(until, "until")
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    runtime = Runtime.build(ensure_redis(settings))
    records = finished(runtime.store, low, high)
    if out is None:
        write_export(records, fmt, sys.stdout)
        return
    with open_private(out, "w", encoding="utf-8", newline="") as handle:
        write_export(records, fmt, handle)
