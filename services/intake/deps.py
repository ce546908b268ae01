"""FastAPI dependencies of intake's routes, defined once and named by the routes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from cmehub.deps import service_api
from services.intake.desk import IntakeDesk
from services.intake.ratelimit import TokenBucket, client_key


@dataclass(frozen=True)
class IntakeApi:
    """What intake's routes need at request time (the running service's ``Wiring.api``)."""

    desk: IntakeDesk
    public_limiter: TokenBucket


def intake_api(request: Request) -> IntakeApi:
    api: IntakeApi = service_api(request, "intake")
    return api


def get_desk(request: Request) -> IntakeDesk:
    return intake_api(request).desk


def get_report_limiter(request: Request) -> TokenBucket:
    return intake_api(request).public_limiter


def public_guard(request: Request) -> None:
    """429 once a client has sent its share of public reports (see IntakeSettings.public_rate)."""
    host = request.client.host if request.client else None
    admission = get_report_limiter(request).take(client_key(host))
    if not admission.allowed:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            detail="too many reports from this connection; try again later",
            headers={"Retry-After": str(math.ceil(admission.retry_after))},
        )


Desk = Annotated[IntakeDesk, Depends(get_desk)]
ReportLimiter = Annotated[TokenBucket, Depends(get_report_limiter)]
PublicGuard = Annotated[None, Depends(public_guard)]
