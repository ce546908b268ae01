"""Bulk deletion and admission returns as CSV: the template a school or its MIS fills in.

One header row naming the columns (``CSV_COLUMNS``, any subset, any order; ``return_type`` is
required), then one return per row. UTF-8 (a byte order mark is fine), comma separated, RFC 4180
quoting. An empty cell means "not given". Each row is validated on its own: one bad row never
stops the others. A bad header, an oversize file or a file that is not UTF-8 CSV is rejected
whole, in ``header_errors``. See docs/schools.md.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from adapters.schools.csv_columns import CSV_COLUMNS
from adapters.schools.csv_rows import request_from_row
from adapters.schools.csv_template import template_csv
from adapters.schools.results import FieldError, RowResult

__all__ = [
    "CSV_COLUMNS",
    "MAX_BYTES",
    "MAX_ROWS",
    "CsvResult",
    "FieldError",
    "RowResult",
    "parse_returns_csv",
    "template_csv",
]

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
_KNOWN = frozenset(CSV_COLUMNS)


@dataclass(frozen=True)
class CsvResult:
    """Every data row's result, or (with no rows) why the whole file was rejected."""

    rows: list[RowResult] = field(default_factory=list)
    header_errors: list[str] = field(default_factory=list)


class _Rejected(Exception):
    def __init__(self, *problems: str) -> None:
        super().__init__(*problems)
        self.problems = list(problems)


def parse_returns_csv(data: bytes) -> CsvResult:
    """Parse a returns CSV into one result per non-blank data row (never raises)."""
    try:
        records = _records(data)
        header = _header(next(records, None))
        return CsvResult(rows=_rows(header, records))
    except _Rejected as rejected:
        return CsvResult(header_errors=rejected.problems)


def _records(data: bytes) -> Iterator[list[str]]:
    if len(data) > MAX_BYTES:
        raise _Rejected(
            f"the file is {len(data):,} bytes; the limit is {MAX_BYTES:,} bytes (5 MB): "
            "split it into smaller files"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _Rejected(
            f"not UTF-8 text (byte {data[exc.start]:#04x} at position {exc.start}): save the "
            "file as 'CSV UTF-8 (comma delimited)'"
        ) from None
    return _checked(csv.reader(io.StringIO(text, newline="")))


def _checked(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    try:
        yield from reader
    except csv.Error as exc:
        raise _Rejected(f"not a readable CSV file: {exc}") from None


def _header(record: list[str] | None) -> list[str]:
    if record is None:
        raise _Rejected(
            f"the file is empty: the first row must name the columns ({CSV_COLUMNS[0]}"
            ", upn, forenames, ...)"
        )
    names = [name.strip().lower() for name in record]
    problems = [*_unnamed(names), *_unknown(names), *_duplicated(names)]
    if "return_type" not in names:
        problems.append(
            "the header has no return_type column: it is required "
            "(deletion or admission on each row)"
        )
    if problems:
        raise _Rejected(*problems)
    return names


def _unnamed(names: list[str]) -> list[str]:
    return [
        f"column {_letter(index)} has no name in the header row"
        for index, name in enumerate(names)
        if not name
    ]


def _unknown(names: list[str]) -> list[str]:
    problems = []
    for index, name in enumerate(names):
        if name and name not in _KNOWN:
            close = difflib.get_close_matches(name, CSV_COLUMNS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(f"unknown column {name!r} in column {_letter(index)}{hint}")
    return problems


def _duplicated(names: list[str]) -> list[str]:
    counts = Counter(name for name in names if name)
    return [
        f"column {name!r} appears more than once (columns "
        f"{', '.join(_letter(i) for i, other in enumerate(names) if other == name)})"
        for name, count in counts.items()
        if count > 1
    ]


def _rows(header: list[str], records: Iterator[list[str]]) -> list[RowResult]:
    results: list[RowResult] = []
    for row, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(results) == MAX_ROWS:
            raise _Rejected(
                f"the file has more than {MAX_ROWS:,} data rows: split it into smaller files"
            )
        results.append(_row(row, header, record))
    return results


def _row(row: int, header: list[str], record: list[str]) -> RowResult:
    if any(cell.strip() for cell in record[len(header) :]):
        rule = f"has {len(record)} cells but the header names {len(header)} columns"
        return RowResult(row, None, [FieldError("row", rule)])
    return request_from_row(row, dict(zip(header, record, strict=False)))


def _letter(index: int) -> str:
    """Spreadsheet column letters: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
