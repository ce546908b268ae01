"""What schools, the public and officers send to intake (request models), and what they get back.

These are the API's own models: the published messages (schemas/v1/intake.py) add the
reference, the channel and the time received. Each rule's error names the field and the rule.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.types import Urn
from schemas.v1.common import (
    GROUNDS_NEEDING_ENQUIRIES,
    Address,
    Carer,
    ChildDetails,
    DeletionGround,
    PersonName,
    Pupil,
    RiskIndicator,
    SchoolRef,
    Sibling,
    Text,
)
from schemas.v1.intake import Reporter


class Request(BaseModel):
    """Strict about types, tolerant of nothing unknown: a typo in a field name is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class DeletionReturn(Request):
    """A deletion return (reg 13(4)): a pupil is being deleted from the admission register."""

    pupil: Pupil = Field(description="The pupil, as in the admission register.")
    parents: tuple[Carer, ...] = Field(
        default=(), description="Each parent the pupil normally lives with, with emergency phones."
    )
    future_address: Address | None = Field(default=None, description="Where the pupil will live.")
    future_address_from: date | None = Field(
        default=None, description="Date from which the pupil lives at the future address."
    )
    future_carer: PersonName | None = Field(
        default=None, description="The parent the pupil will live with, if known."
    )
    destination_school: SchoolRef | None = Field(
        default=None, description="The school the pupil is going to (required for ground a)."
    )
    destination_start_date: date | None = Field(
        default=None, description="When the pupil starts at the destination school."
    )
    ground: DeletionGround = Field(description="reg 9(1) ground for the deletion, a to o.")
    deletion_date: date = Field(description="Date the name is (or was) deleted.")
    last_attendance_date: date | None = Field(
        default=None, description="Last day the pupil attended."
    )
    reasonable_enquiries_on: date | None = Field(
        default=None, description="Date reasonable enquiries were completed (grounds h and i)."
    )
    senior_year_leaver: bool = Field(
        default=False,
        description="Leaving the most senior year at the end of the school year: no return is "
        "required (reg 13(4)); accepted and recorded for information.",
    )

    @model_validator(mode="after")
    def _ground_rules(self) -> Self:
        ground = self.ground
        if (
            ground is DeletionGround.REGISTERED_AT_ANOTHER_SCHOOL
            and self.destination_school is None
        ):
            raise ValueError(f"destination_school: required for ground 'a' ({ground.description})")
        if ground in GROUNDS_NEEDING_ENQUIRIES and self.reasonable_enquiries_on is None:
            raise ValueError(
                f"reasonable_enquiries_on: required for ground {ground.value!r} "
                f"({ground.description})"
            )
        if self.last_attendance_date and self.last_attendance_date > self.deletion_date:
            raise ValueError("last_attendance_date: must not be after deletion_date")
        if self.pupil.date_of_birth > self.deletion_date:
            raise ValueError("pupil.date_of_birth: must be before deletion_date")
        return self

    def validate_dates(self, today: date) -> None:
        """Rules that depend on today's date (kept out of the model so it stays replayable)."""
        _not_in_future("pupil.date_of_birth", self.pupil.date_of_birth, today)
        _not_in_future("deletion_date", self.deletion_date, today)
        if self.reasonable_enquiries_on is not None:
            _not_in_future("reasonable_enquiries_on", self.reasonable_enquiries_on, today)

    def missing_statutory_content(self) -> list[str]:
        """reg 13(4) content that is missing: reported back as warnings, never a rejection, so a
        child who may be missing education is never held up by an incomplete return."""
        if self.senior_year_leaver:
            return []
        missing = []
        if self.pupil.address is None:
            missing.append("pupil.address: reg 13(4) asks for the pupil's address")
        living_with = [p for p in self.parents if p.lives_with_pupil]
        if not living_with:
            missing.append("parents: reg 13(4) asks for each parent the pupil normally lives with")
        for index, parent in enumerate(self.parents):
            if parent.lives_with_pupil and not parent.emergency_phones:
                missing.append(
                    f"parents[{index}].emergency_phones: reg 13(4) asks for at least one "
                    "emergency telephone number for each parent"
                )
        return missing


class AdmissionReturn(Request):
    """A new-pupil return (reg 13(1)-(3)): a pupil's name was entered in the admission register."""

    pupil: Pupil = Field(description="The pupil, as entered in the admission register.")
    parents: tuple[Carer, ...] = Field(default=(), description="Parents and carers.")
    admission_date: date = Field(description="First day on roll.")
    previous_school: SchoolRef | None = Field(
        default=None, description="The school the pupil last attended, if any."
    )

    @model_validator(mode="after")
    def _admitted_after_birth(self) -> Self:
        if self.pupil.date_of_birth > self.admission_date:
            raise ValueError("pupil.date_of_birth: must be before admission_date")
        return self

    def validate_dates(self, today: date) -> None:
        _not_in_future("pupil.date_of_birth", self.pupil.date_of_birth, today)
        _not_in_future("admission_date", self.admission_date, today)


class ConcernReport(Request):
    """A concern that a child may be missing education. Tell us what you can: only the concern,
    and some way to find the child (any detail about them, or where they were seen), are needed."""

    child: ChildDetails = Field(default_factory=ChildDetails, description="What you know.")
    where_seen: Text | None = Field(
        default=None, description="Where and when the child was seen, in your words."
    )
    concern: Text = Field(description="What worries you, in your words.")
    risk_indicators: tuple[RiskIndicator, ...] = Field(
        default=(), description="Tick any that apply: the team acts at once on these."
    )
    other_children: tuple[Sibling, ...] = Field(
        default=(), description="Other children in the family or household."
    )
    reporter: Reporter | None = Field(
        default=None, description="Who you are (optional, confidential, never shared)."
    )

    @model_validator(mode="after")
    def _actionable(self) -> Self:
        if self.where_seen is None and not _identifies(self.child):
            raise ValueError(
                "child: give at least one detail about the child (a name, date of birth, age, "
                "address or school) or say where they were seen (where_seen)"
            )
        return self

    def validate_dates(self, today: date) -> None:
        if self.child.date_of_birth is not None:
            _not_in_future("child.date_of_birth", self.child.date_of_birth, today)


def _identifies(child: ChildDetails) -> bool:
    name = child.name
    return any(
        (
            child.upn,
            name.forenames,
            name.surname,
            name.known_as,
            child.date_of_birth,
            child.approximate_age is not None,
            child.address,
            child.last_known_school,
        )
    )


class DateRuleError(ValueError):
    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule


def _not_in_future(field: str, value: date, today: date) -> None:
    if value > today:
        raise DateRuleError(field, f"must not be in the future (today is {today.isoformat()})")


class Receipt(BaseModel):
    """What the sender gets back: a reference to quote, and any reg 13(4) content missing."""

    reference: str = Field(
        description="Quote this reference in any follow-up.", examples=["CME-7K4P-9QX2"]
    )
    received_at: datetime = Field(description="When the hub received it.")
    duplicate: bool = Field(
        default=False,
        description="True when this repeats an earlier request with the same Idempotency-Key.",
    )
    warnings: tuple[str, ...] = Field(
        default=(), description="Statutory content missing from a deletion return (not errors)."
    )


class SchoolUrn(BaseModel):
    urn: Urn
