"""The returns CSV template: the header and one example row of each return type."""

from __future__ import annotations

import csv
import io

from adapters.schools.csv_columns import CSV_COLUMNS

_PUPIL_AND_PARENT = {
    "address_line_1": "12 Market Street",
    "town": "Crewe",
    "postcode": "CW1 2BJ",
    "parent_1_relationship": "mother",
    "parent_1_lives_with_pupil": "Y",
}

EXAMPLE_ROWS: tuple[dict[str, str], ...] = (
    {
        **_PUPIL_AND_PARENT,
        "return_type": "deletion",
        "upn": "B801200005001",
        "forenames": "Amelia",
        "surname": "Smith",
        "date_of_birth": "2014-03-02",
        "gender": "F",
        "parent_1_forenames": "Sarah",
        "parent_1_surname": "Smith",
        "parent_1_phone": "07700 900123",
        "ground": "i",
        "deletion_date": "2025-03-14",
        "last_attendance_date": "2025-02-07",
        "reasonable_enquiries_on": "2025-03-12",
    },
    {
        **_PUPIL_AND_PARENT,
        "return_type": "admission",
        "upn": "X895200014001",
        "forenames": "Oliver",
        "surname": "Jones",
        "date_of_birth": "2015-11-20",
        "gender": "M",
        "address_line_1": "3 Nantwich Road",
        "postcode": "CW2 6AA",
        "parent_1_forenames": "Emma",
        "parent_1_surname": "Jones",
        "parent_1_phone": "07700 900456",
        "admission_date": "2025-04-22",
        "previous_school_urn": "100001",
        "previous_school_name": "Wistaston Primary School",
    },
)
"""The template's example rows, by column (columns not named are empty)."""


def template_csv() -> str:
    """The header line and one example row of each return type, as CSV text (CRLF lines)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, restval="")
    writer.writeheader()
    writer.writerows(EXAMPLE_ROWS)
    return out.getvalue()
