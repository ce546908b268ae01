"""Code lists and sub-models shared by the v1 messages.

Everything here is part of every published v1 schema that uses it: a change to a model or a
code list here changes those schemas, so it needs new message versions, never an edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from schemas.types import LaCode, PhoneNumber, Postcode, Upn, Urn

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
EmailAddress = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]
Reference = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$"),
    Field(
        description="Reference number given to the submitter (no personal data in it).",
        examples=["CME-2024-000123"],
    ),
]


class Part(BaseModel):
    """Base of the sub-models: immutable, and tolerant of fields added by newer producers."""

    model_config = ConfigDict(frozen=True, extra="ignore")


# --- code lists -------------------------------------------------------------------------------


class DeletionGround(StrEnum):
    REGISTERED_AT_ANOTHER_SCHOOL = "a"
    NURSERY_NOT_CONTINUING = "b"
    DUAL_REGISTRATION_ENDED = "c"
    ATTENDANCE_ORDER_AMENDED = "d"
    ATTENDANCE_ORDER_REVOKED = "e"
    ELECTIVE_HOME_EDUCATION = "f"
    NO_LONGER_WITHIN_REASONABLE_DISTANCE = "g"
    NOT_RETURNED_AFTER_LEAVE = "h"
    CONTINUOUSLY_ABSENT = "i"
    DETAINED = "j"
    DIED = "k"
    OVER_COMPULSORY_SCHOOL_AGE = "l"
    BOARDING_FEES_UNPAID = "m"
    CEASED_AT_INDEPENDENT_OR_NON_MAINTAINED_SPECIAL = "n"
    PERMANENTLY_EXCLUDED = "o"

    @property
    def description(self) -> str:
        """What the ground means in reg 9(1)."""
        return DELETION_GROUND_DESCRIPTIONS[self]


DELETION_GROUND_DESCRIPTIONS: Mapping[DeletionGround, str] = MappingProxyType(
    {
        DeletionGround.REGISTERED_AT_ANOTHER_SCHOOL: (
            "registered at another school (not where a school attendance order names this school, "
            "nor dual registration)"
        ),
        DeletionGround.NURSERY_NOT_CONTINUING: "nursery pupil not continuing into reception",
        DeletionGround.DUAL_REGISTRATION_ENDED: "dual-registered, and the other school consents",
        DeletionGround.ATTENDANCE_ORDER_AMENDED: (
            "school attendance order amended to name another school"
        ),
        DeletionGround.ATTENDANCE_ORDER_REVOKED: "school attendance order revoked",
        DeletionGround.ELECTIVE_HOME_EDUCATION: (
            "parent notified the school in writing of education otherwise than at school (EHE)"
        ),
        DeletionGround.NO_LONGER_WITHIN_REASONABLE_DISTANCE: (
            "no longer lives within reasonable distance of the school (not a boarder)"
        ),
        DeletionGround.NOT_RETURNED_AFTER_LEAVE: (
            "failed to return after leave of absence; the school and the LA have both made "
            "reasonable enquiries"
        ),
        DeletionGround.CONTINUOUSLY_ABSENT: (
            "continuously absent for 20 or more school days without authorisation; the school and "
            "the LA have both made reasonable enquiries"
        ),
        DeletionGround.DETAINED: "detained under a sentence of detention",
        DeletionGround.DIED: "died",
        DeletionGround.OVER_COMPULSORY_SCHOOL_AGE: (
            "will be over compulsory school age and is not continuing into the sixth form"
        ),
        DeletionGround.BOARDING_FEES_UNPAID: "boarder whose boarding fees are unpaid",
        DeletionGround.CEASED_AT_INDEPENDENT_OR_NON_MAINTAINED_SPECIAL: (
            "ceased to be a pupil at an independent or non-maintained special school"
        ),
        DeletionGround.PERMANENTLY_EXCLUDED: "permanently excluded",
    }
)
"""reg 9(1) ground -> its meaning (School Attendance (Pupil Registration) (England) Regs 2024)."""

GROUNDS_NEEDING_ENQUIRIES = frozenset(
    {
        DeletionGround.NOT_RETURNED_AFTER_LEAVE,
        DeletionGround.CONTINUOUSLY_ABSENT,
    }
)
"""Grounds on which a name may be deleted only after the school and the LA made enquiries."""

DeletionGround.__doc__ = (
    "Ground for deleting a pupil from the admission register, reg 9(1) of SI 2024/208:\n"
    + "\n".join(f"{g.value}: {text}" for g, text in DELETION_GROUND_DESCRIPTIONS.items())
)


class Gender(StrEnum):
    """Gender as recorded in school systems (CTF codes): M, F, or U (not known / not given)."""

    MALE = "M"
    FEMALE = "F"
    NOT_KNOWN = "U"


class RiskIndicator(StrEnum):
    """A safeguarding concern that makes a case urgent (police alert and MASH referral at once)."""

    HARM = "harm"
    ABUSE = "abuse"
    SEXUAL_EXPLOITATION = "sexual-exploitation"
    TRAFFICKING = "trafficking"
    MISSING_FROM_HOME = "missing-from-home"
    OTHER_SAFEGUARDING = "other-safeguarding"


class ReportChannel(StrEnum):
    """How a submission reached the hub."""

    WEB_FORM = "web-form"
    EMAIL = "email"
    PHONE = "phone"
    API = "api"
    SCHOOL_RETURN = "school-return"
    BULK_CSV = "bulk-csv"
    BULK_CTF = "bulk-ctf"
    LA_TRANSFER = "la-transfer"


class CaseOutcome(StrEnum):
    """How a CME case ended."""

    BACK_IN_SCHOOL = "back-in-school"
    MOVED_TO_ANOTHER_LA = "moved-to-another-la"
    ELECTIVELY_HOME_EDUCATED = "electively-home-educated"
    LEFT_THE_COUNTRY = "left-the-country"
    DIED = "died"
    UNTRACED = "untraced"


class CheckKind(StrEnum):
    """A tracing check: whom the LA asks whether they know where the child is."""

    LAST_SCHOOL = "last-school"
    DESTINATION_SCHOOL = "destination-school"
    OTHER_SCHOOLS_IN_AREA = "other-schools-in-area"
    SIBLINGS_SCHOOLS = "siblings-schools"
    OTHER_LA = "other-la"
    HEALTH = "health"
    HOUSING = "housing"
    COUNCIL_TAX = "council-tax"
    SOCIAL_CARE = "social-care"
    LOST_PUPIL_DATABASE = "lost-pupil-database"


class PoliceRiskLevel(StrEnum):
    """Missing-person risk grading used by the police (College of Policing APP)."""

    VERY_LOW = "very-low"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class AlertPriority(StrEnum):
    """Urgent: send at once (risk of harm); routine: the child could not be traced in time."""

    URGENT = "urgent"
    ROUTINE = "routine"


class CmeCriterion(StrEnum):
    """The three tests that must all hold for a child to be missing education."""

    COMPULSORY_SCHOOL_AGE = "compulsory-school-age"
    NOT_ON_ROLL = "not-on-roll"
    NOT_EDUCATED_ELSEWHERE = "not-educated-elsewhere"


class CriterionOutcome(StrEnum):
    """Result of one CME test; unknown when the facts are not known yet (e.g. no date of birth)."""

    MET = "met"
    NOT_MET = "not-met"
    UNKNOWN = "unknown"


class NotCmeReason(StrEnum):
    """Why a child reported to the hub is not missing education."""

    ON_ROLL = "on-roll"
    BELOW_COMPULSORY_SCHOOL_AGE = "below-compulsory-school-age"
    ABOVE_COMPULSORY_SCHOOL_AGE = "above-compulsory-school-age"
    ELECTIVELY_HOME_EDUCATED = "electively-home-educated"
    EDUCATED_ELSEWHERE = "educated-elsewhere"
    DIED = "died"
    SENIOR_YEAR_LEAVER = "senior-year-leaver"
    NOT_IN_AREA = "not-in-area"


# --- sub-models ---------------------------------------------------------------------------------


class PersonName(Part):
    """A person's full name as held in school or LA records."""

    forenames: ShortText = Field(description="Forename(s).", examples=["Amelia"])
    surname: ShortText = Field(description="Surname (family name).", examples=["Smith"])
    middle_names: ShortText | None = Field(default=None, description="Middle name(s), if any.")
    preferred_forename: ShortText | None = Field(
        default=None, description="Forename the person is known by, if different."
    )
    preferred_surname: ShortText | None = Field(
        default=None, description="Surname the person is known by, if different."
    )
    former_surname: ShortText | None = Field(
        default=None, description="Previous surname, if it changed."
    )


