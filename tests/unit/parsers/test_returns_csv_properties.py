"""Properties of the returns CSV parser: it never raises, and valid rows round-trip."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.schools.returns_csv import CSV_COLUMNS, CsvResult, parse_returns_csv
from schemas.v1.common import GROUNDS_NEEDING_ENQUIRIES, DeletionGround
from services.intake.requests import DeletionReturn
from tests.unit.parsers.support import CHECK_LETTERS, csv_bytes, with_check_letter

LA_CODES = ["201", "330", "801", "873", "895", "896", "926", "938"]
POSTCODES = ["CW1 2BJ", "CW2 7HJ", "SW1A 1AA", "M1 1AE", "B33 8TH", "CH1 3AB"]
names = st.text(st.characters(categories=["L"]), min_size=1, max_size=40)
upns = st.builds(
    lambda la, rest: with_check_letter(la + rest),
    st.sampled_from(LA_CODES),
    st.text("0123456789", min_size=9, max_size=9),
)


def written(day: date, style: str) -> str:
    return day.isoformat() if style == "iso" else day.strftime("%d/%m/%Y")


@st.composite
def deletion_rows(draw: st.DrawFn) -> dict[str, str]:
    born = draw(st.dates(date(2000, 1, 1), date(2025, 1, 1)))
    deleted = born + timedelta(days=draw(st.integers(0, 6000)))
    style = draw(st.sampled_from(["iso", "uk"]))
    ground = draw(st.sampled_from(list(DeletionGround)))
    row = {
        "return_type": "deletion",
        "upn": draw(upns),
        "forenames": draw(names),
        "surname": draw(names),
        "middle_names": draw(st.one_of(st.just(""), names)),
        "date_of_birth": written(born, style),
        "gender": draw(st.sampled_from(["M", "F", "U", ""])),
        "address_line_1": draw(names),
        "postcode": draw(st.sampled_from(POSTCODES)),
        "ground": ground.value,
        "deletion_date": written(deleted, style),
    }
    if ground is DeletionGround.REGISTERED_AT_ANOTHER_SCHOOL:
        row["destination_school_urn"] = draw(st.text("0123456789", min_size=6, max_size=6))
    if ground in GROUNDS_NEEDING_ENQUIRIES:
        row["reasonable_enquiries_on"] = written(deleted, style)
    return row


def text_csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def consistent(result: CsvResult) -> None:
    assert not (result.header_errors and result.rows)
    for row in result.rows:
        assert (row.request is None) == bool(row.errors)
        assert row.row >= 2
        assert all(error.field and error.rule for error in row.errors)


@given(st.binary(max_size=2_000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    consistent(parse_returns_csv(data))


@given(
    st.lists(st.sampled_from(CSV_COLUMNS[1:]), unique=True, max_size=12),
    st.lists(st.lists(st.text(max_size=30), max_size=14), max_size=6),
    st.sampled_from(["deletion", "admission", "", "other"]),
)
@settings(max_examples=200)
def test_arbitrary_text_rows_never_raise(
    columns: list[str], rows: list[list[str]], kind: str
) -> None:
    result = parse_returns_csv(text_csv(["return_type", *columns], [[kind, *r] for r in rows]))
    consistent(result)
    assert result.header_errors == []
    assert [r.row for r in result.rows] == sorted({r.row for r in result.rows})


@given(deletion_rows())
@settings(max_examples=150)
def test_a_valid_generated_row_round_trips(row: dict[str, str]) -> None:
    [result] = parse_returns_csv(csv_bytes([row], header=CSV_COLUMNS)).rows
    request = result.request
    assert result.errors == []
    assert isinstance(request, DeletionReturn)
    pupil = request.pupil
    assert pupil.upn == row["upn"]
    assert (pupil.name.forenames, pupil.name.surname) == (row["forenames"], row["surname"])
    assert pupil.name.middle_names == (row["middle_names"] or None)
    assert pupil.date_of_birth.isoformat() == _iso(row["date_of_birth"])
    assert pupil.gender.value == (row["gender"] or "U")
    assert pupil.address is not None
    assert pupil.address.lines == (row["address_line_1"],)
    assert pupil.address.postcode == row["postcode"]
    assert request.ground.value == row["ground"]
    assert request.deletion_date.isoformat() == _iso(row["deletion_date"])


@given(deletion_rows(), st.sampled_from(CHECK_LETTERS))
def test_a_wrong_check_letter_is_named_on_the_upn_column(row: dict[str, str], letter: str) -> None:
    if letter == row["upn"][0]:
        return
    [result] = parse_returns_csv(csv_bytes([{**row, "upn": letter + row["upn"][1:]}])).rows
    assert [e.field for e in result.errors] == ["upn"]
    assert "check letter" in result.errors[0].rule


def _iso(value: str) -> str:
    if "/" not in value:
        return value
    day, month, year = value.split("/")
    return f"{year}-{month}-{day}"
