"""Exponential back-off, shared by everything in the hub that tries again later."""

from __future__ import annotations


def backoff_s(failures: int, initial_s: float, cap_s: float) -> float:
    """Seconds to wait after the ``failures``-th failure in a row: ``initial_s`` after the
    first, doubling each time, never more than ``cap_s``."""
    return float(min(initial_s * 2 ** max(failures - 1, 0), cap_s))
