"""Redis storage: the only package that knows Redis keys and speaks Redis commands.

One module per family of keys, each taking the `Store` (its connection) explicitly:
conversations and records, idempotency claims and effects done once, hunts, callback tasks,
unanswered questions, opt-outs, rate limits, dashboard sessions, kept webhook replies, shared
whisper audio, exports, content dates and retention bookkeeping; beside them
the outage spool, private files and the embedded redis-server. docs/architecture.md's
"Redis keys" table names the module of each family."""
