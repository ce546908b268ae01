"""Messages published by eligibility: whether a reported child is missing education."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Self
from uuid import UUID

from pydantic import Field, model_validator

from schemas.envelope import Payload
from schemas.registry import message
from schemas.types import Urn
from schemas.v1.common import (
    Address,
    Carer,
    ChildDetails,
    CmeCriterion,
    CriterionOutcome,
    DeletionGround,
    NotCmeReason,
    Part,
    Reference,
    RiskIndicator,
    SchoolRef,
    Sibling,
    Text,
)


class ReferralSource(StrEnum):
    """What kind of submission brought the child to the hub."""

    ROLL_OFF = "roll-off"
    CONCERN = "concern"
    TRANSFER_IN = "transfer-in"
    SIBLING = "sibling"


class AgeStatus(StrEnum):
    """Where the child stands against compulsory school age; unknown without a date of birth."""

    BELOW = "below-compulsory-school-age"
    OF_AGE = "compulsory-school-age"
    ABOVE = "above-compulsory-school-age"
    UNKNOWN = "unknown"


class CriterionResult(Part):
    """The outcome of one CME test, with the reason an officer can read."""

    criterion: CmeCriterion = Field(description="The test.")
    outcome: CriterionOutcome = Field(description="Its outcome.")
    reason: Text = Field(
        description="Why, in plain words.", examples=["Not on the roll of any school in the index"]
    )


_SOURCE_REFERENCE = "Reference of the submission that brought the child to the hub."


@message("eligibility.cme-identified", 1)
class CmeIdentified(Payload):
    """A reported child is, or may be, missing education and must be traced.

    No test may be "not-met"; a test may be "unknown" (e.g. age unknown): the case goes ahead.
    """

    reference: Reference = Field(description=_SOURCE_REFERENCE)
    child_id: UUID = Field(description="The matched child record in eligibility.")
    source: ReferralSource = Field(description="What kind of submission it was.")
    criteria: tuple[CriterionResult, ...] = Field(
        min_length=1, description="Each CME test evaluated, with its outcome."
    )
    age_status: AgeStatus = Field(description="Compulsory school age status.")
    child: ChildDetails = Field(description="The child, including the last known school.")
    carers: tuple[Carer, ...] = Field(default=(), description="Known parents and carers.")
    future_address: Address | None = Field(
        default=None, description="Where the child was said to be moving, if known."
    )
    destination_school: SchoolRef | None = Field(
        default=None, description="The school the child was said to be going to, if known."
    )
    deletion_ground: DeletionGround | None = Field(
        default=None, description="reg 9(1) ground, when the source is a deletion return."
    )
    risk_indicators: tuple[RiskIndicator, ...] = Field(
        default=(), description="Safeguarding concerns: any makes the case urgent."
    )
    siblings: tuple[Sibling, ...] = Field(
        default=(), description="Other children in the family, to be checked too."
    )

    @model_validator(mode="after")
    def _no_failed_test(self) -> Self:
        failed = [r.criterion.value for r in self.criteria if r.outcome is CriterionOutcome.NOT_MET]
        if failed:
            raise ValueError(
                f"criteria: {', '.join(failed)} is not-met, so the child is not CME "
                "(publish eligibility.not-cme instead)"
            )
        return self


@message("eligibility.not-cme", 1)
class NotCme(Payload):
    """A reported child is not missing education; nothing needs tracing."""

    reference: Reference = Field(description=_SOURCE_REFERENCE)
    child_id: UUID = Field(description="The matched child record in eligibility.")
    reason: NotCmeReason = Field(description="The main reason the child is not CME.")
    criteria: tuple[CriterionResult, ...] = Field(
        default=(), description="Each CME test evaluated, with its outcome."
    )
    explanation: Text = Field(description="The reason in plain words, for the case record.")


@message("eligibility.back-on-roll", 1)
class BackOnRoll(Payload):
    """A child known to the hub is on a school roll again (from a new-pupil return or answer)."""

    child_id: UUID = Field(description="The matched child record in eligibility.")
    school_urn: Urn = Field(description="URN of the school the child is now on roll at.")
    admission_date: date = Field(description="Date the child was admitted.")
    reference: Reference = Field(description="Reference of the submission that showed it.")
