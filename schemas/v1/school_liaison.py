"""Messages published by school-liaison: roll queries to schools and notices to them."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Self
from uuid import UUID

from pydantic import Field, model_validator

from schemas.envelope import Payload
from schemas.registry import message
from schemas.types import Upn, Urn, UtcDatetime
from schemas.v1.common import ShortText

_CASE_ID = "The CME case."


class RollAnswer(StrEnum):
    """A school's answer to "is this child on your roll?"."""

    ON_ROLL = "on-roll"
    NOT_ON_ROLL = "not-on-roll"
    LEFT = "left"


class SchoolNoticeKind(StrEnum):
    """What a notice to a school is about."""

    PLACEMENT = "placement"
    CASE_CLOSED = "case-closed"


@message("school-liaison.roll-query-sent", 1)
class RollQuerySent(Payload):
    """A school was asked whether a child is on its roll."""

    query_id: UUID = Field(description="The query; the answer refers to it.")
    check_id: UUID = Field(description="The tracing check it serves.")
    case_id: UUID = Field(description=_CASE_ID)
    school_urn: Urn = Field(description="The school asked.")
    sent_at: UtcDatetime = Field(description="When the query was sent.")
    answer_by: date = Field(description="Date by which the school should answer.")


@message("school-liaison.roll-query-answered", 1)
class RollQueryAnswered(Payload):
    """A school answered whether a child is on its roll."""

    query_id: UUID = Field(description="The query answered.")
    check_id: UUID = Field(description="The tracing check it serves.")
    case_id: UUID = Field(description=_CASE_ID)
    school_urn: Urn = Field(description="The school that answered.")
    answer: RollAnswer = Field(description="On roll, not on roll, or left.")
    left_on: date | None = Field(default=None, description="Date the child left (answer 'left').")
    upn: Upn | None = Field(default=None, description="The child's UPN, if the school gave it.")
    answered_by: ShortText = Field(
        description="Name or role of who answered.", examples=["Attendance officer"]
    )
    answered_at: UtcDatetime = Field(description="When the answer arrived.")

    @model_validator(mode="after")
    def _left_needs_date(self) -> Self:
        if self.answer is RollAnswer.LEFT and self.left_on is None:
            raise ValueError("left_on is required when answer is 'left'")
        return self


@message("school-liaison.school-notified", 1)
class SchoolNotified(Payload):
    """A school was sent a notice about a case (a placement, or that the case closed)."""

    notice_id: UUID = Field(description="The notice.")
    case_id: UUID = Field(description=_CASE_ID)
    school_urn: Urn = Field(description="The school notified.")
    kind: SchoolNoticeKind = Field(description="What the notice is about.")
    sent_at: UtcDatetime = Field(description="When the notice was sent.")
