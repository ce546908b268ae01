"""Errors the HTTP edge reports as ``{"errors": [{"field": ..., "rule": ...}]}``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    field: str
    rule: str


class RuleViolations(Exception):
    """One or more fields break a rule (422): the same shape as request validation errors."""

    def __init__(self, violations: Iterable[Violation], status_code: int = 422) -> None:
        self.violations = list(violations)
        self.status_code = status_code
        super().__init__("; ".join(f"{v.field}: {v.rule}" for v in self.violations))
