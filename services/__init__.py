"""The hub's six services."""
