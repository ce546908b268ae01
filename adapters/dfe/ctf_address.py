"""A CTF Address (BS7666 parts, or plain address lines) as lines, town and postcode.

Suppliers differ: BS7666 parts may sit in Address/BS7666Address or straight under Address,
and plain lines in Address/AddressLines or straight under Address. All are accepted.
"""

from __future__ import annotations

import re

from lxml import etree

from adapters.dfe.ctf_records import CtfAddress
from adapters.dfe.ctf_text import text

_HOUSE_NUMBER = re.compile(r"^\d+[A-Za-z]?(\s*-\s*\d+[A-Za-z]?)?$")
_PLAIN_LINES = tuple(f"AddressLine{n}" for n in range(1, 6))


def read_address(address: etree._Element | None) -> CtfAddress | None:
    if address is None:
        return None
    bs7666 = address.find("BS7666Address")
    parts = bs7666 if bs7666 is not None else address
    plain = address.find("AddressLines")
    plain_parts = plain if plain is not None else address
    post_town = text(parts, "PostTown")
    town = text(parts, "Town")
    lines = [
        *_bs7666_lines(parts),
        *(line for name in _PLAIN_LINES if (line := text(plain_parts, name))),
    ]
    if town and post_town and town.lower() != post_town.lower():
        lines.append(town)
    postcode = text(address, "PostCode") or text(address, "Postcode")
    found = CtfAddress(
        lines=tuple(lines),
        town=post_town or town,
        postcode=postcode,
        uprn=text(parts, "UniquePropertyReferenceNumber"),
    )
    return found if found.lines or found.town or found.postcode else None


def _bs7666_lines(parts: etree._Element) -> list[str]:
    saon, paon = text(parts, "SAON"), text(parts, "PAON")
    street, locality = text(parts, "Street"), text(parts, "Locality")
    if paon and street and _HOUSE_NUMBER.match(paon):
        return [line for line in (saon, f"{paon} {street}", locality) if line]
    return [line for line in (saon, paon, street, locality) if line]
