"""police-notifier service wiring."""

from __future__ import annotations

from cmehub.handling import ServiceDefinition
from services._placeholder import logging_only_wiring

SUBSCRIPTIONS = (
    "tracing.police-alert-requested",
    "tracing.police-alert-update-requested",
    "tracing.case-closed",
)

SERVICE = ServiceDefinition(
    name="police-notifier",
    subscriptions=SUBSCRIPTIONS,
    build=logging_only_wiring(SUBSCRIPTIONS),
)
