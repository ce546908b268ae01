"""CTF pupils -> deletion or admission returns for one school.

A CTF from the school (its SourceSchool URN) lists pupils leaving: one DeletionReturn each.
A CTF to the school (its DestSchool URN) lists pupils joining: one AdmissionReturn each.
What a CTF cannot say (why the pupils left when the destination is unknown, the dates) comes
from the arguments. ``row`` is the pupil's position in the file; ``FILE_ROW`` (0) is a problem
with the file as a whole, and is then the only result.
"""

from __future__ import annotations

import re
from datetime import date

from adapters.dfe.ctf_people import put_pupil
from adapters.dfe.ctf_records import CtfFile, CtfPupil, CtfSchool
from adapters.schools.results import FILE_ROW, FieldError, RowResult
from adapters.schools.validation import Draft, validate
from schemas.v1.common import DeletionGround
from services.intake.requests import AdmissionReturn, DeletionReturn

_LA_CODE = re.compile(r"^\d{3}$")
_ESTAB = re.compile(r"^\d{4}$")
_URN = re.compile(r"^\d{6}$")
_UNKNOWN_DESTINATION = (
    "this CTF's destination is unknown ({where}); say why the pupils were deleted (reg 9(1) ground)"
)
_NO_DELETION_DATE = "required for a CTF of leavers: the date the names were deleted"


def ctf_to_returns(
    ctf: CtfFile,
    *,
    school_urn: str,
    ground: DeletionGround | None,
    deletion_date: date | None,
    admission_date: date | None,
    reasonable_enquiries_on: date | None = None,
) -> list[RowResult]:
    """One result per pupil: a return for ``school_urn``, or the errors (see module doc)."""
    problems = _file_problems(ctf, school_urn)
    if problems:
        return [RowResult(FILE_ROW, None, problems)]
    if ctf.header.source.urn == school_urn:
        return _leavers(ctf, ground, deletion_date, reasonable_enquiries_on)
    return _joiners(ctf, admission_date)


def _file_problems(ctf: CtfFile, school_urn: str) -> list[FieldError]:
    if ctf.errors:
        return [FieldError("CTfile", error) for error in ctf.errors]
    source, dest = ctf.header.source.urn, ctf.header.dest.urn
    if school_urn not in (source, dest):
        return [
            FieldError(
                "Header",
                (
                    f"this CTF is neither from nor to school URN {school_urn} (SourceSchool URN "
                    f"{source or 'not given'}, DestSchool URN {dest or 'not given'})"
                ),
            )
        ]
    if not ctf.pupils:
        return [FieldError("CTFpupilData", "the CTF has no Pupil records")]
    return []


def _leavers(
    ctf: CtfFile,
    ground: DeletionGround | None,
    deletion_date: date | None,
    enquiries_on: date | None,
) -> list[RowResult]:
    dest = ctf.header.dest
    destination = _school_ref(dest) if _is_school(dest) else None
    problems = _leaving_problems(dest, destination is not None, ground, deletion_date)
    if problems:
        return [RowResult(FILE_ROW, None, problems)]
    facts: dict[str, object] = {
        "ground": (ground or DeletionGround.REGISTERED_AT_ANOTHER_SCHOOL).value,
        "deletion_date": deletion_date,
        "reasonable_enquiries_on": enquiries_on,
        "destination_school": destination,
    }
    return [_leaver(pupil, facts) for pupil in ctf.pupils]


def _leaving_problems(
    dest: CtfSchool, known: bool, ground: DeletionGround | None, deletion_date: date | None
) -> list[FieldError]:
    problems = []
    if not known and ground is None:
        where = dest.lea or "no DestSchool LEA"
        problems.append(FieldError("ground", _UNKNOWN_DESTINATION.format(where=where)))
    if deletion_date is None:
        problems.append(FieldError("deletion_date", _NO_DELETION_DATE))
    return problems


def _leaver(pupil: CtfPupil, facts: dict[str, object]) -> RowResult:
    draft = Draft()
    put_pupil(pupil, draft)
    for key, value in facts.items():
        draft.put((key,), value, "DestSchool" if key == "destination_school" else key)
    request, errors = validate(DeletionReturn, draft, pupil.errors)
    return RowResult(pupil.index, request, errors)


def _joiners(ctf: CtfFile, admission_date: date | None) -> list[RowResult]:
    if admission_date is None:
        return [
            RowResult(
                FILE_ROW,
                None,
                [
                    FieldError(
                        "admission_date",
                        "required for a CTF of joiners: the pupils' first day on roll",
                    )
                ],
            )
        ]
    previous = _school_ref(ctf.header.source)
    return [_joiner(pupil, admission_date, previous) for pupil in ctf.pupils]


def _joiner(pupil: CtfPupil, admission_date: date, previous: dict[str, str] | None) -> RowResult:
    draft = Draft()
    put_pupil(pupil, draft)
    draft.put(("admission_date",), admission_date, "admission_date")
    draft.put(("previous_school",), previous, "SourceSchool")
    request, errors = validate(AdmissionReturn, draft, pupil.errors)
    return RowResult(pupil.index, request, errors)


def _is_school(school: CtfSchool) -> bool:
    """A real school: an LA code (not XXX, lost; nor MMM, outside the maintained sector)."""
    return bool(school.lea and _LA_CODE.match(school.lea))


def _school_ref(school: CtfSchool) -> dict[str, str] | None:
    urn = school.urn if school.urn and _URN.match(school.urn) else None
    la_code = school.lea if school.lea and _LA_CODE.match(school.lea) else None
    name = school.school_name
    if urn is None and name is None and la_code and school.estab and _ESTAB.match(school.estab):
        name = f"DfE number {la_code}/{school.estab}"
    ref = {"urn": urn, "name": name, "la_code": la_code}
    found = {key: value for key, value in ref.items() if value is not None}
    return found if "urn" in found or "name" in found else None
