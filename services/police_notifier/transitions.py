"""An alert's life: each change of state with the event it publishes, in the caller's
transaction. Handlers, the delivery loop and the acknowledgement route all go through here,
so an event is published once whichever of them gets there first."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from adapters.store.unit_of_work import Transaction
from schemas.envelope import Envelope, Payload, new_envelope
from schemas.v1.common import CaseOutcome
from schemas.v1.police_notifier import (
    AlertAcknowledged,
    AlertCancelled,
    AlertFailed,
    AlertFailureReason,
    AlertSent,
)
from services.police_notifier import records
from services.police_notifier.records import Alert, Status

ACK_TIMEOUT = "police-ack-timeout"
"""The timer kind: an alert's acknowledgement is overdue."""


async def publish(
    tx: Transaction, alert: Alert, payload: Payload, cause: Envelope[Any] | None = None
) -> None:
    """Publish about an alert, in its case's correlation chain (its cause's, if it has one)."""
    await tx.publish(new_envelope(payload, correlation_id=alert.correlation_id, causation=cause))


async def mark_sent(tx: Transaction, alert: Alert, at: datetime) -> Alert:
    """The force has the alert: alert-sent, once (an acknowledgement also proves it)."""
    if alert.sent_at is not None or alert.status not in records.ACTIVE:
        return alert
    status = Status.SENT if alert.status is Status.PENDING else alert.status
    await records.change(tx, alert.alert_id, status=status.value, sent_at=at)
    await publish(
        tx,
        alert,
        AlertSent(
            alert_id=alert.alert_id,
            alert_request_id=alert.alert_request_id,
            case_id=alert.case_id,
            force=_force(alert),
            sent_at=at,
        ),
    )
    return replace(alert, status=status, sent_at=at)


async def acknowledge(tx: Transaction, alert: Alert, reference: str | None, at: datetime) -> bool:
    """The force acknowledged: alert-acknowledged, once. False if nothing changed (already
    acknowledged, or the alert is being or was cancelled)."""
    if alert.acknowledged_at is not None or alert.status not in records.ACTIVE:
        return False
    alert = await mark_sent(tx, alert, at)
    await records.change(
        tx,
        alert.alert_id,
        status=Status.ACKNOWLEDGED.value,
        acknowledged_at=at,
        police_reference=reference or alert.police_reference,
    )
    await tx.cancel_timer(alert.ack_timer)
    await publish(
        tx,
        alert,
        AlertAcknowledged(
            alert_id=alert.alert_id,
            alert_request_id=alert.alert_request_id,
            case_id=alert.case_id,
            force=_force(alert),
            police_reference=reference,
            acknowledged_at=at,
        ),
    )
    return True


async def await_acknowledgement(tx: Transaction, alert: Alert, timeout_s: float) -> None:
    """(Re)start the clock on an unacknowledged alert."""
    if alert.acknowledged_at is None:
        due = tx.now() + timedelta(seconds=timeout_s)
        await tx.schedule(alert.ack_timer, ACK_TIMEOUT, due, {"alert_id": str(alert.alert_id)})


async def mark_cancelled(
    tx: Transaction,
    alert: Alert,
    outcome: CaseOutcome,
    cause: Envelope[Any] | None = None,
) -> None:
    now = tx.now()
    await records.change(
        tx, alert.alert_id, status=Status.CANCELLED.value, cancelled_at=now, outcome=outcome.value
    )
    await tx.cancel_timer(alert.ack_timer)
    await publish(
        tx,
        alert,
        AlertCancelled(
            alert_id=alert.alert_id,
            alert_request_id=alert.alert_request_id,
            case_id=alert.case_id,
            force=_force(alert),
            outcome=outcome,
            cancelled_at=now,
        ),
        cause,
    )


async def report_failure(
    tx: Transaction,
    alert: Alert,
    reason: AlertFailureReason,
    detail: str,
    cause: Envelope[Any] | None = None,
) -> None:
    """Tell officers (through tracing) that an alert needs them. ``detail`` holds no
    personal data: statuses, counts and force names only."""
    await publish(
        tx,
        alert,
        AlertFailed(
            alert_id=alert.alert_id,
            alert_request_id=alert.alert_request_id,
            case_id=alert.case_id,
            reason=reason,
            detail=detail,
            failed_at=tx.now(),
        ),
        cause,
    )


def _force(alert: Alert) -> str:
    if alert.force is None:
        raise ValueError(f"alert {alert.alert_id} has no force")
    return alert.force
