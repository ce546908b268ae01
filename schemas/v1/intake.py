"""Messages published by intake: what schools, the public and professionals sent the LA."""

from __future__ import annotations

from datetime import date
from typing import Self

from pydantic import ConfigDict, Field, model_validator

from schemas.envelope import Payload
from schemas.registry import message
from schemas.types import PhoneNumber, Urn, UtcDatetime
from schemas.v1.common import (
    GROUNDS_NEEDING_ENQUIRIES,
    Address,
    Carer,
    ChildDetails,
    DeletionGround,
    EmailAddress,
    Part,
    PersonName,
    Pupil,
    Reference,
    ReportChannel,
    RiskIndicator,
    SchoolRef,
    ShortText,
    Sibling,
    Text,
)


@message("intake.roll-off-notified", 1)
class RollOffNotified(Payload):
    """A school reported deleting a pupil from its admission register (reg 13(4) deletion return).

    Carries what reg 13(4) asks for: the pupil and the parents the pupil lives with, where known
    the future address, future carer and destination school, and the reg 9(1) ground.
    """

    reference: Reference
    school_urn: Urn = Field(description="URN of the school deleting the pupil.")
    pupil: Pupil = Field(description="The pupil, as in the admission register.")
    parents: tuple[Carer, ...] = Field(
        default=(), description="Each parent the pupil normally lives with (reg 13(4))."
    )
    future_address: Address | None = Field(
        default=None, description="Where the pupil will live, if known."
    )
    future_address_from: date | None = Field(
        default=None, description="Date from which the pupil lives at the future address."
    )
    future_carer: PersonName | None = Field(
        default=None, description="The parent the pupil will live with, if known."
    )
    destination_school: SchoolRef | None = Field(
        default=None, description="School the pupil is going to, if known (required for ground a)."
    )
    destination_start_date: date | None = Field(
        default=None, description="Date the pupil starts at the destination school, if known."
    )
    ground: DeletionGround = Field(description="Ground for the deletion, reg 9(1) (a to o).")
    deletion_date: date = Field(description="Date the name is (or will be) deleted.")
    last_attendance_date: date | None = Field(
        default=None, description="Last day the pupil attended, if known."
    )
    reasonable_enquiries_on: date | None = Field(
        default=None,
        description="Date the school's reasonable enquiries were completed (grounds h and i).",
    )
    senior_year_leaver: bool = Field(
        default=False,
        description="Pupil leaves the most senior year at the end of the school year "
        "(no return is required; sent for information).",
    )
    received_at: UtcDatetime = Field(description="When intake received the return.")
    channel: ReportChannel = Field(description="How the return arrived.")

    @model_validator(mode="after")
    def _ground_facts(self) -> Self:
        ground = self.ground
        needs_destination = ground is DeletionGround.REGISTERED_AT_ANOTHER_SCHOOL
        if needs_destination and self.destination_school is None:
            raise ValueError(
                f"destination_school is required for ground {ground.value!r} ({ground.description})"
            )
        if ground in GROUNDS_NEEDING_ENQUIRIES and self.reasonable_enquiries_on is None:
            raise ValueError(
                f"reasonable_enquiries_on is required for ground {ground.value!r} "
                f"({ground.description})"
            )
        last_attended = self.last_attendance_date
        if last_attended is not None and last_attended > self.deletion_date:
            raise ValueError("last_attendance_date must not be after deletion_date")
        return self


@message("intake.admission-notified", 1)
class AdmissionNotified(Payload):
    """A school reported entering a pupil in its admission register (reg 13 new-pupil return)."""

    reference: Reference
    school_urn: Urn = Field(description="URN of the admitting school.")
    pupil: Pupil = Field(description="The pupil, as entered in the admission register.")
    parents: tuple[Carer, ...] = Field(
        default=(), description="Parents and carers, as entered in the admission register."
    )
    admission_date: date = Field(description="Date of admission (first day on roll).")
    previous_school: SchoolRef | None = Field(
        default=None, description="The school the pupil last attended, if any."
    )
    received_at: UtcDatetime = Field(description="When intake received the return.")
    channel: ReportChannel = Field(description="How the return arrived.")


class Reporter(Part):
    """Who reported a concern. Confidential: never disclosed to the family."""

    model_config = ConfigDict(
        frozen=True, extra="ignore", json_schema_extra={"x-confidential": True}
    )

    name: ShortText | None = Field(default=None, description="Reporter's name, if given.")
    organisation: ShortText | None = Field(
        default=None, description="Organisation, for a professional reporter."
    )
    relationship_to_child: ShortText | None = Field(
        default=None, description="How the reporter knows the child.", examples=["neighbour"]
    )
    phone: PhoneNumber | None = Field(default=None, description="Phone number, if given.")
    email: EmailAddress | None = Field(default=None, description="Email address, if given.")


@message("intake.concern-reported", 1)
class ConcernReported(Payload):
    """Someone reported a concern that a child may be missing education.

    Partial information is normal ("tell us what you can"): only the concern itself is required.
    """

    reference: Reference
    channel: ReportChannel = Field(description="How the concern arrived.")
    child: ChildDetails = Field(
        default_factory=ChildDetails, description="What the reporter knows about the child."
    )
    where_seen: Text | None = Field(
        default=None,
        description="Where and when the child was seen, in the reporter's words.",
        examples=["Outside the shops on Mill Street most weekday mornings"],
    )
    concern: Text = Field(description="The concern, in the reporter's words.")
    risk_indicators: tuple[RiskIndicator, ...] = Field(
        default=(), description="Safeguarding concerns identified in the report."
    )
    other_children: tuple[Sibling, ...] = Field(
        default=(), description="Other children in the family or household."
    )
    reporter: Reporter | None = Field(
        default=None, description="Confidential: who reported (absent for anonymous reports)."
    )
    received_at: UtcDatetime = Field(description="When intake received the concern.")
