"""The envelope every message travels in, and the base class of every payload."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from schemas.types import UtcDatetime, utc_now


class Payload(BaseModel):
    """Base of every message payload.

    Readers are tolerant: unknown fields are ignored, so a producer may add optional fields
    without breaking older consumers. Payloads are immutable once built.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    message_type: ClassVar[str] = ""
    message_version: ClassVar[int] = 0
    producer: ClassVar[str] = ""

    @classmethod
    def routing_key(cls) -> str:
        return f"{cls.message_type}.v{cls.message_version}"


P = TypeVar("P", bound=Payload)


class Envelope(BaseModel, Generic[P]):
    """Metadata common to every message, with the typed payload inside."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    message_id: uuid.UUID = Field(description="Unique per message; new for every message sent.")
    type: str = Field(
        description="Message type, '<producer>.<event-name>'.",
        examples=["intake.roll-off-notified"],
    )
    version: int = Field(ge=1, description="Schema version of the payload.")
    occurred_at: UtcDatetime = Field(description="When the event happened (UTC).")
    correlation_id: uuid.UUID = Field(
        description="Ties together every message of one referral or case chain."
    )
    causation_id: uuid.UUID | None = Field(
        default=None, description="message_id of the message that caused this one, if any."
    )
    producer: str = Field(description="Service that produced the message.", examples=["intake"])
    payload: P

    @property
    def routing_key(self) -> str:
        return f"{self.type}.v{self.version}"


class RawEnvelope(BaseModel):
    """An envelope whose payload has not been typed yet (first step of parsing)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    message_id: uuid.UUID
    type: str
    version: int = Field(ge=1)
    occurred_at: UtcDatetime
    correlation_id: uuid.UUID
    causation_id: uuid.UUID | None = None
    producer: str
    payload: dict[str, Any]


def new_envelope(
    payload: P,
    *,
    correlation_id: uuid.UUID | None = None,
    causation: Envelope[Any] | None = None,
) -> Envelope[P]:
    """Wrap a payload: a new message_id, now, and the correlation chain of its cause (if any)."""
    message_id = uuid.uuid4()
    if causation is not None:
        correlation_id = causation.correlation_id
    return Envelope[type(payload)](  # type: ignore[misc,operator,no-any-return]
        message_id=message_id,
        type=payload.message_type,
        version=payload.message_version,
        occurred_at=utc_now(),
        correlation_id=correlation_id or message_id,
        causation_id=causation.message_id if causation is not None else None,
        producer=payload.producer,
        payload=payload,
    )
