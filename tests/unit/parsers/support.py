"""Helpers for the parser tests: valid UPNs, CSV files and CTF files built from parts."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"
CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def with_check_letter(body: str) -> str:
    """DOMAIN.md: characters 2-13 times their position (2..13), summed, mod 23, as a letter."""
    total = sum(position * int(char) for position, char in enumerate(body, start=2))
    return CHECK_LETTERS[total % 23] + body


def csv_bytes(rows: Sequence[Mapping[str, str]], header: Sequence[str] | None = None) -> bytes:
    """A CSV file whose header is ``header`` (default: every column used by ``rows``)."""
    columns = (
        list(header)
        if header is not None
        else list(dict.fromkeys(column for row in rows for column in row))
    )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


DELETION: dict[str, str] = {
    "return_type": "deletion",
    "upn": "B801200005001",
    "forenames": "Amelia",
    "surname": "Smith",
    "date_of_birth": "2014-03-02",
    "gender": "F",
    "address_line_1": "12 Market Street",
    "town": "Crewe",
    "postcode": "CW1 2BJ",
    "parent_1_forenames": "Sarah",
    "parent_1_surname": "Smith",
    "parent_1_relationship": "mother",
    "parent_1_phone": "07700 900123",
    "parent_1_lives_with_pupil": "Y",
    "ground": "f",
    "deletion_date": "2025-03-14",
}
"""A valid deletion row (ground f: elective home education)."""

ADMISSION: dict[str, str] = {
    "return_type": "admission",
    "upn": "X895200014001",
    "forenames": "Oliver",
    "surname": "Jones",
    "date_of_birth": "2015-11-20",
    "admission_date": "2025-04-22",
    "previous_school_urn": "100001",
}
"""A valid admission row."""


def ctf(pupils: str, *, source: str = "", dest: str = "", header_extra: str = "") -> bytes:
    """A CTF with the given pupils; ``source``/``dest`` are the SourceSchool/DestSchool XML."""
    source = source or (
        "<LEA>895</LEA><Estab>2000</Estab><URN>100000</URN>"
        "<SchoolName>Market Street Primary School</SchoolName>"
    )
    dest = dest or "<LEA>895</LEA><Estab>2001</Estab><URN>100001</URN>"
    return (
        '<?xml version="1.0" encoding="UTF-8"?><CTfile><Header>'
        "<DocumentName>Common Transfer File</DocumentName><CTFversion>24.0</CTFversion>"
        f"{header_extra}<SourceSchool>{source}</SourceSchool><DestSchool>{dest}</DestSchool>"
        f"</Header><CTFpupilData>{pupils}</CTFpupilData></CTfile>"
    ).encode()


def ctf_pupil(
    *,
    upn: str = "B801200005001",
    extra: str = "",
    dob: str = "2014-03-02",
    forename: str = "Amelia",
    surname: str = "Smith",
) -> str:
    return (
        f"<Pupil><UPN>{upn}</UPN><Surname>{surname}</Surname><Forename>{forename}</Forename>"
        f"<DOB>{dob}</DOB><Gender>F</Gender>{extra}</Pupil>"
    )
