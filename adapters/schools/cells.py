"""Reading one CSV row's cells: empty means not given; dates and Y/N flags in their formats."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from adapters.schools.results import FieldError

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_YES = frozenset({"y", "yes", "true"})
_NO = frozenset({"n", "no", "false"})

DATE_RULE = "a date as YYYY-MM-DD or DD/MM/YYYY, e.g. 2014-03-02"


def parse_date(value: str) -> date | str:
    """The date, or the rule it breaks."""
    iso, uk = _ISO_DATE.match(value), _UK_DATE.match(value)
    if iso is not None:
        year, month, day = (int(part) for part in iso.groups())
    elif uk is not None:
        day, month, year = (int(part) for part in uk.groups())
    else:
        return DATE_RULE
    try:
        return date(year, month, day)
    except ValueError:
        return f"not a real date: {DATE_RULE}"


class Cells:
    """One row by column name; format errors collect in ``errors``."""

    def __init__(self, cells: Mapping[str, str]) -> None:
        self._cells = cells
        self.errors: list[FieldError] = []

    def text(self, column: str) -> str | None:
        """The cell stripped of spaces and control characters; None when empty."""
        return _CONTROL.sub("", self._cells.get(column, "")).strip() or None

    def upper(self, column: str) -> str | None:
        value = self.text(column)
        return value.upper() if value else None

    def date(self, column: str) -> date | None:
        value = self.text(column)
        if value is None:
            return None
        parsed = parse_date(value)
        if isinstance(parsed, str):
            self.errors.append(FieldError(column, parsed))
            return None
        return parsed

    def flag(self, column: str) -> bool | None:
        value = self.text(column)
        if value is None:
            return None
        if value.lower() in _YES:
            return True
        if value.lower() in _NO:
            return False
        self.errors.append(FieldError(column, "Y or N"))
        return None

    def given(self) -> list[str]:
        return [column for column in self._cells if self.text(column)]
