"""What a bulk parser says about each record: the request it made, or the errors in it.

Errors name the sender's own field (a CSV column, a CTF element), never the internal model path,
so a school can find and fix the cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from services.intake.requests import AdmissionReturn, DeletionReturn

FILE_ROW = 0
"""The ``row`` of a result about the whole file rather than one of its records."""


@dataclass(frozen=True)
class FieldError:
    """One broken rule: the sender's field name and the rule, in words."""

    field: str
    rule: str

    def __str__(self) -> str:
        return f"{self.field}: {self.rule}"


@dataclass(frozen=True)
class RowResult:
    """One record of a bulk file: a request ready for intake, or the errors that stop it.

    ``row`` is the spreadsheet row number for a CSV (the header is row 1), the pupil's position
    for a CTF (1-based), and ``FILE_ROW`` (0) for an error about the whole file.
    """

    row: int
    request: DeletionReturn | AdmissionReturn | None
    errors: list[FieldError] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.request is not None and not self.errors
