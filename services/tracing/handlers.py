"""tracing's message and timer handlers: each finds the case and asks the workflow to act."""

from __future__ import annotations

import uuid
from typing import Any

from adapters.store.timers import Timer
from adapters.store.unit_of_work import Transaction
from schemas.envelope import Envelope
from schemas.v1.common import CaseOutcome, CheckKind
from schemas.v1.school_liaison import RollAnswer
from services.tracing import cases
from services.tracing.workflow import Tracing

ALERT_STATUS = {
    "police-notifier.alert-sent": "sent",
    "police-notifier.alert-acknowledged": "acknowledged",
    "police-notifier.alert-failed": "failed",
    "police-notifier.alert-cancelled": "cancelled",
}


class CaseHandlers:
    def __init__(self, tracing: Tracing) -> None:
        self._tracing = tracing

    async def on_cme_identified(self, envelope: Envelope[Any], tx: Transaction) -> None:
        await self._tracing.identified(tx, envelope)

    async def on_not_cme(self, envelope: Envelope[Any], tx: Transaction) -> None:
        """A later report says the child is not CME: the officer should know, not auto-close."""
        case = await cases.open_case_of(tx, envelope.payload.child_id)
        if case is not None:
            decision = envelope.payload
            await cases.note(
                tx,
                case.case_id,
                "later-report-not-cme",
                f"Later report {decision.reference}: not CME ({decision.reason.value}): "
                f"{decision.explanation}",
                reference=decision.reference,
            )

    async def on_back_on_roll(self, envelope: Envelope[Any], tx: Transaction) -> None:
        back = envelope.payload
        case = await cases.open_case_of(tx, back.child_id)
        if case is not None:
            await self._tracing.close(
                tx, case, CaseOutcome.BACK_IN_SCHOOL, envelope, school_urn=back.school_urn
            )

    async def on_roll_query_answered(self, envelope: Envelope[Any], tx: Transaction) -> None:
        answer = envelope.payload
        await cases.record_check(
            tx, answer.check_id, answer.answer.value, None, f"school:{answer.school_urn}"
        )
        case = await cases.get_case(tx, answer.case_id)
        if case is None:
            return
        await cases.note(
            tx,
            case.case_id,
            "roll-query-answered",
            f"School {answer.school_urn} answered: {answer.answer.value}",
            actor=f"school:{answer.school_urn}",
        )
        if answer.answer is RollAnswer.ON_ROLL and case.is_open:
            await self._tracing.close(
                tx, case, CaseOutcome.BACK_IN_SCHOOL, envelope, school_urn=answer.school_urn
            )

    async def on_alert_event(self, envelope: Envelope[Any], tx: Transaction) -> None:
        event = envelope.payload
        status = ALERT_STATUS[envelope.type]
        values: dict[str, Any] = {"status": status}
        if getattr(event, "police_reference", None):
            values["police_reference"] = event.police_reference
        await cases.set_alert(tx, event.alert_request_id, **values)
        detail = f": {event.reason.value}" if status == "failed" else ""
        await cases.note(
            tx,
            event.case_id,
            f"police-alert-{status}",
            f"Police alert {status}{detail}",
            actor="police-notifier",
            alert_request_id=str(event.alert_request_id),
        )

    async def on_exchange_event(self, envelope: Envelope[Any], tx: Transaction) -> None:
        event = envelope.payload
        if envelope.type == "dfe-exchange.lost-pupil-uploaded":
            await _record_kind(tx, event.case_id, CheckKind.LOST_PUPIL_DATABASE, "uploaded")
        summary = envelope.type.removeprefix("dfe-exchange.").replace("-", " ")
        await cases.note(
            tx,
            event.case_id,
            envelope.type.removeprefix("dfe-exchange."),
            summary.capitalize(),
            actor="dfe-exchange",
        )

    async def on_deadline(self, timer: Timer, tx: Transaction) -> None:
        case = await cases.get_case(tx, uuid.UUID(timer.data["case_id"]))
        if case is not None and case.is_open:
            await self._tracing.escalate(tx, case)


async def _record_kind(tx: Transaction, case_id: uuid.UUID, kind: CheckKind, result: str) -> None:
    for check in await cases.case_checks(tx, case_id):
        if check.kind == kind.value and check.result is None:
            await cases.record_check(tx, check.check_id, result, None, "dfe-exchange")
