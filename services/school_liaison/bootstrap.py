"""school-liaison service wiring."""

from __future__ import annotations

from cmehub.handling import ServiceDefinition
from services._placeholder import logging_only_wiring

SUBSCRIPTIONS = (
    "tracing.check-requested",
    "tracing.case-closed",
)

SERVICE = ServiceDefinition(
    name="school-liaison",
    subscriptions=SUBSCRIPTIONS,
    build=logging_only_wiring(SUBSCRIPTIONS),
)
