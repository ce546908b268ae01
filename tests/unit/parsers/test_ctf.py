"""Common Transfer Files: read safely, pupil by pupil, and made into the school's returns."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.dfe.ctf import (
    FILE_ROW,
    CtfFile,
    FieldError,
    RowResult,
    ctf_to_returns,
    parse_ctf,
)
from schemas.v1.common import DeletionGround
from services.intake.requests import AdmissionReturn, DeletionReturn
from tests.unit.parsers.support import EXAMPLES, ctf, ctf_pupil

DELETED = date(2025, 3, 14)
ADMITTED = date(2025, 4, 22)
LOST = "<LEA>XXX</LEA><Estab>XXXX</Estab>"


def convert(
    data: bytes | CtfFile,
    *,
    ground: DeletionGround | None = None,
    deletion_date: date | None = DELETED,
    admission_date: date | None = None,
    reasonable_enquiries_on: date | None = None,
) -> list[RowResult]:
    parsed = data if isinstance(data, CtfFile) else parse_ctf(data)
    return ctf_to_returns(
        parsed,
        school_urn="100000",
        ground=ground,
        deletion_date=deletion_date,
        admission_date=admission_date,
        reasonable_enquiries_on=reasonable_enquiries_on,
    )


def returns(results: list[RowResult]) -> list[DeletionReturn | AdmissionReturn]:
    assert [r.errors for r in results] == [[] for _ in results]
    return [r.request for r in results if r.request is not None]


def file_errors(results: list[RowResult]) -> list[FieldError]:
    [result] = results
    assert result.row == FILE_ROW
    assert result.request is None
    return result.errors


def test_the_example_leavers_file_gives_three_deletion_returns() -> None:
    parsed = parse_ctf((EXAMPLES / "leavers.ctf.xml").read_bytes())
    assert parsed.errors == []
    assert parsed.header.source.urn == "100000"
    assert parsed.header.dest.urn == "100001"
    assert parsed.header.ctf_version == "24.0"
    requests = returns(convert(parsed))
    assert [type(r) for r in requests] == [DeletionReturn] * 3
    first, second, third = requests
    assert isinstance(first, DeletionReturn)
    assert first.ground is DeletionGround.REGISTERED_AT_ANOTHER_SCHOOL
    assert first.destination_school is not None
    assert (first.destination_school.urn, first.destination_school.la_code) == ("100001", "895")
    assert first.pupil.address is not None
    assert first.pupil.address.lines == ("27 Edleston Road",)
    assert first.parents[0].email == "laura.taylor@example.org"
    assert second.pupil.name.middle_names == "Grace"
    assert second.pupil.address is not None
    assert second.pupil.address.lines == ("Flat 2", "Rose Court", "Mill Street")
    assert [p.relationship for p in second.parents] == ["parent"]
    assert [p.lives_with_pupil for p in third.parents] == [True, False]
    assert third.parents[1].address is not None
    assert third.parents[1].address.postcode == "CW1 2JE"


def test_the_example_joiners_file_gives_admission_returns() -> None:
    joiners = (EXAMPLES / "joiners.ctf.xml").read_bytes()
    requests = returns(convert(joiners, deletion_date=None, admission_date=ADMITTED))
    assert [type(r) for r in requests] == [AdmissionReturn] * 2
    first = requests[0]
    assert isinstance(first, AdmissionReturn)
    assert first.admission_date == date(2025, 4, 22)
    assert first.previous_school is not None
    assert first.previous_school.urn == "100002"
    assert first.previous_school.name == "Northgate Primary School"
    assert first.previous_school.la_code == "896"


def test_a_lost_pupil_file_needs_the_ground() -> None:
    data = ctf(ctf_pupil(), dest=LOST)
    assert file_errors(convert(data)) == [
        FieldError(
            "ground",
            "this CTF's destination is unknown (XXX); say why the pupils were deleted "
            "(reg 9(1) ground)",
        )
    ]


def test_a_lost_pupil_file_with_its_ground_gives_returns_with_no_destination() -> None:
    [request] = returns(
        convert(
            ctf(ctf_pupil(), dest=LOST),
            ground=DeletionGround.CONTINUOUSLY_ABSENT,
            reasonable_enquiries_on=date(2025, 3, 12),
        )
    )
    assert isinstance(request, DeletionReturn)
    assert request.ground is DeletionGround.CONTINUOUSLY_ABSENT
    assert request.destination_school is None


def test_ground_a_for_an_unknown_destination_names_dest_school() -> None:
    [result] = convert(
        ctf(ctf_pupil(), dest=LOST), ground=DeletionGround.REGISTERED_AT_ANOTHER_SCHOOL
    )
    assert result.row == 1
    assert [e.field for e in result.errors] == ["DestSchool"]


def test_leavers_need_a_deletion_date_and_joiners_an_admission_date() -> None:
    assert [e.field for e in file_errors(convert(ctf(ctf_pupil()), deletion_date=None))] == [
        "deletion_date"
    ]
    to_school = ctf(
        ctf_pupil(),
        source="<LEA>896</LEA><URN>100002</URN>",
        dest="<LEA>895</LEA><URN>100000</URN>",
    )
    assert [e.field for e in file_errors(convert(to_school, deletion_date=None))] == [
        "admission_date"
    ]
    assert returns(convert(to_school, admission_date=ADMITTED))


def test_a_file_neither_from_nor_to_the_school_is_refused() -> None:
    data = ctf(ctf_pupil(), source="<URN>100005</URN>", dest="<URN>100006</URN>")
    assert file_errors(convert(data)) == [
        FieldError(
            "Header",
            "this CTF is neither from nor to school URN 100000 (SourceSchool URN 100005, "
            "DestSchool URN 100006)",
        )
    ]


def test_a_file_with_no_pupils_is_refused() -> None:
    assert [e.field for e in file_errors(convert(ctf("")))] == ["CTFpupilData"]


def test_one_pupils_bad_fields_do_not_stop_the_others() -> None:
    pupils = ctf_pupil() + ctf_pupil(dob="2014-02-30") + ctf_pupil(upn="A801200005001")
    results = convert(ctf(pupils))
    assert [r.row for r in results] == [1, 2, 3]
    assert results[0].request is not None
    assert results[1].errors == [FieldError("DOB", "a real date as YYYY-MM-DD")]
    assert [e.field for e in results[2].errors] == ["UPN"]
    assert "check letter" in results[2].errors[0].rule


def test_contact_errors_name_the_contact_element() -> None:
    contact = (
        "<Contacts><Contact><Surname>Smith</Surname><Relationship>PAR</Relationship>"
        "<Responsible>true</Responsible><Phones><Phone><TelephoneNumber>12"
        "</TelephoneNumber></Phone></Phones></Contact></Contacts>"
    )
    [result] = convert(ctf(ctf_pupil(extra=contact)))
    assert [e.field for e in result.errors] == [
        "Contacts/Contact[1]/Forename",
        "Contacts/Contact[1]/Phones",
    ]


def test_fields_in_basic_details_sex_and_namespaces_are_accepted() -> None:
    pupil = (
        "<Pupil><UPN>B801200005001</UPN><BasicDetails><Surname>Smith</Surname>"
        "<Forename>Amelia</Forename><DOB>2014-03-02</DOB><Sex>F</Sex>"
        "<PreferredSurname>Smyth</PreferredSurname></BasicDetails>"
        "<Address><AddressLine1>12 Market Street</AddressLine1><Postcode>cw1 2bj</Postcode>"
        "</Address></Pupil>"
    )
    data = ctf(pupil).replace(b"<CTfile>", b'<CTfile xmlns="urn:example:ctf">')
    [request] = returns(convert(data))
    assert request.pupil.name.preferred_surname == "Smyth"
    assert request.pupil.gender.value == "F"
    assert request.pupil.address is not None
    assert request.pupil.address.postcode == "CW1 2BJ"


@pytest.mark.parametrize(
    ("data", "start"),
    [
        (b"", "not XML: Document is empty"),
        (b"hello, world", "not XML: Start tag expected"),
        (b"<CTfile><Header></CTfile>", "not XML: Opening and ending tag mismatch"),
        (b"<Other/>", "the root element is <Other>, not <CTfile>"),
    ],
)
def test_a_file_that_is_not_a_ctf_gives_a_clear_error(data: bytes, start: str) -> None:
    parsed = parse_ctf(data)
    assert parsed.pupils == []
    [error] = parsed.errors
    assert error.startswith(start)
    if error.startswith("not XML"):
        assert "line 1" in error
    assert [e.field for e in file_errors(convert(parsed))] == ["CTfile"]


def test_a_file_over_10_mb_is_refused_unread() -> None:
    [error] = parse_ctf(b"<CTfile>" + b" " * (10 * 1024 * 1024) + b"</CTfile>").errors
    assert "the limit is 10,485,760 bytes (10 MB)" in error


@pytest.mark.parametrize(
    ("contact", "field", "rule"),
    [
        ("<Order>\u00b2</Order>", "Contacts/Contact[1]/Order", "a whole number"),
        ("<Responsible>yes</Responsible>", "Contacts/Contact[1]/Responsible", "true or false"),
    ],
)
def test_contact_codes_in_the_wrong_format_are_pupil_errors(
    contact: str, field: str, rule: str
) -> None:
    parsed = parse_ctf(ctf(ctf_pupil(extra=f"<Contacts><Contact>{contact}</Contact></Contacts>")))
    assert parsed.pupils[0].errors == [FieldError(field, rule)]
