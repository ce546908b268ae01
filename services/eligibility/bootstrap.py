"""eligibility service wiring."""

from __future__ import annotations

from cmehub.handling import ServiceDefinition
from services._placeholder import logging_only_wiring

SUBSCRIPTIONS = (
    "intake.roll-off-notified",
    "intake.admission-notified",
    "intake.concern-reported",
    "dfe-exchange.transfer-received",
    "tracing.sibling-referred",
)

SERVICE = ServiceDefinition(
    name="eligibility",
    subscriptions=SUBSCRIPTIONS,
    build=logging_only_wiring(SUBSCRIPTIONS),
)
