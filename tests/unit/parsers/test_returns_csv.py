"""The returns CSV: each row judged on its own, errors named by column, whole-file rejections."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.schools.returns_csv import (
    CSV_COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    FieldError,
    RowResult,
    parse_returns_csv,
    template_csv,
)
from schemas.v1.common import DeletionGround, Gender
from services.intake.requests import AdmissionReturn, DeletionReturn
from tests.unit.parsers.support import ADMISSION, DELETION, csv_bytes


def only_row(rows: list[dict[str, str]] | dict[str, str]) -> RowResult:
    result = parse_returns_csv(csv_bytes(rows if isinstance(rows, list) else [rows]))
    assert result.header_errors == []
    assert len(result.rows) == 1
    return result.rows[0]


def errors_of(row: dict[str, str]) -> list[FieldError]:
    result = only_row(row)
    assert result.request is None
    return result.errors


def test_a_deletion_row_becomes_a_deletion_return() -> None:
    result = only_row(DELETION)
    request = result.request
    assert isinstance(request, DeletionReturn)
    assert result.errors == []
    assert result.row == 2
    assert request.pupil.upn == "B801200005001"
    assert request.pupil.name.forenames == "Amelia"
    assert request.pupil.date_of_birth == date(2014, 3, 2)
    assert request.pupil.gender is Gender.FEMALE
    assert request.pupil.address is not None
    assert request.pupil.address.lines == ("12 Market Street",)
    assert request.pupil.address.postcode == "CW1 2BJ"
    assert request.ground is DeletionGround.ELECTIVE_HOME_EDUCATION
    assert request.deletion_date == date(2025, 3, 14)
    [parent] = request.parents
    assert (parent.name.surname, parent.relationship) == ("Smith", "mother")
    assert parent.emergency_phones == ("07700 900123",)
    assert parent.lives_with_pupil is True


def test_an_admission_row_becomes_an_admission_return() -> None:
    result = only_row(ADMISSION)
    request = result.request
    assert isinstance(request, AdmissionReturn)
    assert request.admission_date == date(2025, 4, 22)
    assert request.previous_school is not None
    assert request.previous_school.urn == "100001"
    assert request.pupil.gender is Gender.NOT_KNOWN


def test_a_row_with_every_deletion_column_fills_every_field() -> None:
    row = {
        **DELETION,
        "middle_names": "Rose",
        "preferred_forename": "Millie",
        "preferred_surname": "Smyth",
        "former_surname": "Jones",
        "address_line_2": "Flat 3",
        "address_line_3": "Hightown",
        "parent_1_email": "sarah@example.org",
        "parent_1_address_line_1": "1 Mill Street",
        "parent_1_postcode": "CW2 7AQ",
        "parent_2_forenames": "Tom",
        "parent_2_surname": "Smith",
        "parent_2_relationship": "father",
        "parent_2_phone": "01632 960001",
        "parent_2_lives_with_pupil": "N",
        "ground": "a",
        "last_attendance_date": "2025-03-07",
        "destination_school_urn": "100001",
        "destination_school_name": "Wistaston Primary",
        "destination_start_date": "2025-03-17",
        "future_address_line_1": "9 New Road",
        "future_town": "Nantwich",
        "future_postcode": "CW5 5AA",
        "future_address_from": "2025-03-15",
        "senior_year_leaver": "N",
    }
    request = only_row(row).request
    assert isinstance(request, DeletionReturn)
    assert request.pupil.name.preferred_forename == "Millie"
    assert request.pupil.address is not None
    assert request.pupil.address.lines == ("12 Market Street", "Flat 3", "Hightown")
    assert [p.lives_with_pupil for p in request.parents] == [True, False]
    assert request.parents[0].address is not None
    assert request.parents[0].address.lines == ("1 Mill Street",)
    assert request.destination_school is not None
    assert request.destination_school.name == "Wistaston Primary"
    assert request.future_address is not None
    assert request.future_address.town == "Nantwich"
    assert request.future_address_from == date(2025, 3, 15)
    assert request.senior_year_leaver is False


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2014-03-02", date(2014, 3, 2)),
        ("02/03/2014", date(2014, 3, 2)),
        ("2/3/2014", date(2014, 3, 2)),
        (" 2014-03-02 ", date(2014, 3, 2)),
    ],
)
def test_dates_are_read_as_iso_or_day_month_year(written: str, expected: date) -> None:
    request = only_row({**DELETION, "date_of_birth": written}).request
    assert request is not None
    assert request.pupil.date_of_birth == expected


@pytest.mark.parametrize(
    "written",
    [
        "2014/03/02",
        "03-02-2014",
        "2014-3-2",
        "02.03.2014",
        "2 March 2014",
        "tomorrow",
        "31/02/2014",
        "2014-13-01",
        "20140302",
    ],
)
def test_other_date_formats_are_rejected_naming_the_column(written: str) -> None:
    [error] = errors_of({**DELETION, "date_of_birth": written})
    assert error.field == "date_of_birth"
    assert "YYYY-MM-DD" in error.rule


def test_a_future_date_of_birth_is_left_to_the_api_date_rule() -> None:
    result = only_row({**DELETION, "date_of_birth": "2099-01-01", "deletion_date": "2099-02-01"})
    assert result.request is not None


def test_a_wrong_upn_check_letter_names_the_upn_column() -> None:
    [error] = errors_of({**DELETION, "upn": "A801200005001"})
    assert error.field == "upn"
    assert "check letter" in error.rule


def test_ground_a_without_a_destination_names_the_destination_urn_column() -> None:
    [error] = errors_of({**DELETION, "ground": "a"})
    assert error.field == "destination_school_urn"
    assert "required for ground 'a'" in error.rule


def test_ground_i_without_enquiries_names_that_column() -> None:
    [error] = errors_of({**DELETION, "ground": "i"})
    assert error.field == "reasonable_enquiries_on"
    assert "ground 'i'" in error.rule


@pytest.mark.parametrize(
    ("change", "field", "rule_part"),
    [
        ({"ground": "z"}, "ground", "a to o"),
        ({"ground": ""}, "ground", "required"),
        ({"gender": "X"}, "gender", "'M', 'F' or 'U'"),
        ({"postcode": "NOT A CODE"}, "postcode", "postcode"),
        ({"address_line_1": ""}, "address_line_1", "other part of the address"),
        ({"forenames": ""}, "forenames", "required"),
        ({"surname": "x" * 101}, "surname", "100 characters"),
        ({"parent_1_phone": "12"}, "parent_1_phone", "7 digits"),
        ({"parent_1_lives_with_pupil": "maybe"}, "parent_1_lives_with_pupil", "Y or N"),
        ({"parent_1_relationship": ""}, "parent_1_relationship", "required"),
        ({"parent_1_email": "not-an-email"}, "parent_1_email", "email address"),
        ({"last_attendance_date": "2025-04-01"}, "last_attendance_date", "after deletion_date"),
        ({"destination_school_urn": "12345"}, "destination_school_urn", "6 digits"),
        ({"senior_year_leaver": "perhaps"}, "senior_year_leaver", "Y or N"),
        ({"deletion_date": "2010-01-01"}, "date_of_birth", "before deletion_date"),
        ({"admission_date": "2025-04-22"}, "admission_date", "not used in a deletion return"),
        ({"return_type": "leaver"}, "return_type", "deletion or admission"),
        ({"return_type": ""}, "return_type", "required"),
    ],
)
def test_each_broken_rule_names_the_column_and_the_rule(
    change: dict[str, str], field: str, rule_part: str
) -> None:
    errors = errors_of({**DELETION, **change})
    assert [e.field for e in errors] == [field]
    assert rule_part in errors[0].rule


def test_deletion_columns_in_an_admission_row_are_reported() -> None:
    errors = errors_of({**ADMISSION, "ground": "a"})
    assert errors == [FieldError("ground", "not used in an admission return: leave it empty")]


def test_codes_and_flags_are_read_in_any_case() -> None:
    request = only_row(
        {
            **DELETION,
            "return_type": "Deletion",
            "ground": "F",
            "gender": "f",
            "parent_1_lives_with_pupil": "yes",
            "upn": "b801200005001",
        }
    ).request
    assert isinstance(request, DeletionReturn)
    assert request.ground is DeletionGround.ELECTIVE_HOME_EDUCATION
    assert request.pupil.gender is Gender.FEMALE


def test_one_bad_row_of_three_does_not_stop_the_others() -> None:
    bad = {**DELETION, "upn": "A801200005001"}
    result = parse_returns_csv(csv_bytes([DELETION, bad, ADMISSION]))
    assert [r.row for r in result.rows] == [2, 3, 4]
    assert [r.request is not None for r in result.rows] == [True, False, True]
    assert [e.field for e in result.rows[1].errors] == ["upn"]


def test_blank_rows_are_skipped_but_rows_keep_their_spreadsheet_numbers() -> None:
    data = csv_bytes([DELETION, {}, {}, DELETION], header=list(DELETION))
    result = parse_returns_csv(data + b"\r\n,,,\r\n")
    assert [r.row for r in result.rows] == [2, 5]
    assert all(r.request is not None for r in result.rows)


def test_quoted_cells_keep_commas_quotes_and_line_breaks() -> None:
    row = {**DELETION, "address_line_1": 'Flat 1, "The Maltings"', "surname": "O'Brien-Smith"}
    data = csv_bytes([row, ADMISSION])
    result = parse_returns_csv(data)
    request = result.rows[0].request
    assert request is not None
    assert request.pupil.address is not None
    assert request.pupil.address.lines == ('Flat 1, "The Maltings"',)
    assert request.pupil.name.surname == "O'Brien-Smith"


def test_a_byte_order_mark_and_crlf_lines_are_accepted() -> None:
    result = parse_returns_csv(b"\xef\xbb\xbf" + csv_bytes([DELETION]))
    assert result.header_errors == []
    assert result.rows[0].request is not None


def test_columns_may_come_in_any_order_and_case() -> None:
    header = [" Surname", "RETURN_TYPE", "forenames", "date_of_birth", "ground", "deletion_date"]
    data = "\r\n".join([",".join(header), "Smith,deletion,Amelia,2014-03-02,f,2025-03-14"])
    [row] = parse_returns_csv(data.encode()).rows
    assert row.request is not None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "return_type,upn,surnam",
            ["unknown column 'surnam' in column C (did you mean 'surname'?)"],
        ),
        (
            "upn,surname",
            [
                "the header has no return_type column: it is required "
                "(deletion or admission on each row)"
            ],
        ),
        ("return_type,upn,upn", ["column 'upn' appears more than once (columns B, C)"]),
        ("return_type,,upn", ["column B has no name in the header row"]),
    ],
)
def test_a_wrong_header_rejects_the_whole_file_naming_the_columns(
    header: str, expected: list[str]
) -> None:
    result = parse_returns_csv(f"{header}\r\ndeletion,B801200005001,Smith\r\n".encode())
    assert result.rows == []
    assert result.header_errors == expected


@pytest.mark.parametrize(
    ("data", "part"),
    [
        (b"", "the file is empty"),
        ("return_type,forenames\r\nadmission,Zo\xeb\r\n".encode("cp1252"), "not UTF-8"),
        (b"return_type\r\n" + b"x" * MAX_BYTES, "the limit is 5,242,880 bytes"),
    ],
)
def test_files_that_are_not_usable_csv_are_rejected_whole(data: bytes, part: str) -> None:
    result = parse_returns_csv(data)
    assert result.rows == []
    assert len(result.header_errors) == 1
    assert part in result.header_errors[0]


def test_more_rows_than_the_limit_rejects_the_file() -> None:
    line = b"deletion\r\n"
    result = parse_returns_csv(b"return_type\r\n" + line * (MAX_ROWS + 1))
    assert result.rows == []
    assert result.header_errors == [
        "the file has more than 5,000 data rows: split it into smaller files"
    ]
    assert len(parse_returns_csv(b"return_type\r\n" + line * MAX_ROWS).rows) == MAX_ROWS


def test_a_row_longer_than_the_header_is_rejected() -> None:
    data = csv_bytes([DELETION]).rstrip(b"\r\n") + b",surplus\r\n"
    [row] = parse_returns_csv(data).rows
    assert row.request is None
    assert row.errors[0].field == "row"
    assert "header names" in row.errors[0].rule


def test_control_characters_in_cells_are_dropped() -> None:
    request = only_row({**DELETION, "forenames": "Ame\x00lia\x07"}).request
    assert request is not None
    assert request.pupil.name.forenames == "Amelia"


def test_the_template_lists_every_column_and_parses_cleanly() -> None:
    text = template_csv()
    assert text.splitlines()[0].split(",") == list(CSV_COLUMNS)
    result = parse_returns_csv(text.encode())
    assert [type(r.request) for r in result.rows] == [DeletionReturn, AdmissionReturn]
    assert all(r.errors == [] for r in result.rows)
