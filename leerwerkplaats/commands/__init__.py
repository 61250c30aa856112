"""Click commands, one module per user flow; each exposes ``register(group)``."""
