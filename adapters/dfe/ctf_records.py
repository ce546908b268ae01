"""A Common Transfer File as read: the CTF's own fields, kept close to its element names.

Values are the text of the elements, stripped (an empty element is None); only dates and
flags are converted. ``ctf_mapping`` turns these into intake requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from adapters.schools.results import FieldError


@dataclass(frozen=True)
class CtfSchool:
    """Header SourceSchool or DestSchool."""

    lea: str | None = None
    estab: str | None = None
    urn: str | None = None
    school_name: str | None = None
    academic_year: str | None = None


@dataclass(frozen=True)
class CtfHeader:
    document_name: str | None = None
    ctf_version: str | None = None
    date_time: str | None = None
    document_qualifier: str | None = None
    supplier_id: str | None = None
    source: CtfSchool = field(default_factory=CtfSchool)
    dest: CtfSchool = field(default_factory=CtfSchool)


@dataclass(frozen=True)
class CtfAddress:
    """An Address: BS7666 parts or plain AddressLines, flattened to lines, town and postcode."""

    lines: tuple[str, ...] = ()
    town: str | None = None
    postcode: str | None = None
    uprn: str | None = None


@dataclass(frozen=True)
class CtfContact:
    """Contacts/Contact; ``index`` is its 1-based position among the pupil's contacts."""

    index: int
    order: int | None = None
    title: str | None = None
    forename: str | None = None
    surname: str | None = None
    relationship: str | None = None
    responsible: bool | None = None
    address_as_pupil: bool | None = None
    address: CtfAddress | None = None
    phones: tuple[str, ...] = ()
    email: str | None = None


@dataclass(frozen=True)
class CtfPupil:
    """CTFpupilData/Pupil; ``index`` is its 1-based position in the file."""

    index: int
    upn: str | None = None
    former_upn: str | None = None
    surname: str | None = None
    forename: str | None = None
    middle_names: str | None = None
    preferred_surname: str | None = None
    preferred_forename: str | None = None
    former_surname: str | None = None
    dob: date | None = None
    gender: str | None = None
    address: CtfAddress | None = None
    phones: tuple[str, ...] = ()
    email: str | None = None
    contacts: tuple[CtfContact, ...] = ()
    errors: list[FieldError] = field(default_factory=list)


@dataclass(frozen=True)
class CtfFile:
    """The whole file; ``errors`` says why it could not be read at all (then it has no pupils)."""

    header: CtfHeader = field(default_factory=CtfHeader)
    pupils: list[CtfPupil] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
