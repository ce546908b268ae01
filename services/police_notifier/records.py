"""Reading and writing police-notifier's rows. No decisions here: see handlers and outcomes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import or_, select, update

from adapters.police.messages import AlertContent, PoliceMessage, encode, idempotency_key
from adapters.store.unit_of_work import Transaction, dialect_insert
from schemas.v1.common import AlertPriority, CaseOutcome
from services.police_notifier.tables import alerts, closed_cases, deliveries


class Status(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    FAILED = "failed"
    CANCEL_PENDING = "cancel-pending"
    CANCELLED = "cancelled"


ACTIVE = frozenset({Status.PENDING, Status.SENT, Status.ACKNOWLEDGED})
"""Alerts the police hold (or are about to): an update or a cancellation applies to them."""


class DeliveryState(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Alert:
    alert_id: uuid.UUID
    alert_request_id: uuid.UUID
    case_id: uuid.UUID
    correlation_id: uuid.UUID
    force: str | None
    priority: AlertPriority
    status: Status
    content: AlertContent
    revision: int
    resends: int
    police_reference: str | None
    escalated: bool
    sent_at: datetime | None
    acknowledged_at: datetime | None
    outcome: CaseOutcome | None

    @property
    def ack_timer(self) -> str:
        return ack_timer_key(self.alert_id)


def ack_timer_key(alert_id: uuid.UUID) -> str:
    return f"ack:{alert_id}"


def alert_lock(alert_id: uuid.UUID) -> str:
    return f"police-alert:{alert_id}"


@dataclass(frozen=True)
class Delivery:
    delivery_id: int
    alert_id: uuid.UUID
    kind: str
    revision: int
    idempotency_key: str
    body: bytes
    attempts: int
    failure_reported: bool
    force: str | None


async def find(tx: Transaction, alert_id: uuid.UUID) -> Alert | None:
    row = (await tx.session.execute(select(alerts).where(alerts.c.alert_id == alert_id))).first()
    return _alert(row) if row else None


async def find_by_request(tx: Transaction, request_id: uuid.UUID) -> Alert | None:
    query = select(alerts).where(alerts.c.alert_request_id == request_id)
    row = (await tx.session.execute(query)).first()
    return _alert(row) if row else None


async def of_case(tx: Transaction, case_id: uuid.UUID) -> list[Alert]:
    query = select(alerts).where(alerts.c.case_id == case_id).order_by(alerts.c.requested_at)
    return [_alert(row) for row in (await tx.session.execute(query)).all()]


async def insert_alert(tx: Transaction, **values: Any) -> None:
    now = tx.now()
    defaults = {"revision": 1, "resends": 0, "escalated": False, "requested_at": now}
    await tx.session.execute(alerts.insert().values(**{**defaults, **values, "updated_at": now}))


async def change(tx: Transaction, alert_id: uuid.UUID, **values: Any) -> None:
    await tx.session.execute(
        update(alerts).where(alerts.c.alert_id == alert_id).values(updated_at=tx.now(), **values)
    )


async def add_delivery(tx: Transaction, message: PoliceMessage) -> None:
    """Queue a message for the delivery loop, in the transaction that decided to send it."""
    now = tx.now()
    await tx.session.execute(
        deliveries.insert().values(
            alert_id=message.alert_id,
            kind=message.type,
            revision=message.revision,
            idempotency_key=idempotency_key(message),
            body=encode(message),
            state=DeliveryState.PENDING.value,
            created_at=now,
            due_at=now,
            attempts=0,
            failure_reported=False,
        )
    )


async def may_have_reached_police(tx: Transaction, alert_id: uuid.UUID) -> bool:
    """True once any message about the alert was delivered, or attempted (an attempt that
    timed out may still have arrived)."""
    query = select(deliveries.c.delivery_id).where(
        deliveries.c.alert_id == alert_id,
        or_(deliveries.c.attempts > 0, deliveries.c.state == DeliveryState.DELIVERED.value),
    )
    return (await tx.session.execute(query.limit(1))).first() is not None


async def withdraw_pending(tx: Transaction, alert_id: uuid.UUID) -> None:
    """Stop sending what is still queued for an alert (it is being cancelled)."""
    await tx.session.execute(
        update(deliveries)
        .where(
            deliveries.c.alert_id == alert_id,
            deliveries.c.state == DeliveryState.PENDING.value,
        )
        .values(state=DeliveryState.WITHDRAWN.value)
    )


async def close_case(
    tx: Transaction, case_id: uuid.UUID, outcome: CaseOutcome, closed_at: datetime
) -> None:
    insert = dialect_insert(tx.session, closed_cases)
    await tx.session.execute(
        insert.values(
            case_id=case_id, outcome=outcome.value, closed_at=closed_at
        ).on_conflict_do_nothing(index_elements=["case_id"])
    )


async def closed_outcome(tx: Transaction, case_id: uuid.UUID) -> CaseOutcome | None:
    query = select(closed_cases.c.outcome).where(closed_cases.c.case_id == case_id)
    outcome = (await tx.session.execute(query)).scalar_one_or_none()
    return CaseOutcome(outcome) if outcome is not None else None


def _alert(row: Any) -> Alert:
    return Alert(
        alert_id=row.alert_id,
        alert_request_id=row.alert_request_id,
        case_id=row.case_id,
        correlation_id=row.correlation_id,
        force=row.force,
        priority=AlertPriority(row.priority),
        status=Status(row.status),
        content=AlertContent.model_validate(row.content),
        revision=row.revision,
        resends=row.resends,
        police_reference=row.police_reference,
        escalated=row.escalated,
        sent_at=row.sent_at,
        acknowledged_at=row.acknowledged_at,
        outcome=CaseOutcome(row.outcome) if row.outcome else None,
    )
