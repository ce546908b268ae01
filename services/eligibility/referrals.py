"""Every way a child reaches eligibility, turned into one shape: a Referral.

Pure functions from the published payloads; the handlers never look at a payload's own fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from adapters.clock import uk_date
from schemas.envelope import Envelope
from schemas.v1.common import (
    Address,
    Carer,
    ChildDetails,
    DeletionGround,
    PartialName,
    Pupil,
    RiskIndicator,
    SchoolRef,
    Sibling,
    TransferPupil,
)
from schemas.v1.dfe_exchange import TransferReceived
from schemas.v1.eligibility import ReferralSource
from schemas.v1.intake import ConcernReported, RollOffNotified
from schemas.v1.tracing import SiblingReferred
from services.eligibility.rules.matching import Identity


@dataclass(frozen=True)
class Referral:
    reference: str
    source: ReferralSource
    as_of: date
    child: ChildDetails
    carers: tuple[Carer, ...] = ()
    risk_indicators: tuple[RiskIndicator, ...] = ()
    siblings: tuple[Sibling, ...] = ()
    ground: DeletionGround | None = None
    deleting_school_urn: str | None = None
    destination_school: SchoolRef | None = None
    destination_start_date: date | None = None
    future_address: Address | None = None
    senior_year_leaver: bool = False
    from_school: bool = False
    """Details come from a school's register (authoritative), not from a member of the public."""

    @property
    def identity(self) -> Identity:
        return identity_of(self.child)


def identity_of(child: ChildDetails) -> Identity:
    postcode = child.address.postcode if child.address else None
    return Identity(
        upn=child.upn,
        forenames=child.name.forenames,
        surname=child.name.surname,
        date_of_birth=child.date_of_birth,
        postcode=postcode,
    )


def referral_from(envelope: Envelope[Any]) -> Referral:
    payload = envelope.payload
    if isinstance(payload, RollOffNotified):
        return from_roll_off(payload)
    if isinstance(payload, ConcernReported):
        return from_concern(payload)
    if isinstance(payload, TransferReceived):
        return from_transfer(payload)
    if isinstance(payload, SiblingReferred):
        return from_sibling(payload, uk_date(envelope.occurred_at))
    raise TypeError(f"{envelope.type} is not a referral")


def child_of_pupil(pupil: Pupil | TransferPupil, school: SchoolRef | None) -> ChildDetails:
    """A pupil as a school or an LA records them, as the child eligibility knows."""
    name = pupil.name
    return ChildDetails(
        upn=pupil.upn,
        name=PartialName(
            forenames=name.forenames, surname=name.surname, known_as=name.preferred_forename
        ),
        date_of_birth=pupil.date_of_birth,
        gender=pupil.gender,
        address=pupil.address,
        last_known_school=school,
    )


def from_roll_off(notice: RollOffNotified) -> Referral:
    child = child_of_pupil(notice.pupil, SchoolRef(urn=notice.school_urn))
    return Referral(
        reference=notice.reference,
        source=ReferralSource.ROLL_OFF,
        as_of=notice.deletion_date,
        child=child,
        carers=notice.parents,
        ground=notice.ground,
        deleting_school_urn=notice.school_urn,
        destination_school=notice.destination_school,
        destination_start_date=notice.destination_start_date,
        future_address=notice.future_address,
        senior_year_leaver=notice.senior_year_leaver,
        from_school=True,
    )


def from_concern(concern: ConcernReported) -> Referral:
    return Referral(
        reference=concern.reference,
        source=ReferralSource.CONCERN,
        as_of=uk_date(concern.received_at),
        child=concern.child,
        risk_indicators=concern.risk_indicators,
        siblings=concern.other_children,
    )


def from_transfer(transfer: TransferReceived) -> Referral:
    pupil = transfer.pupil
    child = child_of_pupil(pupil, transfer.last_school)
    return Referral(
        reference=transfer.reference,
        source=ReferralSource.TRANSFER_IN,
        as_of=uk_date(transfer.received_at),
        child=child,
        carers=pupil.contacts,
        risk_indicators=transfer.risk_indicators,
    )


def from_sibling(referral: SiblingReferred, as_of: date) -> Referral:
    child = ChildDetails.model_validate(referral.child.model_dump(exclude={"relationship"}))
    return Referral(
        reference=referral.reference,
        source=ReferralSource.SIBLING,
        as_of=as_of,
        child=child,
        risk_indicators=referral.risk_indicators,
    )


def merged(known: ChildDetails, new: ChildDetails, *, authoritative: bool) -> ChildDetails:
    """What is known about a child after a new report: new details fill the gaps, and replace
    known ones when they come from a school's register; a public report never overwrites a
    school's record of the UPN or date of birth."""
    known_values = known.model_dump(exclude_none=True)
    new_values = new.model_dump(exclude_none=True, exclude_defaults=True)
    if authoritative:
        return ChildDetails.model_validate({**known_values, **new_values})
    protected = {k: v for k, v in known_values.items() if k in ("upn", "date_of_birth")}
    name = {**known_values.get("name", {}), **new_values.get("name", {})}
    return ChildDetails.model_validate({**known_values, **new_values, "name": name, **protected})
