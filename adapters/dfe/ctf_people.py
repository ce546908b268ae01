"""A CTF pupil and its contacts as request data: the pupil, and the parents (``Carer``).

A contact with parental responsibility (``Responsible`` true) is a parent. It lives with the
pupil when ``AddressAsPupil`` is true or, when that is not given, when it has no address of
its own or the same address as the pupil. Errors name the CTF element, e.g.
``Contacts/Contact[2]/Surname``.
"""

from __future__ import annotations

from types import MappingProxyType

from adapters.dfe.ctf_records import CtfAddress, CtfContact, CtfPupil
from adapters.schools.validation import Draft

RELATIONSHIPS = MappingProxyType(
    {
        "PAR": "parent",
        "CAR": "carer",
        "STP": "step-parent",
        "FOS": "foster parent",
        "REL": "other relative",
        "FAM": "other family member",
        "CHM": "childminder",
        "DOC": "doctor",
        "SWR": "social worker",
        "OTH": "other contact",
    }
)
"""CTF relationship codes -> words; any other code is kept as written."""


def put_pupil(pupil: CtfPupil, draft: Draft) -> None:
    """The request's ``pupil`` and ``parents`` from one CTF pupil."""
    sub = draft.nested("pupil")
    sub.data["name"] = {}
    sub.put(("upn",), pupil.upn, "UPN")
    sub.put(("name", "forenames"), pupil.forename, "Forename")
    sub.put(("name", "surname"), pupil.surname, "Surname")
    sub.put(("name", "middle_names"), pupil.middle_names, "MiddleNames")
    sub.put(("name", "preferred_forename"), pupil.preferred_forename, "PreferredForename")
    sub.put(("name", "preferred_surname"), pupil.preferred_surname, "PreferredSurname")
    sub.put(("name", "former_surname"), pupil.former_surname, "FormerSurname")
    sub.put(("date_of_birth",), pupil.dob, "DOB")
    sub.put(("gender",), pupil.gender, "Gender")
    _put_address(sub, pupil.address, "Address")
    draft.attach("pupil", sub, always=True)
    _put_parents(pupil, draft)


def _put_address(draft: Draft, address: CtfAddress | None, where: str) -> None:
    draft.fields.add((*draft.prefix, "address"), where)
    draft.fields.add((*draft.prefix, "address", "postcode"), f"{where}/PostCode")
    draft.fields.add((*draft.prefix, "address", "town"), f"{where}/PostTown")
    if address is None:
        return
    draft.put(("address", "lines"), list(address.lines) or None, where)
    draft.put(("address", "town"), address.town, f"{where}/PostTown")
    draft.put(("address", "postcode"), address.postcode, f"{where}/PostCode")


def _put_parents(pupil: CtfPupil, draft: Draft) -> None:
    parents: list[dict[str, object]] = []
    for contact in _parents_in_order(pupil.contacts):
        sub = draft.nested("parents", len(parents))
        _put_parent(contact, sub, pupil.address)
        parents.append(sub.data)
    if parents:
        draft.data["parents"] = parents


def _parents_in_order(contacts: tuple[CtfContact, ...]) -> list[CtfContact]:
    responsible = [contact for contact in contacts if contact.responsible]
    return sorted(responsible, key=lambda c: (c.order is None, c.order or 0, c.index))


def _put_parent(contact: CtfContact, draft: Draft, pupil_address: CtfAddress | None) -> None:
    where = f"Contacts/Contact[{contact.index}]"
    relationship = contact.relationship
    draft.data["name"] = {}
    draft.put(("name", "forenames"), contact.forename, f"{where}/Forename")
    draft.put(("name", "surname"), contact.surname, f"{where}/Surname")
    draft.put(
        ("relationship",),
        relationship and RELATIONSHIPS.get(relationship.upper(), relationship),
        f"{where}/Relationship",
    )
    draft.put(("emergency_phones",), list(contact.phones) or None, f"{where}/Phones")
    draft.put(("email",), contact.email, f"{where}/Email")
    draft.put(
        ("lives_with_pupil",), _lives_with_pupil(contact, pupil_address), f"{where}/AddressAsPupil"
    )
    if contact.address_as_pupil is not True:
        _put_address(draft, contact.address, f"{where}/Address")


def _lives_with_pupil(contact: CtfContact, pupil_address: CtfAddress | None) -> bool:
    if contact.address_as_pupil is not None:
        return contact.address_as_pupil
    return contact.address is None or _same_place(contact.address, pupil_address)


def _same_place(one: CtfAddress, other: CtfAddress | None) -> bool:
    if other is None or not one.postcode or not other.postcode:
        return False
    return (
        one.postcode.replace(" ", "").upper() == other.postcode.replace(" ", "").upper()
        and one.lines[:1] == other.lines[:1]
    )