class PartialName(Part):
    """A name as far as the reporter knows it: any part may be missing."""

    forenames: ShortText | None = Field(default=None, description="Forename(s), if known.")
    surname: ShortText | None = Field(default=None, description="Surname, if known.")
    known_as: ShortText | None = Field(
        default=None, description="Any other name or nickname the child is known by."
    )


class Address(Part):
    """A postal address; a partial address (no postcode) is normal in public reports."""

    lines: tuple[Line, ...] = Field(
        min_length=1,
        max_length=5,
        description="Address lines, most specific first (house, street, locality).",
        examples=[["12 Market Street"]],
    )
    town: Line | None = Field(default=None, description="Post town.", examples=["Crewe"])
    postcode: Postcode | None = Field(default=None, description="Postcode, if known.")


class SchoolRef(Part):
    """A school, identified by its URN or, failing that, by its name."""

    urn: Urn | None = Field(default=None, description="URN from GIAS, if known.")
    name: Line | None = Field(
        default=None, description="School name, if known.", examples=["Crewe Primary School"]
    )
    la_code: LaCode | None = Field(default=None, description="LA code of the school, if known.")

    @model_validator(mode="after")
    def _needs_urn_or_name(self) -> Self:
        if self.urn is None and self.name is None:
            raise ValueError("a school needs a urn or a name (at least one)")
        return self


