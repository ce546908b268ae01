"""What tracing does to a case: open or join it, plan and request checks, alert the police,
refer to social care and siblings, escalate at the deadline, close. Every action leaves a
timeline entry and publishes its event in the same transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import structlog

from adapters.clock import UK, uk_date
from adapters.store.unit_of_work import Transaction
from schemas.envelope import Envelope, Payload, new_envelope
from schemas.v1.common import AlertPriority, CaseOutcome, CheckKind, LaContact, PersonName
from schemas.v1.common import TransferPupil as CtfPupil
from schemas.v1.eligibility import CmeIdentified
from schemas.v1.tracing import (
    CaseClosed,
    CaseOpened,
    CheckRequested,
    LostPupilUploadRequested,
    PoliceAlertChild,
    PoliceAlertRequested,
    PoliceAlertUpdateRequested,
    RollCheckChild,
    SiblingReferred,
    SocialCareReferralRecorded,
    TransferRequested,
)
from services.tracing import cases
from services.tracing.model import Case, CaseDetails
from services.tracing.rules.calendar import NoSchoolDayError, SchoolCalendar
from services.tracing.rules.escalation import is_urgent, on_deadline, risk_level
from services.tracing.rules.plan import Performer, PlanInput, PlannedCheck, tracing_plan
from services.tracing.settings import TracingSettings

DEADLINE = "deadline"
log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Tracing:
    settings: TracingSettings
    calendar: SchoolCalendar

    @property
    def la_contact(self) -> LaContact:
        return self.settings.la_contact()

    def trace_by(self, opened: datetime) -> date:
        return self._school_days_after(uk_date(opened), self.settings.deadline_school_days)

    def answer_by(self, now: datetime) -> date:
        return self._school_days_after(uk_date(now), self.settings.check_answer_school_days)

    def _school_days_after(self, start: date, days: int) -> date:
        """Beyond the configured terms, count weekdays: a deadline may come early, never late."""
        try:
            return self.calendar.add_school_days(start, days)
        except NoSchoolDayError:
            log.warning("tracing.terms_not_configured_that_far", start=start.isoformat())
            return self.calendar.without_terms().add_school_days(start, days)

    async def identified(self, tx: Transaction, envelope: Envelope[Any]) -> None:
        found: CmeIdentified = envelope.payload
        case = await cases.open_case_of(tx, found.child_id)
        if case is None:
            await self.open(tx, envelope, found)
        else:
            await self.join(tx, envelope, found, case)

    async def open(self, tx: Transaction, cause: Envelope[Any], found: CmeIdentified) -> None:
        urgent = is_urgent(found.risk_indicators)
        trace_by = self.trace_by(tx.now())
        details = CaseDetails(
            child=found.child,
            carers=found.carers,
            destination_school=found.destination_school,
            future_address=found.future_address,
            deletion_ground=found.deletion_ground,
            siblings=found.siblings,
        )
        case_id = await cases.insert_case(
            tx,
            child_id=found.child_id,
            details=details,
            risk=found.risk_indicators,
            urgent=urgent,
            trace_by=trace_by,
            correlation_id=cause.correlation_id,
        )
        await cases.add_referral(tx, case_id, found.reference, found.source.value)
        await cases.note(
            tx,
            case_id,
            "case-opened",
            f"Opened from {found.source.value} {found.reference}; trace by {trace_by}",
            reference=found.reference,
        )
        await tx.schedule(
            f"case:{case_id}:deadline", DEADLINE, deadline_due(trace_by), {"case_id": str(case_id)}
        )
        await tx.publish(
            new_envelope(
                CaseOpened(
                    case_id=case_id,
                    child_id=found.child_id,
                    reference=found.reference,
                    opened_at=tx.now(),
                    trace_by=trace_by,
                    urgent=urgent,
                ),
                causation=cause,
            )
        )
        case = await self._case(tx, case_id)
        await self.request_checks(tx, case, self.plan(details), cause)
        if urgent:
            await self.alert_police(
                tx,
                case,
                AlertPriority.URGENT,
                cause,
                reason=_risk_reason(case),
            )
            await self.refer_to_social_care(tx, case, cause)
        await self.refer_siblings(tx, case, found.reference, cause)

    async def join(
        self, tx: Transaction, cause: Envelope[Any], found: CmeIdentified, case: Case
    ) -> None:
        """Another report of a child with an open case: one case, with everything reported."""
        await cases.add_referral(tx, case.case_id, found.reference, found.source.value)
        await cases.note(
            tx,
            case.case_id,
            "report-joined",
            f"Another report joined: {found.source.value} {found.reference}",
            reference=found.reference,
        )
        new_risk = set(found.risk_indicators) - set(case.risk_indicators)
        if not new_risk:
            return
        risk = (*case.risk_indicators, *sorted(new_risk))
        await cases.update_case(tx, case.case_id, risk_indicators=risk, urgent=is_urgent(risk))
        case = await self._case(tx, case.case_id)
        await self.raise_risk(tx, case, cause)

    async def raise_risk(self, tx: Transaction, case: Case, cause: Envelope[Any]) -> None:
        alert = await cases.active_alert(tx, case.case_id)
        reason = _risk_reason(case)
        if alert is None:
            await self.alert_police(tx, case, AlertPriority.URGENT, cause, reason=reason)
        else:
            level = risk_level(case.risk_indicators)
            await cases.set_alert(
                tx, alert.alert_request_id, priority="urgent", risk_level=level.value
            )
            await self._publish(
                tx,
                case,
                cause,
                PoliceAlertUpdateRequested(
                    alert_request_id=alert.alert_request_id,
                    case_id=case.case_id,
                    priority=AlertPriority.URGENT,
                    risk_level=level,
                    risk_indicators=case.risk_indicators,
                    reason=reason,
                ),
            )
            await cases.note(tx, case.case_id, "police-alert-updated", reason)
        await self.refer_to_social_care(tx, case, cause)

    def plan(self, details: CaseDetails) -> tuple[PlannedCheck, ...]:
        destination = details.destination_school
        return tracing_plan(
            PlanInput(
                last_known_school=details.child.last_known_school,
                destination_school=destination,
                destination_la_code=destination.la_code if destination else None,
                sibling_schools=tuple(s.last_known_school for s in details.siblings),
                home_la_code=self.settings.home_la_code,
            ),
            officer_checks=self.settings.officer_checks,
        )

    async def request_checks(
        self, tx: Transaction, case: Case, plan: tuple[PlannedCheck, ...], cause: Envelope[Any]
    ) -> None:
        answer_by = self.answer_by(tx.now())
        for planned in plan:
            check_id = await cases.insert_check(tx, case.case_id, planned, answer_by)
            if planned.performer is not Performer.OFFICER:
                await self._publish(
                    tx,
                    case,
                    cause,
                    CheckRequested(
                        check_id=check_id,
                        case_id=case.case_id,
                        kind=planned.kind,
                        target_school=planned.target_school,
                        target_la_code=planned.target_la_code,
                        child=_roll_check_child(case.details),
                        answer_by=answer_by,
                    ),
                )
        await cases.note(
            tx,
            case.case_id,
            "checks-planned",
            "Checks planned: " + ", ".join(p.kind.value for p in plan),
        )

    async def alert_police(
        self,
        tx: Transaction,
        case: Case,
        priority: AlertPriority,
        cause: Envelope[Any] | None,
        *,
        reason: str,
    ) -> None:
        alert_request_id = uuid.uuid4()
        level = risk_level(case.risk_indicators)
        await cases.insert_alert(tx, alert_request_id, case.case_id, priority.value, level.value)
        await self._publish(
            tx,
            case,
            cause,
            PoliceAlertRequested(
                alert_request_id=alert_request_id,
                case_id=case.case_id,
                priority=priority,
                risk_level=level,
                risk_indicators=case.risk_indicators,
                reason=reason,
                child=_police_child(case.details),
                la_contact=self.la_contact,
            ),
        )
        await cases.note(
            tx,
            case.case_id,
            "police-alert-requested",
            f"{priority.value.capitalize()} police alert requested: {reason}",
            alert_request_id=str(alert_request_id),
        )

    async def refer_to_social_care(
        self,
        tx: Transaction,
        case: Case,
        cause: Envelope[Any] | None,
        *,
        mash_reference: str | None = None,
        actor: str = cases.SYSTEM,
    ) -> None:
        await self._publish(
            tx,
            case,
            cause,
            SocialCareReferralRecorded(
                case_id=case.case_id,
                child_id=case.child_id,
                referred_at=tx.now(),
                mash_reference=mash_reference,
                risk_indicators=case.risk_indicators,
            ),
        )
        await cases.note(
            tx,
            case.case_id,
            "social-care-referral",
            "Referred to children's social care (MASH)",
            actor=actor,
            mash_reference=mash_reference,
        )

    async def refer_siblings(
        self, tx: Transaction, case: Case, reference: str, cause: Envelope[Any]
    ) -> None:
        for number, sibling in enumerate(case.details.siblings, start=1):
            sibling_reference = f"{reference}-S{number}"
            await self._publish(
                tx,
                case,
                cause,
                SiblingReferred(
                    reference=sibling_reference,
                    case_id=case.case_id,
                    child=sibling,
                    risk_indicators=case.risk_indicators,
                ),
            )
            await cases.note(
                tx,
                case.case_id,
                "sibling-referred",
                f"Sibling {number} referred for checks ({sibling_reference})",
            )

    async def escalate(self, tx: Transaction, case: Case) -> None:
        """The deadline passed with the child untraced: police and the Lost Pupil Database."""
        child = case.details.child
        actions = on_deadline(
            alert_active=await cases.active_alert(tx, case.case_id) is not None,
            upn=child.upn,
            date_of_birth=child.date_of_birth,
            upload_requested=case.lost_pupil_upload_requested_at is not None,
        )
        reason = f"Not traced within {self.settings.deadline_school_days} school days"
        if actions.police_alert:
            await self.alert_police(tx, case, AlertPriority.ROUTINE, None, reason=reason)
        missing = list(actions.missing_for_upload)
        pupil = _ctf_pupil(case.details)
        if pupil is None:
            missing.append("name")
        if actions.lost_pupil_upload and pupil is not None:
            await self.request_lost_pupil_upload(tx, case, pupil)
        elif missing:
            await cases.note(
                tx,
                case.case_id,
                "lost-pupil-upload-blocked",
                "Lost Pupil Database upload needs: " + ", ".join(missing),
            )
        await cases.update_case(tx, case.case_id, escalated_at=tx.now())
        await cases.note(tx, case.case_id, "deadline-passed", f"{reason}: escalated")

    async def request_lost_pupil_upload(self, tx: Transaction, case: Case, pupil: CtfPupil) -> None:
        upload_id = uuid.uuid4()
        await self._publish(
            tx,
            case,
            None,
            LostPupilUploadRequested(
                upload_id=upload_id,
                case_id=case.case_id,
                pupil=pupil,
                last_school=case.details.child.last_known_school,
            ),
        )
        await cases.insert_check(
            tx,
            case.case_id,
            PlannedCheck(CheckKind.LOST_PUPIL_DATABASE, Performer.DFE_EXCHANGE),
            None,
        )
        await cases.update_case(tx, case.case_id, lost_pupil_upload_requested_at=tx.now())
        await cases.note(
            tx,
            case.case_id,
            "lost-pupil-upload-requested",
            "CTF to the Lost Pupil Database requested",
            upload_id=str(upload_id),
        )

    async def request_transfer(
        self, tx: Transaction, case: Case, destination_la: str, notes: str | None, actor: str
    ) -> None:
        pupil = _ctf_pupil(case.details)
        if pupil is None:
            raise ValueError("child.name: a transfer to another LA needs the child's full name")
        await self._publish(
            tx,
            case,
            None,
            TransferRequested(
                transfer_id=uuid.uuid4(),
                case_id=case.case_id,
                destination_la=destination_la,
                pupil=pupil,
                last_school=case.details.child.last_known_school,
                notes=notes,
                la_contact=self.la_contact,
            ),
        )
        await cases.note(
            tx,
            case.case_id,
            "transfer-requested",
            f"Transfer to LA {destination_la} requested",
            actor=actor,
        )

    async def close(
        self,
        tx: Transaction,
        case: Case,
        outcome: CaseOutcome,
        cause: Envelope[Any] | None,
        *,
        actor: str = cases.SYSTEM,
        school_urn: str | None = None,
        destination_la: str | None = None,
    ) -> None:
        await cases.update_case(
            tx, case.case_id, status="closed", outcome=outcome.value, closed_at=tx.now()
        )
        await tx.cancel_timer(f"case:{case.case_id}:deadline")
        await self._publish(
            tx,
            case,
            cause,
            CaseClosed(
                case_id=case.case_id,
                child_id=case.child_id,
                outcome=outcome,
                closed_at=tx.now(),
                school_urn=school_urn,
                destination_la=destination_la,
            ),
        )
        where = f" (URN {school_urn})" if school_urn else ""
        await cases.note(
            tx, case.case_id, "case-closed", f"Closed: {outcome.value}{where}", actor=actor
        )

    async def _case(self, tx: Transaction, case_id: uuid.UUID) -> Case:
        case = await cases.get_case(tx, case_id)
        if case is None:
            raise LookupError(f"case {case_id} vanished")
        return case

    async def _publish(
        self, tx: Transaction, case: Case, cause: Envelope[Any] | None, payload: Payload
    ) -> None:
        """Publish in the case's correlation chain (its cause's, if it has one)."""
        await tx.publish(new_envelope(payload, correlation_id=case.correlation_id, causation=cause))


def deadline_due(trace_by: date) -> datetime:
    """The escalation fires once the deadline day is over (midnight in England)."""
    return datetime.combine(trace_by + timedelta(days=1), time(0), tzinfo=UK)


def _risk_reason(case: Case) -> str:
    return f"Risk of harm reported ({', '.join(r.value for r in case.risk_indicators)})"


def _roll_check_child(details: CaseDetails) -> RollCheckChild:
    child = details.child
    return RollCheckChild(
        upn=child.upn, name=child.name, date_of_birth=child.date_of_birth, gender=child.gender
    )


def _police_child(details: CaseDetails) -> PoliceAlertChild:
    child = details.child
    return PoliceAlertChild(
        name=child.name,
        date_of_birth=child.date_of_birth,
        approximate_age=child.approximate_age,
        gender=child.gender,
        last_known_address=details.future_address or child.address,
    )


def _ctf_pupil(details: CaseDetails) -> CtfPupil | None:
    """The child as a CTF pupil record, or None when the full name is not known."""
    child = details.child
    if not (child.name.forenames and child.name.surname):
        return None
    return CtfPupil(
        upn=child.upn,
        name=PersonName(forenames=child.name.forenames, surname=child.name.surname),
        date_of_birth=child.date_of_birth,
        gender=child.gender,
        address=details.future_address or child.address,
        contacts=details.carers,
    )
