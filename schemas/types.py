"""Domain value types shared by every message: identifiers, postcodes, phone numbers, UTC times.

Each type validates on construction and says which rule a bad value broke, so an error that
reaches a school or an officer names the field and the rule.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field
from stdnum import exceptions as stdnum_errors
from stdnum.gb import upn as stdnum_upn


def _validate_upn(value: str) -> str:
    number = stdnum_upn.compact(value)
    try:
        return str(stdnum_upn.validate(number))
    except stdnum_errors.InvalidLength:
        raise ValueError("a UPN has 13 characters") from None
    except stdnum_errors.InvalidChecksum:
        expected = stdnum_upn.calc_check_digit(number[1:]) if len(number) == 13 else "?"
        raise ValueError(
            f"UPN check letter {number[:1]!r} does not match the rest of the number "
            f"(expected {expected!r})"
        ) from None
    except stdnum_errors.InvalidComponent:
        raise ValueError(f"UPN LA code {number[1:4]!r} is not an English local authority") from None
    except stdnum_errors.ValidationError:
        raise ValueError(
            "a UPN is a check letter, 11 digits and a final digit or letter (temporary UPN)"
        ) from None


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


Upn = Annotated[
    str,
    BeforeValidator(_strip),
    AfterValidator(_validate_upn),
    Field(
        description="Unique pupil number: check letter, LA code, establishment, year, serial.",
        examples=["B801200005001"],
    ),
]

Urn = Annotated[
    str,
    BeforeValidator(_strip),
    Field(
        pattern=r"^\d{6}$",
        description="School unique reference number from GIAS (6 digits).",
        examples=["100000"],
    ),
]

LaCode = Annotated[
    str,
    BeforeValidator(_strip),
    Field(
        pattern=r"^\d{3}$",
        description="Local authority code (3 digits), e.g. 895 Cheshire East.",
        examples=["895"],
    ),
]

EstabNumber = Annotated[
    str,
    BeforeValidator(_strip),
    Field(
        pattern=r"^\d{4}$",
        description="Establishment number within the LA (4 digits).",
        examples=["2000"],
    ),
]

Laestab = Annotated[
    str,
    BeforeValidator(_strip),
    Field(
        pattern=r"^\d{7}$",
        description="LAESTAB ('DfE number'): LA code followed by the establishment number.",
        examples=["8952000"],
    ),
]

_POSTCODE = re.compile(r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})$")


def normalise_postcode(value: str) -> str:
    """Upper-case, single space before the inward code: ``"sw1a1aa"`` -> ``"SW1A 1AA"``."""
    compact = re.sub(r"\s+", "", value).upper()
    if not _POSTCODE.match(compact):
        raise ValueError("not a UK postcode (outward code, space, inward code, e.g. SW1A 1AA)")
    return f"{compact[:-3]} {compact[-3:]}"


Postcode = Annotated[
    str,
    AfterValidator(normalise_postcode),
    Field(
        description="UK postcode, normalised to upper case with one space.", examples=["CW1 2BJ"]
    ),
]

_PHONE_ALLOWED = re.compile(r"^\+?[\d\s()\-]{7,24}$")


def _validate_phone(value: str) -> str:
    value = value.strip()
    if not _PHONE_ALLOWED.match(value) or sum(ch.isdigit() for ch in value) < 7:
        raise ValueError("a phone number has at least 7 digits and only digits, spaces, + ( ) -")
    return value


PhoneNumber = Annotated[
    str,
    AfterValidator(_validate_phone),
    Field(
        description="Telephone number as given (digits, spaces, + ( ) -).",
        examples=["01270 555 0100"],
    ),
]


def _as_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


UtcDatetime = Annotated[AwareDatetime, AfterValidator(_as_utc)]
"""A timezone-aware instant, normalised to UTC. Naive datetimes are rejected."""


def utc_now() -> datetime:
    return datetime.now(UTC)