class Carer(Part):
    """A parent or carer of the child."""

    name: PersonName = Field(description="The parent's or carer's name.")
    relationship: ShortText = Field(
        description="Relationship to the child.", examples=["mother", "father", "foster carer"]
    )
    address: Address | None = Field(
        default=None, description="Home address, if different from or in addition to the child's."
    )
    emergency_phones: tuple[PhoneNumber, ...] = Field(
        default=(), description="Emergency contact numbers (reg 13(4) asks for at least one)."
    )
    email: EmailAddress | None = Field(default=None, description="Email address, if known.")
    lives_with_pupil: bool = Field(description="Whether the child normally lives with this person.")


class Pupil(Part):
    """A pupil as entered in a school's admission register."""

    upn: Upn | None = Field(default=None, description="Unique pupil number, if the school has one.")
    name: PersonName = Field(description="The pupil's full name.")
    date_of_birth: date = Field(description="Date of birth.", examples=["2014-03-02"])
    gender: Gender = Field(default=Gender.NOT_KNOWN, description="Gender as recorded.")
    address: Address | None = Field(default=None, description="The pupil's home address.")


class ChildDetails(Part):
    """What is known about a child; every part may be missing (public reports are partial)."""

    upn: Upn | None = Field(default=None, description="Unique pupil number, if known.")
    name: PartialName = Field(default_factory=PartialName, description="The child's name.")
    date_of_birth: date | None = Field(default=None, description="Date of birth, if known.")
    approximate_age: int | None = Field(
        default=None, ge=0, le=25, description="Age in years as estimated by the reporter."
    )
    gender: Gender = Field(default=Gender.NOT_KNOWN, description="Gender, if known.")
    address: Address | None = Field(
        default=None, description="Where the child lives or last lived, as far as known."
    )
    last_known_school: SchoolRef | None = Field(
        default=None, description="The last school the child is known to have attended."
    )


class Sibling(ChildDetails):
    """Another child in the same family or household."""

    relationship: ShortText | None = Field(
        default=None, description="Relationship to the reported child.", examples=["brother"]
    )


class TransferPupil(Part):
    """A child as described between LAs, modelled on the Common Transfer File pupil record."""

    upn: Upn | None = Field(default=None, description="UPN (CTF UPN), if known.")
    former_upn: Upn | None = Field(default=None, description="Previous UPN (CTF FormerUPN).")
    name: PersonName = Field(description="Names (CTF Surname, Forename, MiddleNames, ...).")
    date_of_birth: date | None = Field(default=None, description="Date of birth (CTF DOB).")
    gender: Gender = Field(default=Gender.NOT_KNOWN, description="Gender (CTF Gender).")
    address: Address | None = Field(default=None, description="Last known address (CTF Address).")
    phones: tuple[PhoneNumber, ...] = Field(default=(), description="Phone numbers (CTF Phones).")
    contacts: tuple[Carer, ...] = Field(
        default=(), description="Parents and carers (CTF Contacts)."
    )


class LaContact(Part):
    """The LA officer or team an agency should contact about a child."""

    name: ShortText = Field(
        description="Officer or team name.", examples=["Children Missing Education team"]
    )
    phone: PhoneNumber = Field(description="Direct phone number.")
    email: EmailAddress = Field(description="Email address.", examples=["cme@example.gov.uk"])
