"""What one delivery attempt's outcome changes, recorded in a short transaction after the
send: the delivery row, the alert's state and the events that follow."""

from __future__ import annotations

from datetime import datetime, timedelta

import structlog
from sqlalchemy import select, update

from adapters.backoff import backoff_s
from adapters.police.client import Outcome, OutcomeKind
from adapters.store.unit_of_work import Transaction
from schemas.v1.police_notifier import AlertFailureReason
from services.police_notifier import records, transitions
from services.police_notifier.records import Alert, Delivery, DeliveryState, Status
from services.police_notifier.settings import PoliceSettings
from services.police_notifier.tables import deliveries

log = structlog.get_logger(__name__)


class OutcomeRecorder:
    def __init__(self, settings: PoliceSettings) -> None:
        self._settings = settings

    async def record(self, tx: Transaction, delivery: Delivery, outcome: Outcome) -> None:
        await tx.lock(records.alert_lock(delivery.alert_id))
        alert = await records.find(tx, delivery.alert_id)
        if alert is None:
            raise LookupError(f"delivery {delivery.delivery_id}: alert {delivery.alert_id} missing")
        if await _state(tx, delivery) is DeliveryState.WITHDRAWN:
            await _withdrawn(tx, delivery, outcome)
        elif outcome.kind is OutcomeKind.ACCEPTED:
            await self._accepted(tx, delivery, alert, outcome)
        elif outcome.kind is OutcomeKind.REJECTED:
            await self._rejected(tx, delivery, alert, outcome)
        else:
            await self._transient(tx, delivery, alert, outcome)

    async def _accepted(
        self, tx: Transaction, delivery: Delivery, alert: Alert, outcome: Outcome
    ) -> None:
        now = tx.now()
        await _finish(tx, delivery, DeliveryState.DELIVERED, delivered_at=now)
        if delivery.kind == "cancellation":
            if alert.status is Status.CANCEL_PENDING and alert.outcome is not None:
                await transitions.mark_cancelled(tx, alert, alert.outcome)
            return
        if delivery.kind == "alert":
            alert = await transitions.mark_sent(tx, alert, now)
        if outcome.acknowledged:
            await transitions.acknowledge(tx, alert, outcome.police_reference, now)
        elif delivery.kind == "alert" and alert.status is Status.SENT:
            await transitions.await_acknowledgement(
                tx, alert, self._settings.ack_timeout_s(alert.priority)
            )

    async def _rejected(
        self, tx: Transaction, delivery: Delivery, alert: Alert, outcome: Outcome
    ) -> None:
        await _finish(tx, delivery, DeliveryState.REJECTED, last_error=outcome.detail[:1000])
        if delivery.kind == "alert" and alert.status is Status.PENDING:
            await records.change(tx, alert.alert_id, status=Status.FAILED.value)
        detail = f"{alert.force} refused the {delivery.kind} ({outcome.detail}); not retried"
        await transitions.report_failure(tx, alert, AlertFailureReason.REJECTED, detail)

    async def _transient(
        self, tx: Transaction, delivery: Delivery, alert: Alert, outcome: Outcome
    ) -> None:
        report = (
            delivery.attempts >= self._settings.unreachable_after and not delivery.failure_reported
        )
        await tx.session.execute(
            update(deliveries)
            .where(deliveries.c.delivery_id == delivery.delivery_id)
            .values(
                claimed_until=None,
                last_error=outcome.detail[:1000],
                due_at=self._next_attempt(tx.now(), delivery.attempts, outcome),
                failure_reported=delivery.failure_reported or report,
            )
        )
        if report:
            detail = (
                f"{delivery.attempts} attempts to deliver the {delivery.kind} to {alert.force} "
                f"failed (last: {outcome.detail}); still retrying"
            )
            await transitions.report_failure(tx, alert, AlertFailureReason.UNREACHABLE, detail)

    def _next_attempt(self, now: datetime, attempts: int, outcome: Outcome) -> datetime:
        settings = self._settings
        delay = backoff_s(attempts, settings.retry_initial_s, settings.retry_max_s)
        if outcome.retry_after_s is not None:
            delay = max(delay, min(outcome.retry_after_s, settings.retry_max_s))
        return now + timedelta(seconds=delay)


async def _state(tx: Transaction, delivery: Delivery) -> DeliveryState:
    query = select(deliveries.c.state).where(deliveries.c.delivery_id == delivery.delivery_id)
    return DeliveryState((await tx.session.execute(query)).scalar_one())


async def _withdrawn(tx: Transaction, delivery: Delivery, outcome: Outcome) -> None:
    """A delivery withdrawn (the case closed) while it was being sent: keep what happened
    for the record; the cancellation queued behind it follows."""
    if outcome.kind is OutcomeKind.ACCEPTED:
        await _finish(tx, delivery, DeliveryState.DELIVERED, delivered_at=tx.now())
    else:
        await _finish(tx, delivery, DeliveryState.WITHDRAWN, last_error=outcome.detail[:1000])


async def _finish(
    tx: Transaction, delivery: Delivery, state: DeliveryState, **values: object
) -> None:
    await tx.session.execute(
        update(deliveries)
        .where(deliveries.c.delivery_id == delivery.delivery_id)
        .values(state=state.value, claimed_until=None, **values)
    )
