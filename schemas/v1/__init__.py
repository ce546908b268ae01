"""Version 1 of the message catalogue: one module per producing service.

A published version is frozen: change a message by adding a new version, never by editing it.
"""

from __future__ import annotations

from schemas.envelope import Payload
from schemas.v1.dfe_exchange import (
    LostPupilUploaded,
    TransferAcknowledged,
    TransferReceived,
    TransferSent,
)
from schemas.v1.eligibility import BackOnRoll, CmeIdentified, NotCme
from schemas.v1.intake import AdmissionNotified, ConcernReported, RollOffNotified
from schemas.v1.police_notifier import AlertAcknowledged, AlertCancelled, AlertFailed, AlertSent
from schemas.v1.school_liaison import RollQueryAnswered, RollQuerySent, SchoolNotified
from schemas.v1.tracing import (
    CaseClosed,
    CaseOpened,
    CheckRequested,
    LostPupilUploadRequested,
    PoliceAlertRequested,
    PoliceAlertUpdateRequested,
    SiblingReferred,
    SocialCareReferralRecorded,
    TransferRequested,
)

ALL: tuple[type[Payload], ...] = (
    RollOffNotified,
    AdmissionNotified,
    ConcernReported,
    CmeIdentified,
    NotCme,
    BackOnRoll,
    CaseOpened,
    CheckRequested,
    PoliceAlertRequested,
    PoliceAlertUpdateRequested,
    TransferRequested,
    LostPupilUploadRequested,
    SocialCareReferralRecorded,
    SiblingReferred,
    CaseClosed,
    AlertSent,
    AlertAcknowledged,
    AlertFailed,
    AlertCancelled,
    TransferSent,
    TransferReceived,
    TransferAcknowledged,
    LostPupilUploaded,
    RollQuerySent,
    RollQueryAnswered,
    SchoolNotified,
)
"""Every v1 payload model."""

__all__ = [
    "ALL",
    "AdmissionNotified",
    "AlertAcknowledged",
    "AlertCancelled",
    "AlertFailed",
    "AlertSent",
    "BackOnRoll",
    "CaseClosed",
    "CaseOpened",
    "CheckRequested",
    "CmeIdentified",
    "ConcernReported",
    "LostPupilUploadRequested",
    "LostPupilUploaded",
    "NotCme",
    "PoliceAlertRequested",
    "PoliceAlertUpdateRequested",
    "RollOffNotified",
    "RollQueryAnswered",
    "RollQuerySent",
    "SchoolNotified",
    "SiblingReferred",
    "SocialCareReferralRecorded",
    "TransferAcknowledged",
    "TransferReceived",
    "TransferRequested",
    "TransferSent",
]
