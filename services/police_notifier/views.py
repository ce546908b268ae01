"""What officers see of a case's alerts: state and delivery history, no child details."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import select

from adapters.store.unit_of_work import Store
from services.police_notifier.tables import alerts, deliveries


class DeliveryView(BaseModel):
    kind: str
    revision: int
    state: str
    attempts: int
    last_error: str | None
    due_at: datetime
    delivered_at: datetime | None


class AlertView(BaseModel):
    alert_id: uuid.UUID
    alert_request_id: uuid.UUID
    case_id: uuid.UUID
    force: str | None
    priority: str
    status: str
    police_reference: str | None
    escalated: bool
    requested_at: datetime
    sent_at: datetime | None
    acknowledged_at: datetime | None
    cancelled_at: datetime | None
    deliveries: list[DeliveryView]


async def alerts_of_case(store: Store, case_id: uuid.UUID) -> list[AlertView]:
    async with store.transaction() as tx:
        rows = (
            await tx.session.execute(
                select(alerts).where(alerts.c.case_id == case_id).order_by(alerts.c.requested_at)
            )
        ).all()
        sent = (
            await tx.session.execute(
                select(deliveries)
                .where(deliveries.c.alert_id.in_([row.alert_id for row in rows]))
                .order_by(deliveries.c.delivery_id)
            )
        ).all()
    return [
        AlertView.model_validate(
            {
                **row._mapping,
                "deliveries": [d._mapping for d in sent if d.alert_id == row.alert_id],
            }
        )
        for row in rows
    ]
