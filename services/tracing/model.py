"""What tracing keeps about a case's child, and the shape of a case read from the database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from schemas.v1.common import (
    Address,
    Carer,
    ChildDetails,
    DeletionGround,
    Part,
    RiskIndicator,
    SchoolRef,
    Sibling,
)


class CaseDetails(Part):
    """The child and family as last reported (kept as JSON on the case)."""

    child: ChildDetails
    carers: tuple[Carer, ...] = ()
    destination_school: SchoolRef | None = None
    future_address: Address | None = None
    deletion_ground: DeletionGround | None = None
    siblings: tuple[Sibling, ...] = ()


@dataclass(frozen=True)
class Case:
    case_id: uuid.UUID
    child_id: uuid.UUID
    status: str
    urgent: bool
    risk_indicators: tuple[RiskIndicator, ...]
    opened_at: datetime
    trace_by: date
    escalated_at: datetime | None
    lost_pupil_upload_requested_at: datetime | None
    assigned_to: str | None
    outcome: str | None
    closed_at: datetime | None
    correlation_id: uuid.UUID
    details: CaseDetails

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @classmethod
    def from_row(cls, row: Any) -> Case:
        values = dict(row._mapping)
        values["risk_indicators"] = tuple(RiskIndicator(r) for r in values["risk_indicators"])
        values["details"] = CaseDetails.model_validate(values["details"])
        return cls(**values)
