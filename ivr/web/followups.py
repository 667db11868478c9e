"""The follow-up queue over HTTP: callbacks to make, marking them done, and failed jobs.

`GET /api/callbacks?business=&status=open|done` -> `{"callbacks": [...]}`;
`POST /api/callbacks/<id>/done` (optional JSON or form `by`, `note`) -> the task;
`GET /api/jobs/failed` -> `{"jobs": [...]}`. All need the API token (`api_auth`).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from ivr.jobs.queues import failed_jobs
from ivr.store.callbacks import STATUSES, list_callbacks, mark_done
from ivr.web.context import current_runtime
from ivr.web.security import api_auth

bp = Blueprint("followups", __name__)

#: Longest `by` / `note` kept on a task.
MAX_NOTE_CHARS = 500



def _business_key(runtime, text: str) -> str | None:
    found = runtime.directory.by_key(text) or next(
        (b for b in runtime.directory if b.name.lower() == text.lower()), None)
    return found.key if found else None


@bp.get("/api/callbacks")
@api_auth
def callbacks() -> tuple[dict[str, Any], int]:
    """Callback tasks, oldest first; `business` (name or key) and `status` filter them."""
    runtime = current_runtime()
    status = request.args.get("status", "open").strip().lower() or "open"
    if status not in STATUSES:
        return {"error": f"status: 'open' or 'done', not {status!r}"}, 400
    wanted = request.args.get("business", "").strip()
    key = None
    if wanted:
        key = _business_key(runtime, wanted)
        if key is None:
            names = ", ".join(sorted(b.name for b in runtime.directory))
            return {"error": f"business: no business named {wanted!r} (known: {names})"}, 400
    return {"callbacks": list_callbacks(runtime.store, key, status)}, 200  # type: ignore[arg-type]


def _field(payload: dict[str, Any], name: str) -> str | None:
    value = payload.get(name)
    if value is None:
        return None
    text = " ".join(str(value).split())[:MAX_NOTE_CHARS]
    return text or None


@bp.post("/api/callbacks/<callback_id>/done")
@api_auth
def done(callback_id: str) -> tuple[dict[str, Any], int]:
    """Mark a callback done (again is fine: the first marking is kept)."""
    runtime = current_runtime()
    payload = request.get_json(silent=True) if request.is_json else request.form.to_dict()
    if not isinstance(payload, dict):
        return {"error": "send a JSON object like {\"by\": \"Dana\", \"note\": \"...\"}"}, 400
    task = mark_done(runtime.store, callback_id, runtime.clock(), by=_field(payload, "by"),
                     note=_field(payload, "note"))
    if task is None:
        return {"error": f"no callback {callback_id!r}"}, 404
    return task, 200


@bp.get("/api/jobs/failed")
@api_auth
def jobs_failed() -> tuple[dict[str, Any], int]:
    """Background jobs that ran out of retries (newest first)."""
    return {"jobs": failed_jobs(current_runtime().redis)}, 200
