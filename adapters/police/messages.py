"""The JSON a police force receives: alerts, updates and cancellations (see
docs/police-integration.md). Only what the police need to act: never the reporter, never
the LA's case notes, never the LA's internal case id.

Every message names its alert and a revision; ``<alert_id>:<type>:<revision>`` is the
``Idempotency-Key`` of the request that carries it, so a retried delivery is recognisable
as the same message.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter

from schemas.v1.common import AlertPriority, CaseOutcome, Gender, PoliceRiskLevel, RiskIndicator

WIRE_VERSION = 1
MessageKind = Literal["alert", "update", "cancellation"]


class _Wire(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class ChildName(_Wire):
    forenames: str | None = None
    surname: str | None = None
    known_as: str | None = None


class LastKnownAddress(_Wire):
    lines: tuple[str, ...]
    town: str | None = None
    postcode: str | None = None


class Child(_Wire):
    name: ChildName
    date_of_birth: date | None = None
    approximate_age: int | None = None
    gender: Gender = Gender.NOT_KNOWN
    last_known_address: LastKnownAddress | None = None
    description: str | None = None
    photo_reference: str | None = None


class LaContact(_Wire):
    name: str
    phone: str
    email: str


class _Risk(_Wire):
    priority: AlertPriority
    risk_level: PoliceRiskLevel
    risk_indicators: tuple[RiskIndicator, ...] = ()
    reason: str


class AlertContent(_Risk):
    """An alert as the police see it; kept by police-notifier and sent (again) from it."""

    child: Child
    la_contact: LaContact


class _Header(_Wire):
    """What every message starts with; ``type`` is narrowed by each message."""

    type: MessageKind
    version: int = WIRE_VERSION
    alert_id: UUID
    revision: int = Field(ge=1)
    issued_at: AwareDatetime


class _AlertHeader(_Header):
    resent: bool = Field(
        default=False, description="A re-send of an unacknowledged alert (same alert_id)."
    )


class AlertMessage(AlertContent, _AlertHeader):
    type: Literal["alert"] = "alert"


class UpdateMessage(_Risk, _Header):
    type: Literal["update"] = "update"


class CancellationMessage(_Header):
    type: Literal["cancellation"] = "cancellation"
    outcome: CaseOutcome
    reason: str


PoliceMessage = Annotated[
    AlertMessage | UpdateMessage | CancellationMessage, Field(discriminator="type")
]
POLICE_MESSAGE: TypeAdapter[AlertMessage | UpdateMessage | CancellationMessage] = TypeAdapter(
    PoliceMessage
)

CANCELLATION_REASONS: dict[CaseOutcome, str] = {
    CaseOutcome.BACK_IN_SCHOOL: "The child has been found and is back in school.",
    CaseOutcome.MOVED_TO_ANOTHER_LA: "The child has been found living in another local authority.",
    CaseOutcome.ELECTIVELY_HOME_EDUCATED: "The child has been found and is educated at home.",
    CaseOutcome.LEFT_THE_COUNTRY: "The child is known to have left the country.",
    CaseOutcome.DIED: "The local authority has closed its case: the child has died.",
    CaseOutcome.UNTRACED: (
        "The local authority has closed its case without tracing the child; "
        "it no longer asks the police to act on this alert."
    ),
}


def idempotency_key(message: AlertMessage | UpdateMessage | CancellationMessage) -> str:
    return f"{message.alert_id}:{message.type}:{message.revision}"


def encode(message: AlertMessage | UpdateMessage | CancellationMessage) -> bytes:
    return message.model_dump_json().encode()


def decode(body: bytes) -> AlertMessage | UpdateMessage | CancellationMessage:
    return POLICE_MESSAGE.validate_json(body)


def alert_message(
    alert_id: UUID, revision: int, issued_at: datetime, content: AlertContent, *, resent: bool
) -> AlertMessage:
    return AlertMessage(
        alert_id=alert_id,
        revision=revision,
        issued_at=issued_at,
        resent=resent,
        **dict(content),
    )


def cancellation_message(
    alert_id: UUID, revision: int, issued_at: datetime, outcome: CaseOutcome
) -> CancellationMessage:
    return CancellationMessage(
        alert_id=alert_id,
        revision=revision,
        issued_at=issued_at,
        outcome=outcome,
        reason=CANCELLATION_REASONS[outcome],
    )
