"""From tracing's requests to what the police are sent: the only place that knows both."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from adapters.police.messages import (
    AlertContent,
    Child,
    ChildName,
    LaContact,
    LastKnownAddress,
    UpdateMessage,
)
from schemas.v1.common import Address
from schemas.v1.common import LaContact as HubLaContact
from schemas.v1.tracing import PoliceAlertChild, PoliceAlertRequested, PoliceAlertUpdateRequested


def alert_content(request: PoliceAlertRequested) -> AlertContent:
    return AlertContent(
        priority=request.priority,
        risk_level=request.risk_level,
        risk_indicators=request.risk_indicators,
        reason=request.reason,
        child=_child(request.child),
        la_contact=_contact(request.la_contact),
    )


def updated_content(content: AlertContent, update: PoliceAlertUpdateRequested) -> AlertContent:
    """The alert as it stands after an update: new priority and risk, same child."""
    return content.model_copy(
        update={
            "priority": update.priority,
            "risk_level": update.risk_level,
            "risk_indicators": update.risk_indicators,
        }
    )


def postcode_of(request: PoliceAlertRequested) -> str | None:
    address = request.child.last_known_address
    return address.postcode if address else None


def _child(child: PoliceAlertChild) -> Child:
    return Child(
        name=ChildName(
            forenames=child.name.forenames, surname=child.name.surname, known_as=child.name.known_as
        ),
        date_of_birth=child.date_of_birth,
        approximate_age=child.approximate_age,
        gender=child.gender,
        last_known_address=_address(child.last_known_address),
        description=child.description,
        photo_reference=child.photo_reference,
    )


def _address(address: Address | None) -> LastKnownAddress | None:
    if address is None:
        return None
    return LastKnownAddress(lines=address.lines, town=address.town, postcode=address.postcode)


def _contact(contact: HubLaContact) -> LaContact:
    return LaContact(name=contact.name, phone=contact.phone, email=contact.email)


def update_message(
    alert_id: UUID, revision: int, issued_at: datetime, update: PoliceAlertUpdateRequested
) -> UpdateMessage:
    return UpdateMessage(
        alert_id=alert_id,
        revision=revision,
        issued_at=issued_at,
        priority=update.priority,
        risk_level=update.risk_level,
        risk_indicators=update.risk_indicators,
        reason=update.reason,
    )
