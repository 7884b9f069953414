"""The format's limits (PLAN-FORMAT.md, "Limits"): the format's own, not settings."""

MAX_BYTES = 16 * 1024 * 1024  # a plan file's size
MAX_NODES = 2_000_000  # YAML nodes in one file
MAX_DEPTH = 64  # collections nested, the top-level mapping being depth 1
