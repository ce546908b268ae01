"""eligibility's handlers: decide whether each reported child is missing education, keep the
roll index and EHE register, and say when a child with an open CME decision is back on roll."""

from __future__ import annotations

from typing import Any

from adapters.store.unit_of_work import Transaction
from schemas.envelope import Envelope, Payload, new_envelope
from schemas.v1.common import ChildDetails, DeletionGround, SchoolRef
from schemas.v1.eligibility import BackOnRoll, CmeIdentified, NotCme
from schemas.v1.intake import AdmissionNotified
from services.eligibility import records
from services.eligibility.referrals import Referral, child_of_pupil, referral_from
from services.eligibility.rules.decision import Decision, Facts, decide
from services.eligibility.rules.school_age import AgeRule

ON_ROLL_ELSEWHERE = {
    DeletionGround.REGISTERED_AT_ANOTHER_SCHOOL,
    DeletionGround.DUAL_REGISTRATION_ENDED,
    DeletionGround.ATTENDANCE_ORDER_AMENDED,
}


class Eligibility:
    def __init__(self, age_rule: AgeRule) -> None:
        self._age_rule = age_rule

    async def on_referral(self, envelope: Envelope[Any], tx: Transaction) -> None:
        """A deletion return, concern, transfer in or sibling: decide, and say so."""
        referral = referral_from(envelope)
        child_id, child = await records.find_or_create_child(
            tx, referral.child, authoritative=referral.from_school
        )
        await _update_roll(tx, child_id, referral)
        facts = Facts(
            source=referral.source,
            as_of=referral.as_of,
            date_of_birth=child.date_of_birth,
            ground=referral.ground,
            deleting_school_urn=referral.deleting_school_urn,
            destination_school_urn=_urn(referral.destination_school),
            destination_start_date=referral.destination_start_date,
            senior_year_leaver=referral.senior_year_leaver,
            enrolments=await records.enrolments_of(tx, child_id),
            ehe_notified_on=await records.ehe_since(tx, child_id),
        )
        decision = decide(facts, age_rule=self._age_rule)
        await records.record_decision(
            tx, referral.reference, referral.source.value, child_id, decision
        )
        await tx.publish(
            new_envelope(_announce(referral, child_id, child, decision), causation=envelope)
        )

    async def on_admission(self, envelope: Envelope[Any], tx: Transaction) -> None:
        """A new-pupil return: the child is on this roll; an open CME decision ends."""
        notice: AdmissionNotified = envelope.payload
        child = child_of_pupil(notice.pupil, SchoolRef(urn=notice.school_urn))
        child_id, _ = await records.find_or_create_child(tx, child, authoritative=True)
        await records.enrol(
            tx, child_id, notice.school_urn, notice.admission_date, notice.reference
        )
        await records.leave_ehe(tx, child_id)
        if await records.close_open_decisions(tx, child_id, notice.reference):
            await tx.publish(
                new_envelope(
                    BackOnRoll(
                        child_id=child_id,
                        school_urn=notice.school_urn,
                        admission_date=notice.admission_date,
                        reference=notice.reference,
                    ),
                    causation=envelope,
                )
            )


async def _update_roll(tx: Transaction, child_id: Any, referral: Referral) -> None:
    if referral.deleting_school_urn is not None:
        await records.take_off_roll(
            tx, child_id, referral.deleting_school_urn, referral.as_of, referral.reference
        )
    destination = _urn(referral.destination_school)
    if referral.ground in ON_ROLL_ELSEWHERE and destination is not None:
        await records.enrol(
            tx,
            child_id,
            destination,
            referral.destination_start_date or referral.as_of,
            referral.reference,
        )
    if referral.ground is DeletionGround.ELECTIVE_HOME_EDUCATION:
        await records.register_ehe(tx, child_id, referral.as_of, referral.reference)


def _announce(
    referral: Referral, child_id: Any, child: ChildDetails, decision: Decision
) -> Payload:
    if decision.is_cme:
        return CmeIdentified(
            reference=referral.reference,
            child_id=child_id,
            source=referral.source,
            criteria=decision.criteria,
            age_status=decision.age_status,
            child=child,
            carers=referral.carers,
            future_address=referral.future_address,
            destination_school=referral.destination_school,
            deletion_ground=referral.ground,
            risk_indicators=referral.risk_indicators,
            siblings=referral.siblings,
        )
    assert decision.reason is not None
    return NotCme(
        reference=referral.reference,
        child_id=child_id,
        reason=decision.reason,
        criteria=decision.criteria,
        explanation=decision.explanation,
    )


def _urn(school: SchoolRef | None) -> str | None:
    return school.urn if school else None
