"""Bulk uploads at the HTTP edge: parse the file, or refuse it as a whole with the reasons."""

from __future__ import annotations

from datetime import date

from adapters.dfe.ctf import FILE_ROW, ctf_to_returns, parse_ctf
from adapters.schools.results import FieldError, RowResult
from adapters.schools.returns_csv import parse_returns_csv
from cmehub.errors import RuleViolations, Violation
from schemas.v1.common import DeletionGround


def parse_csv_upload(data: bytes) -> list[RowResult]:
    result = parse_returns_csv(data)
    if result.header_errors:
        _refuse([FieldError("header", problem) for problem in result.header_errors])
    return result.rows


def parse_ctf_upload(
    data: bytes,
    *,
    school_urn: str,
    ground: DeletionGround | None,
    deletion_date: date | None,
    admission_date: date | None,
    reasonable_enquiries_on: date | None,
) -> list[RowResult]:
    rows = ctf_to_returns(
        parse_ctf(data),
        school_urn=school_urn,
        ground=ground,
        deletion_date=deletion_date,
        admission_date=admission_date,
        reasonable_enquiries_on=reasonable_enquiries_on,
    )
    file_problems = [error for row in rows if row.row == FILE_ROW for error in row.errors]
    if file_problems:
        _refuse(file_problems)
    return rows


def _refuse(problems: list[FieldError]) -> None:
    raise RuleViolations(Violation(p.field, p.rule) for p in problems)
