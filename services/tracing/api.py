"""The officers' case API (authenticated officers only; every call is audited)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from pydantic import BaseModel, Field

from cmehub.auth import Officer
from cmehub.deps import service_api
from cmehub.errors import RuleViolations, Violation
from schemas.types import LaCode, Urn
from schemas.v1.common import CaseOutcome, Text
from services.tracing.desk import (
    CaseDesk,
    CaseNotFound,
    CaseSummary,
    CaseView,
    CheckResult,
    ContactRefused,
    OutcomeRefused,
    TimelineEntry,
)

router = APIRouter(prefix="/cases", tags=["cases"])
ERRORS: dict[int | str, dict[str, object]] = {
    401: {"description": "No API key, or one not recognised"},
    403: {"description": "Not a CME officer"},
    404: {"description": "No such case (or check)"},
}


def get_desk(request: Request) -> CaseDesk:
    desk: CaseDesk = service_api(request, "tracing")
    return desk


Desk = Annotated[CaseDesk, Depends(get_desk)]


class CheckResultIn(BaseModel):
    result: CheckResult = Field(description="What the check found.")
    note: Text | None = Field(default=None, description="Details, for the case record.")


class FamilyContactIn(BaseModel):
    note: Text = Field(description="Who was contacted, how, and what was learnt.")


class OutcomeIn(BaseModel):
    outcome: CaseOutcome
    school_urn: Urn | None = Field(default=None, description="For back-in-school.")
    destination_la: LaCode | None = Field(default=None, description="For moved-to-another-la.")
    note: Text | None = None


class AssignIn(BaseModel):
    officer: str = Field(min_length=1, max_length=120, examples=["officer:jsmith"])


class ReferralIn(BaseModel):
    mash_reference: str | None = Field(default=None, max_length=100)


@router.get("", responses=ERRORS)
async def list_cases(
    officer: Officer,
    desk: Desk,
    case_status: Annotated[Literal["open", "closed"] | None, Query(alias="status")] = "open",
    urgent: bool | None = None,
    trace_by_before: Annotated[
        date | None, Query(description="Deadline soon: cases to trace by this date.")
    ] = None,
    assigned_to: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[CaseSummary]:
    """List cases, soonest deadline first."""
    return await desk.list_cases(
        officer,
        status=case_status,
        urgent=urgent,
        trace_by_before=trace_by_before,
        assigned_to=assigned_to,
        limit=limit,
    )


@router.get("/{case_id}", responses=ERRORS)
async def get_case(case_id: uuid.UUID, officer: Officer, desk: Desk) -> CaseView:
    """A case: the child, checks, alerts, and what still blocks contacting the family."""
    with _not_found():
        return await desk.case(officer, case_id)


@router.get("/{case_id}/timeline", responses=ERRORS)
async def get_timeline(case_id: uuid.UUID, officer: Officer, desk: Desk) -> list[TimelineEntry]:
    """Everything that happened on the case: every event and action, who and when."""
    with _not_found():
        return await desk.timeline(officer, case_id)


@router.post("/{case_id}/checks/{check_id}/result", status_code=204, responses=ERRORS)
async def record_check(
    case_id: uuid.UUID, check_id: uuid.UUID, body: CheckResultIn, officer: Officer, desk: Desk
) -> None:
    """Record the result of a check (health, housing, council tax, social care, ...)."""
    with _not_found():
        await desk.record_check(officer, case_id, check_id, body.result, body.note)


@router.post(
    "/{case_id}/family-contact",
    status_code=204,
    responses={**ERRORS, 409: {"description": "Checks still needed first"}},
)
async def record_family_contact(
    case_id: uuid.UUID, body: FamilyContactIn, officer: Officer, desk: Desk
) -> None:
    """Record contact with the family; refused until the required checks have results."""
    with _not_found():
        try:
            await desk.family_contact(officer, case_id, body.note)
        except ContactRefused as refused:
            raise HTTPException(status.HTTP_409_CONFLICT, detail=str(refused)) from None


@router.post(
    "/{case_id}/outcome",
    status_code=204,
    responses={**ERRORS, 422: {"description": "The outcome lacks what it needs"}},
)
async def set_outcome(case_id: uuid.UUID, body: OutcomeIn, officer: Officer, desk: Desk) -> None:
    """Set the outcome: closes the case (or, for untraced, escalates and keeps it open)."""
    with _not_found():
        try:
            await desk.set_outcome(
                officer,
                case_id,
                body.outcome,
                school_urn=body.school_urn,
                destination_la=body.destination_la,
                note=body.note,
            )
        except OutcomeRefused as refused:
            raise RuleViolations(_violation(p) for p in refused.problems) from None


@router.post("/{case_id}/assignment", status_code=204, responses=ERRORS)
async def assign(case_id: uuid.UUID, body: AssignIn, officer: Officer, desk: Desk) -> None:
    """Give the case to an officer."""
    with _not_found():
        await desk.assign(officer, case_id, body.officer)


@router.post("/{case_id}/social-care-referral", status_code=204, responses=ERRORS)
async def refer(case_id: uuid.UUID, body: ReferralIn, officer: Officer, desk: Desk) -> None:
    """Record a referral to children's social care (MASH)."""
    with _not_found():
        await desk.refer_to_social_care(officer, case_id, body.mash_reference)


@contextmanager
def _not_found() -> Iterator[None]:
    try:
        yield
    except CaseNotFound as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(error)) from None


def _violation(problem: str) -> Violation:
    field, _, rule = problem.partition(": ")
    return Violation(field, rule) if rule else Violation("outcome", problem)
