"""police-notifier's handlers: what each request from tracing, and each overdue
acknowledgement, changes. HTTP sends happen later, in the delivery loop, from the delivery
rows written here (in the same transaction as the change they belong to)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import structlog

from adapters.police.forces import ForceTable, NoForce, route
from adapters.police.messages import PoliceMessage, alert_message, cancellation_message
from adapters.police.translate import alert_content, postcode_of, update_message, updated_content
from adapters.store.timers import Timer
from adapters.store.unit_of_work import Transaction
from schemas.envelope import Envelope
from schemas.v1.common import AlertPriority, CaseOutcome
from schemas.v1.police_notifier import AlertFailureReason
from schemas.v1.tracing import CaseClosed, PoliceAlertRequested, PoliceAlertUpdateRequested
from services.police_notifier import records, transitions
from services.police_notifier.records import Alert, Status
from services.police_notifier.settings import PoliceSettings

log = structlog.get_logger(__name__)


class AlertNotYetKnown(LookupError):
    """An update arrived before its alert request: retried later (the broker's back-off)."""


class PoliceNotifier:
    def __init__(
        self, forces: ForceTable, settings: PoliceSettings, wake: Callable[[], None]
    ) -> None:
        self._forces = forces
        self._settings = settings
        self._wake = wake

    async def on_alert_requested(self, envelope: Envelope[Any], tx: Transaction) -> None:
        """A new alert: routed to a force and queued for delivery (once per request)."""
        request: PoliceAlertRequested = envelope.payload
        await tx.lock(f"police-alert-request:{request.alert_request_id}")
        if await records.find_by_request(tx, request.alert_request_id) is not None:
            return
        alert_id, content = uuid.uuid4(), alert_content(request)
        values = {
            "alert_id": alert_id,
            "alert_request_id": request.alert_request_id,
            "case_id": request.case_id,
            "correlation_id": envelope.correlation_id,
            "priority": request.priority.value,
            "content": content.model_dump(mode="json"),
        }
        try:
            force = route(postcode_of(request), self._forces).name
        except NoForce:
            await records.insert_alert(tx, **values, status=Status.FAILED.value)
            alert = await _get(tx, alert_id)
            detail = "no police force is configured (the force table is empty)"
            await transitions.report_failure(
                tx, alert, AlertFailureReason.NO_FORCE_FOR_AREA, detail, envelope
            )
            return
        await records.insert_alert(tx, **values, force=force, status=Status.PENDING.value)
        closed = await records.closed_outcome(tx, request.case_id)
        if closed is not None:
            await transitions.mark_cancelled(tx, await _get(tx, alert_id), closed, envelope)
            return
        await self._deliver(tx, alert_message(alert_id, 1, tx.now(), content, resent=False))
        log.info("police.alert_queued", alert_id=str(alert_id), force=force)

    async def on_update_requested(self, envelope: Envelope[Any], tx: Transaction) -> None:
        """The risk changed: an update message for the force (the alert's next revision)."""
        update: PoliceAlertUpdateRequested = envelope.payload
        alert = await self._locked_by_request(tx, update.alert_request_id)
        if alert.status not in records.ACTIVE:
            log.info("police.update_ignored", alert_id=str(alert.alert_id), status=alert.status)
            return
        revision = alert.revision + 1
        await records.change(
            tx,
            alert.alert_id,
            revision=revision,
            priority=update.priority.value,
            content=updated_content(alert.content, update).model_dump(mode="json"),
        )
        await self._deliver(tx, update_message(alert.alert_id, revision, tx.now(), update))
        if _became_urgent(alert, update.priority) and alert.status is Status.SENT:
            await transitions.await_acknowledgement(
                tx, alert, self._settings.ack_timeout_s(update.priority)
            )

    async def on_case_closed(self, envelope: Envelope[Any], tx: Transaction) -> None:
        """The case ended: every alert the police hold is cancelled with them."""
        closed: CaseClosed = envelope.payload
        await records.close_case(tx, closed.case_id, closed.outcome, closed.closed_at)
        alerts = await records.of_case(tx, closed.case_id)
        await tx.lock(*(records.alert_lock(a.alert_id) for a in alerts))
        for alert in await records.of_case(tx, closed.case_id):
            if alert.status in records.ACTIVE:
                await self._cancel(tx, alert, closed.outcome, envelope)

    async def on_ack_timeout(self, timer: Timer, tx: Transaction) -> None:
        """Still unacknowledged: tell officers (once) and send the alert again (a few times)."""
        alert_id = uuid.UUID(str(timer.data["alert_id"]))
        await tx.lock(records.alert_lock(alert_id))
        alert = await records.find(tx, alert_id)
        if alert is None or alert.status is not Status.SENT or alert.acknowledged_at is not None:
            return
        if not alert.escalated:
            timeout = int(self._settings.ack_timeout_s(alert.priority))
            detail = f"{alert.force} has not acknowledged the alert {timeout} s after it was sent"
            await transitions.report_failure(tx, alert, AlertFailureReason.NOT_ACKNOWLEDGED, detail)
            await records.change(tx, alert_id, escalated=True)
        if alert.resends < self._settings.max_resends:
            revision = alert.revision + 1
            await records.change(tx, alert_id, revision=revision, resends=alert.resends + 1)
            message = alert_message(alert_id, revision, tx.now(), alert.content, resent=True)
            await self._deliver(tx, message)
        log.info("police.ack_overdue", alert_id=str(alert_id), resends=alert.resends)

    async def _cancel(
        self, tx: Transaction, alert: Alert, outcome: CaseOutcome, cause: Envelope[Any]
    ) -> None:
        """Withdraw what is still queued; if nothing can have reached the force, the alert
        just ends; otherwise a cancellation is sent and the alert ends when it is delivered."""
        await tx.cancel_timer(alert.ack_timer)
        reached = await records.may_have_reached_police(tx, alert.alert_id)
        await records.withdraw_pending(tx, alert.alert_id)
        if not reached:
            await transitions.mark_cancelled(tx, alert, outcome, cause)
            log.info("police.alert_withdrawn", alert_id=str(alert.alert_id))
            return
        revision = alert.revision + 1
        await records.change(
            tx,
            alert.alert_id,
            revision=revision,
            status=Status.CANCEL_PENDING.value,
            outcome=outcome.value,
        )
        await self._deliver(tx, cancellation_message(alert.alert_id, revision, tx.now(), outcome))

    async def _locked_by_request(self, tx: Transaction, request_id: uuid.UUID) -> Alert:
        found = await records.find_by_request(tx, request_id)
        if found is None:
            raise AlertNotYetKnown(f"no alert yet for alert request {request_id}")
        await tx.lock(records.alert_lock(found.alert_id))
        return await _get(tx, found.alert_id)

    async def _deliver(self, tx: Transaction, message: PoliceMessage) -> None:
        """Queue a message for the force; the delivery loop is woken once it is committed
        (it also polls)."""
        await records.add_delivery(tx, message)
        tx.after_commit(self._wake)


async def _get(tx: Transaction, alert_id: uuid.UUID) -> Alert:
    alert = await records.find(tx, alert_id)
    if alert is None:
        raise LookupError(f"alert {alert_id} vanished")
    return alert


def _became_urgent(alert: Alert, priority: AlertPriority) -> bool:
    return alert.priority is AlertPriority.ROUTINE and priority is AlertPriority.URGENT
