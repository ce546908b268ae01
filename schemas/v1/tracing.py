"""Messages published by tracing, the process manager of CME cases."""

from __future__ import annotations

from datetime import date
from typing import Self
from uuid import UUID

from pydantic import Field, model_validator

from schemas.envelope import Payload
from schemas.registry import message
from schemas.types import LaCode, Upn, Urn, UtcDatetime
from schemas.v1.common import (
    Address,
    AlertPriority,
    CaseOutcome,
    CheckKind,
    Gender,
    LaContact,
    Part,
    PartialName,
    PoliceRiskLevel,
    Reference,
    RiskIndicator,
    SchoolRef,
    ShortText,
    Sibling,
    Text,
    TransferPupil,
)

_CASE_ID = "The CME case."
_SCHOOL_CHECKS = frozenset(
    {
        CheckKind.LAST_SCHOOL,
        CheckKind.DESTINATION_SCHOOL,
        CheckKind.SIBLINGS_SCHOOLS,
    }
)


@message("tracing.case-opened", 1)
class CaseOpened(Payload):
    """A CME case was opened for a child and tracing has started."""

    case_id: UUID = Field(description=_CASE_ID)
    child_id: UUID = Field(description="The child record in eligibility.")
    reference: Reference = Field(description="Reference of the submission that led to the case.")
    opened_at: UtcDatetime = Field(description="When the case was opened.")
    trace_by: date = Field(description="Deadline: still untraced on this date -> escalate.")
    urgent: bool = Field(description="Risk-of-harm indicators present: police alerted at once.")


class RollCheckChild(Part):
    """Just enough about a child for a school or LA to say whether the child is on its roll."""

    upn: Upn | None = Field(default=None, description="Unique pupil number, if known.")
    name: PartialName = Field(description="The child's name, as far as known.")
    date_of_birth: date | None = Field(default=None, description="Date of birth, if known.")
    gender: Gender = Field(default=Gender.NOT_KNOWN, description="Gender, if known.")


@message("tracing.check-requested", 1)
class CheckRequested(Payload):
    """Tracing asks for one check on a case (e.g. "is this child on your roll?")."""

    check_id: UUID = Field(description="This check; answers refer to it.")
    case_id: UUID = Field(description=_CASE_ID)
    kind: CheckKind = Field(description="Which check.")
    target_school: SchoolRef | None = Field(
        default=None, description="The school to ask (school checks)."
    )
    target_la_code: LaCode | None = Field(default=None, description="The LA to ask (other-la).")
    child: RollCheckChild = Field(description="The child to look for.")
    answer_by: date = Field(description="Date by which an answer is needed.")

    @model_validator(mode="after")
    def _has_target(self) -> Self:
        if self.kind in _SCHOOL_CHECKS and self.target_school is None:
            raise ValueError(f"target_school is required for a {self.kind.value!r} check")
        if self.kind is CheckKind.OTHER_LA and self.target_la_code is None:
            raise ValueError(f"target_la_code is required for a {self.kind.value!r} check")
        return self


class PoliceAlertChild(Part):
    """What the police need to look for a child."""

    name: PartialName = Field(description="The child's name, as far as known.")
    date_of_birth: date | None = Field(default=None, description="Date of birth, if known.")
    approximate_age: int | None = Field(
        default=None, ge=0, le=25, description="Estimated age in years, when no date of birth."
    )
    gender: Gender = Field(default=Gender.NOT_KNOWN, description="Gender, if known.")
    last_known_address: Address | None = Field(default=None, description="Last known address.")
    description: Text | None = Field(default=None, description="Physical description, if known.")
    photo_reference: ShortText | None = Field(
        default=None, description="Reference of a photo held by the LA, if any."
    )


@message("tracing.police-alert-requested", 1)
class PoliceAlertRequested(Payload):
    """Tracing asks for a missing-child alert to the police (risk of harm, or untraced)."""

    alert_request_id: UUID = Field(description="This request; police-notifier events refer to it.")
    case_id: UUID = Field(description=_CASE_ID)
    priority: AlertPriority = Field(description="Urgent (risk of harm) or routine (untraced).")
    risk_level: PoliceRiskLevel = Field(description="The LA's view of the risk.")
    risk_indicators: tuple[RiskIndicator, ...] = Field(
        default=(), description="Safeguarding concerns."
    )
    reason: Text = Field(description="Why the LA is alerting the police.")
    child: PoliceAlertChild = Field(description="The child.")
    la_contact: LaContact = Field(description="Whom the police should contact at the LA.")


