"""Redis storage: the only package that knows Redis keys.

Conversations and records, idempotency claims, hunts, callback tasks, unanswered
questions, opt-outs, rate limits, the outage spool and the embedded redis-server."""
