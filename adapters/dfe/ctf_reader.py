"""Read a Common Transfer File (CTF XML) into ``CtfFile``: header, pupils, and problems.

Element names are case-sensitive, as in the DfE CTF specification. Suppliers differ in where
they put some pupil fields (on Pupil, or in Pupil/BasicDetails): both are read. A pupil whose
fields break a format rule keeps its errors; the other pupils are read as usual.
"""

from __future__ import annotations

import re
from datetime import date

from lxml import etree

from adapters.dfe.ctf_address import read_address
from adapters.dfe.ctf_records import CtfContact, CtfFile, CtfHeader, CtfPupil, CtfSchool
from adapters.dfe.ctf_text import text, texts
from adapters.dfe.ctf_xml import XmlRefused, read_root
from adapters.schools.results import FieldError

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
_TRUE, _FALSE = frozenset({"true", "1"}), frozenset({"false", "0"})
_GENDERS = frozenset({"M", "F", "U"})


def parse_ctf(data: bytes) -> CtfFile:
    """Read a CTF; a file that cannot be read at all comes back with ``errors`` (never raises)."""
    try:
        root = read_root(data, expected="CTfile")
    except XmlRefused as refused:
        return CtfFile(errors=[str(refused)])
    pupils = [
        _pupil(index, element)
        for index, element in enumerate(root.iterfind("CTFpupilData/Pupil"), start=1)
    ]
    return CtfFile(header=_header(root.find("Header")), pupils=pupils)


def _header(header: etree._Element | None) -> CtfHeader:
    return CtfHeader(
        document_name=text(header, "DocumentName"),
        ctf_version=text(header, "CTFversion"),
        date_time=text(header, "DateTime"),
        document_qualifier=text(header, "DocumentQualifier"),
        supplier_id=text(header, "SupplierID"),
        source=_school(header, "SourceSchool"),
        dest=_school(header, "DestSchool"),
    )


def _school(header: etree._Element | None, name: str) -> CtfSchool:
    school = header.find(name) if header is not None else None
    return CtfSchool(
        lea=text(school, "LEA"),
        estab=text(school, "Estab"),
        urn=text(school, "URN"),
        school_name=text(school, "SchoolName"),
        academic_year=text(school, "AcademicYear"),
    )


class _PupilReader:
    """Reads one Pupil; fields may sit on Pupil or in Pupil/BasicDetails."""

    def __init__(self, pupil: etree._Element) -> None:
        self.pupil = pupil
        self.basic = pupil.find("BasicDetails")
        self.errors: list[FieldError] = []

    def field(self, *names: str) -> str | None:
        for name in names:
            value = text(self.pupil, name) or text(self.basic, name)
            if value:
                return value
        return None

    def dob(self) -> date | None:
        value = self.field("DOB")
        if value is None:
            return None
        parsed = _iso_date(value)
        if parsed is None:
            self.errors.append(FieldError("DOB", "a real date as YYYY-MM-DD"))
        return parsed

    def gender(self) -> str | None:
        value = self.field("Gender", "Sex")
        if value is not None and value.upper() not in _GENDERS:
            self.errors.append(FieldError("Gender", "M, F or U"))
            return None
        return value.upper() if value else None

    def flag(self, element: etree._Element, name: str, where: str) -> bool | None:
        value = (text(element, name) or "").lower()
        if not value:
            return None
        if value in _TRUE or value in _FALSE:
            return value in _TRUE
        self.errors.append(FieldError(f"{where}/{name}", "true or false"))
        return None

    def number(self, element: etree._Element, name: str, where: str) -> int | None:
        value = text(element, name)
        if value is None:
            return None
        if value.isascii() and value.isdigit():
            return int(value)
        self.errors.append(FieldError(f"{where}/{name}", "a whole number"))
        return None


def _iso_date(value: str) -> date | None:
    match = _DATE.match(value)
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _pupil(index: int, element: etree._Element) -> CtfPupil:
    reader = _PupilReader(element)
    return CtfPupil(
        index=index,
        upn=reader.field("UPN"),
        former_upn=reader.field("FormerUPN"),
        surname=reader.field("Surname"),
        forename=reader.field("Forename"),
        middle_names=reader.field("MiddleNames"),
        preferred_surname=reader.field("PreferredSurname"),
        preferred_forename=reader.field("PreferredForename"),
        former_surname=reader.field("FormerSurname"),
        dob=reader.dob(),
        gender=reader.gender(),
        address=read_address(element.find("Address")),
        phones=texts(element, "Phones/Phone/TelephoneNumber"),
        email=text(element, "Email"),
        contacts=tuple(
            _contact(reader, n, contact)
            for n, contact in enumerate(element.iterfind("Contacts/Contact"), 1)
        ),
        errors=reader.errors,
    )


def _contact(reader: _PupilReader, index: int, contact: etree._Element) -> CtfContact:
    where = f"Contacts/Contact[{index}]"
    return CtfContact(
        index=index,
        order=reader.number(contact, "Order", where),
        title=text(contact, "Title"),
        forename=text(contact, "Forename"),
        surname=text(contact, "Surname"),
        relationship=text(contact, "Relationship"),
        responsible=reader.flag(contact, "Responsible", where),
        address_as_pupil=reader.flag(contact, "AddressAsPupil", where),
        address=read_address(contact.find("Address")),
        phones=texts(contact, "Phones/Phone/TelephoneNumber"),
        email=text(contact, "Email"),
    )