@message("tracing.police-alert-update-requested", 1)
class PoliceAlertUpdateRequested(Payload):
    """Tracing asks police-notifier to tell the police that the risk of an alert changed."""

    alert_request_id: UUID = Field(description="The alert request being updated.")
    case_id: UUID = Field(description=_CASE_ID)
    priority: AlertPriority = Field(description="New priority.")
    risk_level: PoliceRiskLevel = Field(description="New risk level.")
    risk_indicators: tuple[RiskIndicator, ...] = Field(
        default=(), description="Safeguarding concerns now known."
    )
    reason: Text = Field(description="What changed.")


@message("tracing.transfer-requested", 1)
class TransferRequested(Payload):
    """Tracing asks dfe-exchange to tell another LA that the child has moved into its area."""

    transfer_id: UUID = Field(description="This transfer; dfe-exchange events refer to it.")
    case_id: UUID = Field(description=_CASE_ID)
    destination_la: LaCode = Field(description="The LA the child has moved to.")
    pupil: TransferPupil = Field(description="The child (CTF pupil fields).")
    last_school: SchoolRef | None = Field(default=None, description="Last known school.")
    notes: Text | None = Field(default=None, description="What the receiving LA should know.")
    la_contact: LaContact = Field(description="Whom the other LA should contact here.")


@message("tracing.lost-pupil-upload-requested", 1)
class LostPupilUploadRequested(Payload):
    """Tracing asks for a CTF (destination XXX/XXXX) to be sent to the Lost Pupil Database.

    A CTF pupil record needs the UPN and date of birth, so both are required here.
    """

    upload_id: UUID = Field(description="This upload; dfe-exchange events refer to it.")
    case_id: UUID = Field(description=_CASE_ID)
    pupil: TransferPupil = Field(description="The child (CTF pupil fields).")
    last_school: SchoolRef | None = Field(
        default=None, description="Last known school (CTF SourceSchool)."
    )

    @model_validator(mode="after")
    def _ctf_essentials(self) -> Self:
        if self.pupil.upn is None:
            raise ValueError("pupil.upn is required for a Lost Pupil Database upload (CTF UPN)")
        if self.pupil.date_of_birth is None:
            raise ValueError(
                "pupil.date_of_birth is required for a Lost Pupil Database upload (CTF DOB)"
            )
        return self


@message("tracing.social-care-referral-recorded", 1)
class SocialCareReferralRecorded(Payload):
    """An officer referred a case's child to children's social care (MASH)."""

    case_id: UUID = Field(description=_CASE_ID)
    child_id: UUID = Field(description="The child record in eligibility.")
    referred_at: UtcDatetime = Field(description="When the referral was made.")
    mash_reference: ShortText | None = Field(
        default=None, description="Reference given by the MASH, if any."
    )
    risk_indicators: tuple[RiskIndicator, ...] = Field(
        default=(), description="The concerns referred."
    )


@message("tracing.sibling-referred", 1)
class SiblingReferred(Payload):
    """A sibling named in a case is referred to eligibility, to be checked like a referral."""

    reference: Reference = Field(description="Reference of this referral.")
    case_id: UUID = Field(description="The case that named the sibling.")
    child: Sibling = Field(description="The sibling, with the relationship to the case's child.")
    risk_indicators: tuple[RiskIndicator, ...] = Field(
        default=(), description="Safeguarding concerns in the family."
    )


@message("tracing.case-closed", 1)
class CaseClosed(Payload):
    """A CME case was closed with its outcome; open alerts and queries end with it."""

    case_id: UUID = Field(description=_CASE_ID)
    child_id: UUID = Field(description="The child record in eligibility.")
    outcome: CaseOutcome = Field(description="How the case ended.")
    closed_at: UtcDatetime = Field(description="When the case was closed.")
    school_urn: Urn | None = Field(
        default=None, description="School the child is now on roll at (back-in-school)."
    )
    destination_la: LaCode | None = Field(
        default=None, description="LA the child moved to (moved-to-another-la)."
    )
