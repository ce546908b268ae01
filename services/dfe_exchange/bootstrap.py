"""dfe-exchange service wiring."""

from __future__ import annotations

from cmehub.handling import ServiceDefinition
from services._placeholder import logging_only_wiring

SUBSCRIPTIONS = (
    "tracing.transfer-requested",
    "tracing.lost-pupil-upload-requested",
)

SERVICE = ServiceDefinition(
    name="dfe-exchange",
    subscriptions=SUBSCRIPTIONS,
    build=logging_only_wiring(SUBSCRIPTIONS),
)
