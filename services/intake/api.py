"""intake's HTTP API: schools post returns, the public and officers report concerns."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, Header, HTTPException, Query, Request, status
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from adapters.auth.principal import Principal
from cmehub.auth import Officer, School, SchoolUrnPath
from cmehub.errors import RuleViolations, Violation
from schemas.v1.common import DeletionGround, ReportChannel
from services.intake.batches import BatchReceipt
from services.intake.bulk import parse_csv_upload, parse_ctf_upload
from services.intake.deps import Desk, PublicGuard
from services.intake.errors import IdempotencyConflict
from services.intake.requests import (
    AdmissionReturn,
    ConcernReport,
    DateRuleError,
    DeletionReturn,
    Receipt,
)

router = APIRouter(tags=["intake"])
ERRORS: dict[int | str, dict[str, object]] = {
    401: {"description": "No API key, or one not recognised"},
    403: {"description": "The key may not act for this school"},
    409: {"description": "Idempotency-Key reused for a different request"},
    413: {"description": "Body too large"},
    422: {"description": "A field breaks a rule: each error names the field and the rule"},
}
T = TypeVar("T")

IdempotencyKey = Annotated[
    str | None,
    Header(
        max_length=200,
        description="Repeat a request with the same key to get the same reference, never a copy.",
    ),
]
CSV_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string"}, "example": "return_type,upn,forenames,...\n"}
        },
    }
}
CTF_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/xml": {"schema": {"type": "string"}, "example": "<CTfile>...</CTfile>"}
        },
    }
}


class PublicReceipt(BaseModel):
    reference: str = Field(
        description="Quote this reference if you contact the team.", examples=["CME-7K4P-9QX2"]
    )


class OfficerConcern(ConcernReport):
    """A concern recorded by a CME officer, e.g. taken by phone."""

    channel: Literal[ReportChannel.PHONE, ReportChannel.EMAIL, ReportChannel.API] = Field(
        default=ReportChannel.PHONE, description="How the concern reached the officer."
    )


@router.post(
    "/schools/{urn}/deletion-returns", status_code=status.HTTP_202_ACCEPTED, responses=ERRORS
)
async def post_deletion_return(
    urn: SchoolUrnPath,
    body: DeletionReturn,
    request: Request,
    principal: School,
    desk: Desk,
    idempotency_key: IdempotencyKey = None,
) -> Receipt:
    """Report that a pupil's name is being deleted from the admission register."""
    _dates_allowed(body.validate_dates, desk.today())
    return await _school_return(
        desk.receive_deletion_return, urn, body, request, principal, idempotency_key
    )


@router.post(
    "/schools/{urn}/admission-returns", status_code=status.HTTP_202_ACCEPTED, responses=ERRORS
)
async def post_admission_return(
    urn: SchoolUrnPath,
    body: AdmissionReturn,
    request: Request,
    principal: School,
    desk: Desk,
    idempotency_key: IdempotencyKey = None,
) -> Receipt:
    """Report a new pupil entered in the admission register (new-pupil return)."""
    _dates_allowed(body.validate_dates, desk.today())
    return await _school_return(
        desk.receive_admission_return, urn, body, request, principal, idempotency_key
    )


@router.post("/schools/{urn}/returns.csv", openapi_extra=CSV_BODY, responses=ERRORS)
async def post_returns_csv(
    urn: SchoolUrnPath,
    request: Request,
    principal: School,
    desk: Desk,
    idempotency_key: IdempotencyKey = None,
) -> BatchReceipt:
    """Upload many deletion and new-pupil returns as CSV (see docs/schools.md for the template).

    Each row is judged on its own: the response says, row by row, what was accepted (with
    its reference) and what was rejected and why."""
    original = await request.body()
    rows = await run_in_threadpool(parse_csv_upload, original)  # CPU-bound: off the loop
    return await _idempotent(
        desk.receive_batch(
            urn,
            rows,
            principal=principal,
            channel=ReportChannel.BULK_CSV,
            original=original,
            content_type=_content_type(request),
            idempotency_key=idempotency_key,
        )
    )


