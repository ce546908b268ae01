"""The delivery loop: sends due delivery rows to the forces, like the outbox relay does for
events. Woken after every commit that queued a delivery, and polling, so rows left by a
crash or waiting out a back-off go on the next pass.

A pass claims due rows in a short transaction (``claimed_until``, attempts + 1), sends them
outside any transaction, then records each outcome in its own short transaction. Messages
about one alert go one at a time and in order: a row waits while an earlier row of its
alert is pending or any row of its alert is in flight. A claim that is never recorded (the
process died mid-send) lapses and the row is sent again; the force recognises the repeat by
its Idempotency-Key.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import Select, and_, exists, or_, select, update

from adapters.police.client import Outcome, OutcomeKind, PoliceClient
from adapters.police.forces import ForceTable
from adapters.store.unit_of_work import Store
from services.police_notifier.outcomes import OutcomeRecorder
from services.police_notifier.records import Delivery, DeliveryState
from services.police_notifier.settings import PoliceSettings
from services.police_notifier.tables import alerts, deliveries

log = structlog.get_logger(__name__)
CLAIM_MARGIN_S = 30.0


class DeliveryLoop:
    """A Lifecycle part of police-notifier."""

    def __init__(
        self,
        store: Store,
        forces: ForceTable,
        client: PoliceClient,
        settings: PoliceSettings,
        *,
        batch: int = 50,
    ) -> None:
        self._store = store
        self._forces = forces
        self._client = client
        self._recorder = OutcomeRecorder(settings)
        self._poll_interval = settings.poll_interval_s
        self._claim_for = timedelta(seconds=settings.request_timeout_s + CLAIM_MARGIN_S)
        self._batch = batch
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="police-notifier.deliveries")

    async def stop(self) -> None:
        """Finish the pass in progress (sends in flight are recorded), then stop."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
        await self._client.aclose()

    async def run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                sent = await self.deliver_due()
            except Exception:
                log.exception("police.delivery_pass_failed")
                sent = 0
            if sent < self._batch:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._poll_interval)

    async def deliver_due(self) -> int:
        """One pass: claim, send and record up to a batch of due deliveries."""
        claimed = await self._claim()
        await asyncio.gather(*(self._deliver(delivery) for delivery in claimed))
        return len(claimed)

    async def _claim(self) -> list[Delivery]:
        async with self._store.transaction() as tx:
            now = tx.now()
            query = _due(now).limit(self._batch)
            if self._store.engine.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True, of=deliveries)
            rows = (await tx.session.execute(query)).all()
            if rows:
                await tx.session.execute(
                    update(deliveries)
                    .where(deliveries.c.delivery_id.in_([row.delivery_id for row in rows]))
                    .values(claimed_until=now + self._claim_for, attempts=deliveries.c.attempts + 1)
                )
        return [_delivery(row) for row in rows]

    async def _deliver(self, delivery: Delivery) -> None:
        outcome = await self._send(delivery)
        log.info(
            "police.delivery_attempted",
            alert_id=str(delivery.alert_id),
            delivery_id=delivery.delivery_id,
            kind=delivery.kind,
            force=delivery.force,
            attempt=delivery.attempts,
            outcome=outcome.kind.value,
            http_status=outcome.status,
        )
        try:
            async with self._store.transaction() as tx:
                await self._recorder.record(tx, delivery, outcome)
        except Exception:
            log.exception("police.delivery_record_failed", delivery_id=delivery.delivery_id)

    async def _send(self, delivery: Delivery) -> Outcome:
        """Never raises: whatever goes wrong is a transient outcome, retried and, if it goes on,
        reported to officers like an unreachable force."""
        force = self._forces.get(delivery.force or "")
        if force is None:
            return Outcome(
                OutcomeKind.TRANSIENT, detail=f"force {delivery.force!r} is not in the force table"
            )
        try:
            return await self._client.send(force, delivery.body, delivery.idempotency_key)
        except Exception as error:  # a delivery is kept and retried, never lost
            log.exception("police.delivery_send_failed", delivery_id=delivery.delivery_id)
            return Outcome(OutcomeKind.TRANSIENT, detail=f"send failed ({type(error).__name__})")


def _due(now: datetime) -> Select[Any]:
    """Pending rows that are due, not in flight, and first in their alert's queue."""
    other = deliveries.alias("other")
    held_back = exists().where(
        other.c.alert_id == deliveries.c.alert_id,
        or_(
            and_(
                other.c.delivery_id < deliveries.c.delivery_id,
                other.c.state == DeliveryState.PENDING.value,
            ),
            other.c.claimed_until > now,
        ),
    )
    return (
        select(deliveries, alerts.c.force)
        .join(alerts, alerts.c.alert_id == deliveries.c.alert_id)
        .where(
            deliveries.c.state == DeliveryState.PENDING.value,
            deliveries.c.due_at <= now,
            ~held_back,
        )
        .order_by(deliveries.c.delivery_id)
    )


def _delivery(row: Any) -> Delivery:
    return Delivery(
        delivery_id=row.delivery_id,
        alert_id=row.alert_id,
        kind=row.kind,
        revision=row.revision,
        idempotency_key=row.idempotency_key,
        body=row.body,
        attempts=row.attempts + 1,
        failure_reported=row.failure_reported,
        force=row.force,
    )
