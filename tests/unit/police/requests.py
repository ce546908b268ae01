"""Police alert requests as tracing sends them (test data shared by the police tests)."""

from __future__ import annotations

import uuid
from datetime import date

from schemas.v1.common import (
    Address,
    AlertPriority,
    Gender,
    LaContact,
    PartialName,
    PoliceRiskLevel,
    RiskIndicator,
)
from schemas.v1.tracing import PoliceAlertChild, PoliceAlertRequested

CONTACT = LaContact(
    name="Children Missing Education team", phone="01270 555 0100", email="cme@example.gov.uk"
)


def alert_request(
    *,
    postcode: str | None = "CW1 2BJ",
    priority: AlertPriority = AlertPriority.URGENT,
    case_id: uuid.UUID | None = None,
) -> PoliceAlertRequested:
    address = Address(lines=("12 Market Street",), town="Crewe", postcode=postcode)
    return PoliceAlertRequested(
        alert_request_id=uuid.uuid4(),
        case_id=case_id or uuid.uuid4(),
        priority=priority,
        risk_level=PoliceRiskLevel.HIGH,
        risk_indicators=(RiskIndicator.SEXUAL_EXPLOITATION,),
        reason="Risk of exploitation; not seen since 3 March.",
        child=PoliceAlertChild(
            name=PartialName(forenames="Amelia", surname="Smith"),
            date_of_birth=date(2012, 5, 14),
            gender=Gender.FEMALE,
            last_known_address=address,
            description="Slim, shoulder-length brown hair.",
            photo_reference="PHOTO-0042",
        ),
        la_contact=CONTACT,
    )