@router.post("/schools/{urn}/returns.ctf", openapi_extra=CTF_BODY, responses=ERRORS)
async def post_returns_ctf(
    urn: SchoolUrnPath,
    request: Request,
    principal: School,
    desk: Desk,
    ground: Annotated[
        DeletionGround | None,
        Query(description="reg 9(1) ground, for leavers whose destination is unknown (XXX)."),
    ] = None,
    deletion_date: Annotated[date | None, Query(description="For leavers.")] = None,
    admission_date: Annotated[date | None, Query(description="For joiners.")] = None,
    reasonable_enquiries_on: Annotated[
        date | None, Query(description="For leavers deleted on ground h or i.")
    ] = None,
    idempotency_key: IdempotencyKey = None,
) -> BatchReceipt:
    """Upload a Common Transfer File: leavers become deletion returns, joiners new-pupil returns."""
    original = await request.body()
    rows = await run_in_threadpool(
        parse_ctf_upload,
        original,
        school_urn=urn,
        ground=ground,
        deletion_date=deletion_date,
        admission_date=admission_date,
        reasonable_enquiries_on=reasonable_enquiries_on,
    )
    return await _idempotent(
        desk.receive_batch(
            urn,
            rows,
            principal=principal,
            channel=ReportChannel.BULK_CTF,
            original=original,
            content_type=_content_type(request),
            idempotency_key=idempotency_key,
        )
    )


@router.post(
    "/concerns", status_code=status.HTTP_202_ACCEPTED, responses={413: {}, 422: {}, 429: {}}
)
async def post_public_concern(
    body: ConcernReport, request: Request, desk: Desk, _guard: PublicGuard
) -> PublicReceipt:
    """Report a child who may be missing education. No sign-in; tell us what you can."""
    _dates_allowed(body.validate_dates, desk.today())
    receipt = await desk.receive_concern(
        body,
        channel=ReportChannel.API,
        original=await request.body(),
        content_type=_content_type(request),
    )
    return PublicReceipt(reference=receipt.reference)


@router.post("/officer/concerns", status_code=status.HTTP_202_ACCEPTED, responses=ERRORS)
async def post_officer_concern(
    body: OfficerConcern,
    request: Request,
    principal: Officer,
    desk: Desk,
    idempotency_key: IdempotencyKey = None,
) -> Receipt:
    """Record a concern taken by an officer (by phone, by email, or from another system)."""
    _dates_allowed(body.validate_dates, desk.today())
    report = ConcernReport.model_validate(body.model_dump(exclude={"channel"}))
    return await _idempotent(
        desk.receive_concern(
            report,
            channel=body.channel,
            original=await request.body(),
            content_type=_content_type(request),
            principal=principal,
            idempotency_key=idempotency_key,
        )
    )


async def _school_return(
    receive: Callable[..., Awaitable[Receipt]],
    urn: str,
    body: DeletionReturn | AdmissionReturn,
    request: Request,
    principal: Principal,
    idempotency_key: str | None,
) -> Receipt:
    """One return posted as JSON by a school, kept as received."""
    return await _idempotent(
        receive(
            urn,
            body,
            principal=principal,
            channel=ReportChannel.SCHOOL_RETURN,
            original=await request.body(),
            content_type=_content_type(request),
            idempotency_key=idempotency_key,
        )
    )


def _dates_allowed(check: Callable[[date], None], today: date) -> None:
    try:
        check(today)
    except DateRuleError as error:
        raise RuleViolations([Violation(error.field, error.rule)]) from None


async def _idempotent(work: Awaitable[T]) -> T:
    try:
        return await work
    except IdempotencyConflict as conflict:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(conflict)) from None


def _content_type(request: Request) -> str:
    return request.headers.get("content-type", "application/octet-stream")[:100]
