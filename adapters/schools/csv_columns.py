"""The bulk returns CSV template: every column, what it means, its format and when it is needed.

docs/schools.md shows ``columns_markdown()``; a test keeps the two the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ReturnType(StrEnum):
    DELETION = "deletion"
    ADMISSION = "admission"


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    format: str
    required: str
    only_for: ReturnType | None = None


_DATE = "date: YYYY-MM-DD (DD/MM/YYYY also accepted)"
_YES_NO = "Y or N"
_POSTCODE = "UK postcode, e.g. CW1 2BJ"
_TEXT = "text, up to 100 characters"
_LINE = "text, up to 200 characters"
_URN = "6 digits"
_ALWAYS = "yes"
_NO = "no"
_DEL = ReturnType.DELETION
_ADM = ReturnType.ADMISSION


def _parent(n: int) -> tuple[Column, ...]:
    who = f"parent or carer {n}"
    given = f"if any parent_{n} column is given"
    return (
        Column(f"parent_{n}_forenames", f"Forename(s) of {who}", _TEXT, given),
        Column(f"parent_{n}_surname", f"Surname of {who}", _TEXT, given),
        Column(f"parent_{n}_relationship", "Relationship to the pupil", "text, e.g. mother", given),
        Column(
            f"parent_{n}_phone",
            "Emergency telephone number",
            "digits, spaces, + ( ) -",
            "deletion: reg 13(4) asks for one (a warning if missing)",
        ),
        Column(
            f"parent_{n}_lives_with_pupil",
            "Whether the pupil normally lives with them",
            _YES_NO,
            given,
        ),
        Column(f"parent_{n}_email", "Email address", "name@example.org", _NO),
        Column(
            f"parent_{n}_address_line_1",
            "First line of their address, if different from the pupil's",
            _LINE,
            f"if parent_{n}_postcode is given",
        ),
        Column(f"parent_{n}_postcode", "Postcode of that address", _POSTCODE, _NO),
    )


def _address(prefix: str, whose: str, only_for: ReturnType | None = None) -> tuple[Column, ...]:
    lines = tuple(
        Column(
            f"{prefix}address_line_{n}",
            f"{whose} address, line {n}",
            _LINE,
            "if any other address column is given" if n == 1 else _NO,
            only_for,
        )
        for n in (1, 2, 3)
    )
    return (
        *lines,
        Column(f"{prefix}town", f"{whose} post town", _LINE, _NO, only_for),
        Column(f"{prefix}postcode", f"{whose} postcode", _POSTCODE, _NO, only_for),
    )


COLUMNS: tuple[Column, ...] = (
    Column("return_type", "Which return the row is", "deletion or admission", _ALWAYS),
    Column("upn", "Unique pupil number", "13 characters, e.g. B801200005001", _NO),
    Column("forenames", "Pupil's legal forename(s)", _TEXT, _ALWAYS),
    Column("middle_names", "Pupil's middle name(s)", _TEXT, _NO),
    Column("surname", "Pupil's legal surname", _TEXT, _ALWAYS),
    Column("preferred_forename", "Forename the pupil is known by", _TEXT, _NO),
    Column("preferred_surname", "Surname the pupil is known by", _TEXT, _NO),
    Column("former_surname", "Pupil's previous surname", _TEXT, _NO),
    Column("date_of_birth", "Pupil's date of birth", _DATE, _ALWAYS),
    Column("gender", "Gender as recorded", "M, F or U (not known); empty means U", _NO),
    *_address("", "Pupil's home"),
    *_parent(1),
    *_parent(2),
    Column("ground", "reg 9(1) ground for the deletion", "one letter, a to o", "deletion", _DEL),
    Column("deletion_date", "Date the name is (or was) deleted", _DATE, "deletion", _DEL),
    Column("last_attendance_date", "Last day the pupil attended", _DATE, _NO, _DEL),
    Column(
        "reasonable_enquiries_on",
        "Date the school and LA completed reasonable enquiries",
        _DATE,
        "deletion on ground h or i",
        _DEL,
    ),
    Column(
        "destination_school_urn",
        "URN of the school the pupil is going to",
        _URN,
        "deletion on ground a: the URN or the name",
        _DEL,
    ),
    Column(
        "destination_school_name",
        "Name of that school",
        _LINE,
        "deletion on ground a: the URN or the name",
        _DEL,
    ),
    Column("destination_start_date", "When the pupil starts there", _DATE, _NO, _DEL),
    *_address("future_", "Future", _DEL),
    Column(
        "future_address_from",
        "Date from which the pupil lives at the future address",
        _DATE,
        _NO,
        _DEL,
    ),
    Column(
        "senior_year_leaver",
        "Leaving the most senior year at the end of the school year",
        "Y or N; empty means N",
        _NO,
        _DEL,
    ),
    Column("admission_date", "First day on roll", _DATE, "admission", _ADM),
    Column("previous_school_urn", "URN of the school the pupil last attended", _URN, _NO, _ADM),
    Column("previous_school_name", "Name of that school", _LINE, _NO, _ADM),
)

CSV_COLUMNS: tuple[str, ...] = tuple(column.name for column in COLUMNS)
"""Every column of the template, in template order."""

COLUMNS_ONLY_FOR: dict[str, ReturnType] = {
    column.name: column.only_for for column in COLUMNS if column.only_for is not None
}


def columns_markdown() -> str:
    """The column table of docs/schools.md."""
    rows = [
        "| column | meaning | format | required | return |",
        "|---|---|---|---|---|",
    ]
    for column in COLUMNS:
        used_in = column.only_for.value if column.only_for else "both"
        rows.append(
            f"| `{column.name}` | {column.meaning} | {column.format} | {column.required} "
            f"| {used_in} |"
        )
    return "\n".join(rows) + "\n"
