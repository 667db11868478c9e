"""Background work on rq: queues, enqueue helpers, the worker and retention."""
