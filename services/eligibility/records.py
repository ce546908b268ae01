"""eligibility's database work: child records, the roll index, the EHE register, decisions."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import delete, or_, select, update

from adapters.store.unit_of_work import Transaction
from schemas.v1.common import ChildDetails
from services.eligibility.referrals import identity_of, merged
from services.eligibility.rules.decision import Decision, Enrolment
from services.eligibility.rules.matching import Candidate, Identity, find_match, match_key
from services.eligibility.tables import children, decisions, ehe_register, enrolments


async def find_or_create_child(
    tx: Transaction, child: ChildDetails, *, authoritative: bool
) -> tuple[uuid.UUID, ChildDetails]:
    """The one child record for this child (matched, then updated), or a new one.

    Reports of the same child are handled one at a time (locks on its UPN and name key), so two
    arriving together cannot both miss each other and create two records."""
    identity = identity_of(child)
    await tx.lock(*_lock_keys(identity))
    known = await _candidates(tx, identity)
    match = find_match(
        identity, (Candidate(child_id, identity_of(details)) for child_id, details in known.items())
    )
    if match is None:
        return await _create(tx, child), child
    details = merged(known[match.child_id], child, authoritative=authoritative)
    await _save(tx, match.child_id, details)
    return match.child_id, details


def _lock_keys(identity: Identity) -> list[str]:
    keys = [f"eligibility:upn:{identity.upn}"] if identity.upn else []
    if key := match_key(identity):
        keys.append(f"eligibility:name:{key}")
    return keys


async def _candidates(tx: Transaction, identity: Identity) -> dict[uuid.UUID, ChildDetails]:
    """Records that could be this child: same UPN, or same blocking key (see rules.matching)."""
    conditions = []
    if identity.upn:
        conditions.append(children.c.upn == identity.upn)
    if key := match_key(identity):
        conditions.append(children.c.match_key == key)
    if not conditions:
        return {}
    rows = (
        await tx.session.execute(
            select(children.c.child_id, children.c.details).where(or_(*conditions))
        )
    ).all()
    return {row.child_id: ChildDetails.model_validate(row.details) for row in rows}


async def _create(tx: Transaction, child: ChildDetails) -> uuid.UUID:
    child_id = uuid.uuid4()
    await tx.session.execute(
        children.insert().values(
            child_id=child_id, created_at=tx.now(), updated_at=tx.now(), **_columns(child)
        )
    )
    return child_id


async def _save(tx: Transaction, child_id: uuid.UUID, child: ChildDetails) -> None:
    await tx.session.execute(
        update(children)
        .where(children.c.child_id == child_id)
        .values(updated_at=tx.now(), **_columns(child))
    )


def _columns(child: ChildDetails) -> dict[str, Any]:
    identity = identity_of(child)
    return {
        "upn": child.upn,
        "match_key": match_key(identity),
        "date_of_birth": child.date_of_birth,
        "postcode": identity.postcode,
        "details": child.model_dump(mode="json"),
    }


async def enrolments_of(tx: Transaction, child_id: uuid.UUID) -> tuple[Enrolment, ...]:
    rows = (
        await tx.session.execute(select(enrolments).where(enrolments.c.child_id == child_id))
    ).all()
    return tuple(
        Enrolment(
            urn=r.urn,
            on_roll_from=r.on_roll_from or date.min,
            off_roll_on=r.off_roll_on,
            source_reference=r.source_reference,
        )
        for r in rows
    )


async def enrol(
    tx: Transaction, child_id: uuid.UUID, urn: str, on_roll_from: date, reference: str
) -> None:
    await tx.session.execute(
        enrolments.insert().values(
            child_id=child_id, urn=urn, on_roll_from=on_roll_from, source_reference=reference
        )
    )


async def take_off_roll(
    tx: Transaction, child_id: uuid.UUID, urn: str, off_roll_on: date, reference: str
) -> None:
    """Close the child's open enrolment at the school (or record one that was never known)."""
    result = await tx.session.execute(
        update(enrolments)
        .where(
            enrolments.c.child_id == child_id,
            enrolments.c.urn == urn,
            enrolments.c.off_roll_on.is_(None),
        )
        .values(off_roll_on=off_roll_on)
    )
    if not getattr(result, "rowcount", 0):
        await tx.session.execute(
            enrolments.insert().values(
                child_id=child_id,
                urn=urn,
                on_roll_from=None,
                off_roll_on=off_roll_on,
                source_reference=reference,
            )
        )


async def ehe_since(tx: Transaction, child_id: uuid.UUID) -> date | None:
    return (
        await tx.session.execute(
            select(ehe_register.c.notified_on).where(ehe_register.c.child_id == child_id)
        )
    ).scalar()


async def register_ehe(
    tx: Transaction, child_id: uuid.UUID, notified_on: date, reference: str
) -> None:
    await tx.session.execute(delete(ehe_register).where(ehe_register.c.child_id == child_id))
    await tx.session.execute(
        ehe_register.insert().values(
            child_id=child_id, notified_on=notified_on, source_reference=reference
        )
    )


async def leave_ehe(tx: Transaction, child_id: uuid.UUID) -> None:
    await tx.session.execute(delete(ehe_register).where(ehe_register.c.child_id == child_id))


async def record_decision(
    tx: Transaction, reference: str, source: str, child_id: uuid.UUID, decision: Decision
) -> None:
    await tx.session.execute(
        decisions.insert().values(
            reference=reference,
            child_id=child_id,
            source=source,
            is_cme=decision.is_cme,
            reason=decision.reason.value if decision.reason else None,
            age_status=decision.age_status.value,
            criteria=[c.model_dump(mode="json") for c in decision.criteria],
            explanation=decision.explanation,
            decided_at=tx.now(),
            open=decision.is_cme,
        )
    )


async def close_open_decisions(tx: Transaction, child_id: uuid.UUID, reference: str) -> int:
    """Close the child's open CME decisions (the child is back on a roll); how many were open."""
    result = await tx.session.execute(
        update(decisions)
        .where(decisions.c.child_id == child_id, decisions.c.open.is_(True))
        .values(open=False, closed_at=tx.now(), closed_by_reference=reference)
    )
    return int(getattr(result, "rowcount", 0))
