"""The wiring: the runtime built once, effects bound to their adapters, the CLI, serve and demo.

The only package that knows every other one."""
