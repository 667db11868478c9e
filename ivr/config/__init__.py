"""Settings from the environment, businesses, staff and on-call, and config checks."""
