"""police-notifier's HTTP edge: forces acknowledge alerts; officers look at a case's alerts."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from adapters.webhooks.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, SignatureError
from cmehub.auth import Officer
from services.police_notifier.acknowledgements import (
    AcknowledgementRequest,
    Replayed,
    UnknownAlert,
)
from services.police_notifier.deps import Acknowledgements, PoliceStore
from services.police_notifier.views import AlertView, alerts_of_case

router = APIRouter(tags=["police"])


class AcknowledgementAnswer(BaseModel):
    alert_id: uuid.UUID
    result: str


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {}}}


ACK_REQUEST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": AcknowledgementRequest.model_json_schema()}},
        "description": (
            f"Signed like the hub's own webhooks: {TIMESTAMP_HEADER} and "
            f"{SIGNATURE_HEADER} headers (see docs/police-integration.md)."
        ),
    }
}


@router.post(
    "/alerts/{alert_id}/acknowledgement",
    openapi_extra=ACK_REQUEST_BODY,
    responses={
        401: _problem("missing, forged or stale signature"),
        404: _problem("no such alert"),
        409: _problem("replay: this exact signed request was already used"),
        422: _problem("the body is not an acknowledgement"),
    },
)
async def acknowledge_alert(
    alert_id: uuid.UUID, request: Request, desk: Acknowledgements
) -> AcknowledgementAnswer:
    """A police force acknowledges an alert (signed callback)."""
    body = await request.body()
    try:
        receipt = await desk.acknowledge(alert_id, request.headers, body)
    except SignatureError as error:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail=f"signature refused: {error}",
            headers={"WWW-Authenticate": "CMEHub-Signature"},
        ) from None
    except UnknownAlert:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no such alert") from None
    except Replayed as error:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(error)) from None
    except ValidationError as error:
        raise RequestValidationError(error.errors()) from None
    return AcknowledgementAnswer(alert_id=receipt.alert_id, result=receipt.result)


@router.get("/alerts")
async def list_alerts(
    case_id: Annotated[uuid.UUID, Query(description="The CME case.")],
    _officer: Officer,
    store: PoliceStore,
) -> list[AlertView]:
    """A case's police alerts: state, acknowledgement and delivery history (officers)."""
    return await alerts_of_case(store, case_id)
