"""Errors intake's callers can cause."""


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before for a different request."""
