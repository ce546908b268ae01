"""tracing's database work: cases, referrals, checks, timeline entries and alerts."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select, update

from adapters.store.unit_of_work import Transaction
from schemas.v1.common import CheckKind, RiskIndicator
from services.tracing.model import Case, CaseDetails
from services.tracing.rules.plan import PlannedCheck
from services.tracing.tables import alerts, cases, checks, referrals, timeline

SYSTEM = "system"


async def open_case_of(tx: Transaction, child_id: uuid.UUID) -> Case | None:
    row = (
        await tx.session.execute(
            select(cases)
            .where(cases.c.child_id == child_id, cases.c.status == "open")
            .order_by(cases.c.opened_at.desc())
            .limit(1)
        )
    ).first()
    return Case.from_row(row) if row else None


async def get_case(tx: Transaction, case_id: uuid.UUID) -> Case | None:
    row = (await tx.session.execute(select(cases).where(cases.c.case_id == case_id))).first()
    return Case.from_row(row) if row else None


async def insert_case(
    tx: Transaction,
    *,
    child_id: uuid.UUID,
    details: CaseDetails,
    risk: Iterable[RiskIndicator],
    urgent: bool,
    trace_by: date,
    correlation_id: uuid.UUID,
) -> uuid.UUID:
    case_id = uuid.uuid4()
    await tx.session.execute(
        cases.insert().values(
            case_id=case_id,
            child_id=child_id,
            status="open",
            urgent=urgent,
            risk_indicators=sorted(r.value for r in risk),
            opened_at=tx.now(),
            trace_by=trace_by,
            correlation_id=correlation_id,
            details=details.model_dump(mode="json"),
        )
    )
    return case_id


async def update_case(tx: Transaction, case_id: uuid.UUID, **values: Any) -> None:
    if "details" in values:
        values["details"] = values["details"].model_dump(mode="json")
    if "risk_indicators" in values:
        values["risk_indicators"] = sorted(r.value for r in values["risk_indicators"])
    await tx.session.execute(update(cases).where(cases.c.case_id == case_id).values(**values))


async def add_referral(tx: Transaction, case_id: uuid.UUID, reference: str, source: str) -> None:
    await tx.session.execute(
        referrals.insert().values(
            case_id=case_id, reference=reference, source=source, received_at=tx.now()
        )
    )


async def note(
    tx: Transaction,
    case_id: uuid.UUID,
    event: str,
    summary: str,
    *,
    actor: str = SYSTEM,
    **detail: Any,
) -> None:
    """A timeline entry: what happened on the case, who did it, when."""
    await tx.session.execute(
        timeline.insert().values(
            case_id=case_id, at=tx.now(), actor=actor, event=event, summary=summary, detail=detail
        )
    )


async def insert_check(
    tx: Transaction, case_id: uuid.UUID, planned: PlannedCheck, answer_by: date | None
) -> uuid.UUID:
    check_id = uuid.uuid4()
    target = {
        "school": planned.target_school.model_dump(mode="json", exclude_none=True)
        if planned.target_school
        else None,
        "la_code": planned.target_la_code,
        "sibling_index": planned.sibling_index,
    }
    await tx.session.execute(
        checks.insert().values(
            check_id=check_id,
            case_id=case_id,
            kind=planned.kind.value,
            performer=planned.performer.value,
            target=target,
            requested_at=tx.now(),
            answer_by=answer_by,
        )
    )
    return check_id


async def case_checks(tx: Transaction, case_id: uuid.UUID) -> list[Any]:
    return list(
        (
            await tx.session.execute(
                select(checks).where(checks.c.case_id == case_id).order_by(checks.c.requested_at)
            )
        ).all()
    )


async def record_check(
    tx: Transaction, check_id: uuid.UUID, result: str, note_text: str | None, recorded_by: str
) -> bool:
    outcome = await tx.session.execute(
        update(checks)
        .where(checks.c.check_id == check_id)
        .values(result=result, note=note_text, recorded_by=recorded_by, recorded_at=tx.now())
    )
    return bool(getattr(outcome, "rowcount", 0))


async def checks_done(tx: Transaction, case_id: uuid.UUID) -> tuple[set[CheckKind], set[CheckKind]]:
    """(kinds planned, kinds with a result) on the case."""
    return planned_and_done(await case_checks(tx, case_id))


def planned_and_done(rows: Iterable[Any]) -> tuple[set[CheckKind], set[CheckKind]]:
    """(kinds planned, kinds with a result) among a case's check rows."""
    rows = list(rows)
    planned = {CheckKind(r.kind) for r in rows}
    done = {CheckKind(r.kind) for r in rows if r.result is not None}
    return planned, done


async def active_alert(tx: Transaction, case_id: uuid.UUID) -> Any:
    return (
        await tx.session.execute(
            select(alerts)
            .where(alerts.c.case_id == case_id, alerts.c.status.notin_(("cancelled", "closed")))
            .order_by(alerts.c.requested_at.desc())
            .limit(1)
        )
    ).first()


async def insert_alert(
    tx: Transaction,
    alert_request_id: uuid.UUID,
    case_id: uuid.UUID,
    priority: str,
    risk_level: str,
) -> None:
    await tx.session.execute(
        alerts.insert().values(
            alert_request_id=alert_request_id,
            case_id=case_id,
            priority=priority,
            risk_level=risk_level,
            status="requested",
            requested_at=tx.now(),
            updated_at=tx.now(),
        )
    )


async def set_alert(tx: Transaction, alert_request_id: uuid.UUID, **values: Any) -> None:
    await tx.session.execute(
        update(alerts)
        .where(alerts.c.alert_request_id == alert_request_id)
        .values(updated_at=tx.now(), **values)
    )
