"""The officers' case desk: list and read cases, record checks, family contact and outcomes.

Every call is one transaction that also writes an audit row (who read or changed which case)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import select

from adapters.auth.principal import Principal
from adapters.store.unit_of_work import Store, Transaction
from schemas.v1.common import CaseOutcome, CheckKind, RiskIndicator
from services.tracing import cases
from services.tracing.model import Case, CaseDetails
from services.tracing.rules.contact import missing_before_contact, refusal_message
from services.tracing.rules.outcomes import OUTCOME_EFFECTS, check_outcome
from services.tracing.tables import alerts, audit, checks, referrals, timeline
from services.tracing.tables import cases as cases_table
from services.tracing.workflow import Tracing

CheckResult = Literal["found", "not-found", "no-information", "not-applicable"]


class CaseNotFound(LookupError):
    pass


class ContactRefused(Exception):
    pass


class OutcomeRefused(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class CaseSummary(BaseModel):
    case_id: uuid.UUID
    child_id: uuid.UUID
    status: str
    urgent: bool
    risk_indicators: tuple[RiskIndicator, ...]
    opened_at: datetime
    trace_by: date = Field(description="Escalation date if still untraced.")
    assigned_to: str | None
    outcome: str | None
    child_name: str = Field(description="As far as known.")


class CheckView(BaseModel):
    check_id: uuid.UUID
    kind: CheckKind
    performer: str
    target: dict[str, Any]
    requested_at: datetime
    answer_by: date | None
    result: str | None
    note: str | None
    recorded_by: str | None
    recorded_at: datetime | None


class AlertView(BaseModel):
    alert_request_id: uuid.UUID
    priority: str
    risk_level: str
    status: str
    police_reference: str | None
    requested_at: datetime


class CaseView(CaseSummary):
    details: CaseDetails
    references: list[str]
    checks: list[CheckView]
    alerts: list[AlertView]
    blocking_family_contact: list[CheckKind] = Field(
        description="Checks still needing a result before the family may be contacted."
    )


class TimelineEntry(BaseModel):
    at: datetime
    actor: str
    event: str
    summary: str


class CaseDesk:
    def __init__(self, store: Store, tracing: Tracing) -> None:
        self._store = store
        self._tracing = tracing

    async def list_cases(
        self,
        principal: Principal,
        *,
        status: str | None,
        urgent: bool | None,
        trace_by_before: date | None,
        assigned_to: str | None,
        limit: int,
    ) -> list[CaseSummary]:
        query = select(cases_table).order_by(cases_table.c.trace_by).limit(limit)
        for column, value in (("status", status), ("urgent", urgent), ("assigned_to", assigned_to)):
            if value is not None:
                query = query.where(cases_table.c[column] == value)
        if trace_by_before is not None:
            query = query.where(cases_table.c.trace_by <= trace_by_before)
        async with self._store.transaction() as tx:
            rows = (await tx.session.execute(query)).all()
            await _audit(tx, principal, "read", "case list")
        return [_summary(Case.from_row(row)) for row in rows]

    async def case(self, principal: Principal, case_id: uuid.UUID) -> CaseView:
        async with self._store.transaction() as tx:
            case = await _found(tx, case_id)
            await _audit(tx, principal, "read", "case", case_id)
            return await self._view(tx, case)

    async def timeline(self, principal: Principal, case_id: uuid.UUID) -> list[TimelineEntry]:
        async with self._store.transaction() as tx:
            await _found(tx, case_id)
            await _audit(tx, principal, "read", "timeline", case_id)
            rows = (
                await tx.session.execute(
                    select(timeline)
                    .where(timeline.c.case_id == case_id)
                    .order_by(timeline.c.at, timeline.c.id)
                )
            ).all()
        return [
            TimelineEntry(at=r.at, actor=r.actor, event=r.event, summary=r.summary) for r in rows
        ]

    async def record_check(
        self,
        principal: Principal,
        case_id: uuid.UUID,
        check_id: uuid.UUID,
        result: CheckResult,
        note: str | None,
    ) -> None:
        async with self._store.transaction() as tx:
            await _found(tx, case_id)
            row = (
                await tx.session.execute(
                    select(checks).where(checks.c.check_id == check_id, checks.c.case_id == case_id)
                )
            ).first()
            if row is None:
                raise CaseNotFound(f"no check {check_id} on case {case_id}")
            await cases.record_check(tx, check_id, result, note, principal.id)
            await cases.note(
                tx, case_id, "check-recorded", f"{row.kind} check: {result}", actor=principal.id
            )
            await _audit(tx, principal, "write", f"check {row.kind}", case_id)

    async def family_contact(self, principal: Principal, case_id: uuid.UUID, note: str) -> None:
        async with self._store.transaction() as tx:
            await _found(tx, case_id)
            planned, done = await cases.checks_done(tx, case_id)
            missing = missing_before_contact(
                self._tracing.settings.required_before_contact, done, planned
            )
            if missing:
                raise ContactRefused(refusal_message(missing))
            await cases.note(tx, case_id, "family-contact", note, actor=principal.id)
            await _audit(tx, principal, "write", "family contact", case_id)

    async def set_outcome(
        self,
        principal: Principal,
        case_id: uuid.UUID,
        outcome: CaseOutcome,
        *,
        school_urn: str | None,
        destination_la: str | None,
        note: str | None,
    ) -> None:
        settings = self._tracing.settings
        problems = check_outcome(
            outcome,
            school_urn=school_urn,
            destination_la=destination_la,
            home_la_code=settings.home_la_code,
        )
        if problems:
            raise OutcomeRefused(problems)
        effect = OUTCOME_EFFECTS[outcome]
        async with self._store.transaction() as tx:
            case = await _found(tx, case_id)
            if not case.is_open:
                raise OutcomeRefused([f"case: already closed ({case.outcome})"])
            await _audit(tx, principal, "write", f"outcome {outcome.value}", case_id)
            if note:
                await cases.note(tx, case_id, "officer-note", note, actor=principal.id)
            if effect.requests_transfer and destination_la is not None:
                try:
                    await self._tracing.request_transfer(
                        tx, case, destination_la, note, principal.id
                    )
                except ValueError as error:
                    raise OutcomeRefused([str(error)]) from None
            if effect.closes:
                await self._tracing.close(
                    tx,
                    case,
                    outcome,
                    None,
                    actor=principal.id,
                    school_urn=school_urn,
                    destination_la=destination_la,
                )
            else:
                await cases.note(
                    tx,
                    case_id,
                    "recorded-untraced",
                    "Recorded as untraced: escalating now",
                    actor=principal.id,
                )
                await self._tracing.escalate(tx, case)

    async def assign(self, principal: Principal, case_id: uuid.UUID, officer: str) -> None:
        async with self._store.transaction() as tx:
            await _found(tx, case_id)
            await cases.update_case(tx, case_id, assigned_to=officer)
            await cases.note(tx, case_id, "assigned", f"Assigned to {officer}", actor=principal.id)
            await _audit(tx, principal, "write", "assignment", case_id)

    async def refer_to_social_care(
        self, principal: Principal, case_id: uuid.UUID, mash_reference: str | None
    ) -> None:
        async with self._store.transaction() as tx:
            case = await _found(tx, case_id)
            await self._tracing.refer_to_social_care(
                tx, case, None, mash_reference=mash_reference, actor=principal.id
            )
            await _audit(tx, principal, "write", "social care referral", case_id)

    async def _view(self, tx: Transaction, case: Case) -> CaseView:
        check_rows = await cases.case_checks(tx, case.case_id)
        alert_rows = (
            await tx.session.execute(
                select(alerts)
                .where(alerts.c.case_id == case.case_id)
                .order_by(alerts.c.requested_at)
            )
        ).all()
        references = (
            (
                await tx.session.execute(
                    select(referrals.c.reference)
                    .where(referrals.c.case_id == case.case_id)
                    .order_by(referrals.c.id)
                )
            )
            .scalars()
            .all()
        )
        planned, done = cases.planned_and_done(check_rows)
        blocking = missing_before_contact(
            self._tracing.settings.required_before_contact, done, planned
        )
        return CaseView(
            **_summary(case).model_dump(),
            details=case.details,
            references=list(references),
            checks=[CheckView.model_validate(r._mapping) for r in check_rows],
            alerts=[AlertView.model_validate(r._mapping) for r in alert_rows],
            blocking_family_contact=list(blocking),
        )


async def _found(tx: Transaction, case_id: uuid.UUID) -> Case:
    case = await cases.get_case(tx, case_id)
    if case is None:
        raise CaseNotFound(f"no case {case_id}")
    return case


async def _audit(
    tx: Transaction,
    principal: Principal,
    action: str,
    what: str,
    case_id: uuid.UUID | None = None,
) -> None:
    await tx.session.execute(
        audit.insert().values(
            at=tx.now(), principal=principal.id, action=action, what=what, case_id=case_id
        )
    )


def _summary(case: Case) -> CaseSummary:
    name = case.details.child.name
    child_name = " ".join(p for p in (name.forenames, name.surname) if p) or (
        name.known_as or "name not known"
    )
    return CaseSummary(
        case_id=case.case_id,
        child_id=case.child_id,
        status=case.status,
        urgent=case.urgent,
        risk_indicators=case.risk_indicators,
        opened_at=case.opened_at,
        trace_by=case.trace_by,
        assigned_to=case.assigned_to,
        outcome=case.outcome,
        child_name=child_name,
    )
