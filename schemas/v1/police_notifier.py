"""Messages published by police-notifier: the life of a missing-child alert to the police."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import Field

from schemas.envelope import Payload
from schemas.registry import message
from schemas.types import UtcDatetime
from schemas.v1.common import CaseOutcome, ShortText, Text

_REQUEST = "The tracing.police-alert-requested this alert answers."
_CASE_ID = "The CME case."
Force = Annotated[
    ShortText, Field(description="Police force the alert went to.", examples=["cheshire"])
]


class AlertFailureReason(StrEnum):
    """Why an alert could not be delivered or was not acknowledged."""

    NO_FORCE_FOR_AREA = "no-force-for-area"
    REJECTED = "rejected"
    UNREACHABLE = "unreachable"
    NOT_ACKNOWLEDGED = "not-acknowledged"


@message("police-notifier.alert-sent", 1)
class AlertSent(Payload):
    """A missing-child alert was delivered to a police force."""

    alert_id: UUID = Field(description="The alert, as held by police-notifier.")
    alert_request_id: UUID = Field(description=_REQUEST)
    case_id: UUID = Field(description=_CASE_ID)
    force: Force
    sent_at: UtcDatetime = Field(description="When the force's endpoint accepted the alert.")


@message("police-notifier.alert-acknowledged", 1)
class AlertAcknowledged(Payload):
    """A police force acknowledged a missing-child alert."""

    alert_id: UUID = Field(description="The alert, as held by police-notifier.")
    alert_request_id: UUID = Field(description=_REQUEST)
    case_id: UUID = Field(description=_CASE_ID)
    force: Force
    police_reference: ShortText | None = Field(
        default=None, description="The force's incident or log number, if given."
    )
    acknowledged_at: UtcDatetime = Field(description="When the force acknowledged.")


@message("police-notifier.alert-failed", 1)
class AlertFailed(Payload):
    """A missing-child alert could not be delivered or was not acknowledged in time."""

    alert_id: UUID | None = Field(
        default=None, description="The alert, if one was created before the failure."
    )
    alert_request_id: UUID = Field(description=_REQUEST)
    case_id: UUID = Field(description=_CASE_ID)
    reason: AlertFailureReason = Field(description="What went wrong.")
    detail: Text | None = Field(
        default=None, description="More about the failure, without personal data."
    )
    failed_at: UtcDatetime = Field(description="When the failure was established.")


@message("police-notifier.alert-cancelled", 1)
class AlertCancelled(Payload):
    """A missing-child alert was cancelled with the police because the case closed."""

    alert_id: UUID = Field(description="The alert, as held by police-notifier.")
    alert_request_id: UUID = Field(description=_REQUEST)
    case_id: UUID = Field(description=_CASE_ID)
    force: Force
    outcome: CaseOutcome = Field(description="The case outcome given to the police.")
    cancelled_at: UtcDatetime = Field(description="When the cancellation was delivered.")
