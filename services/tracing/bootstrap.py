"""tracing service wiring."""

from __future__ import annotations

from cmehub.handling import ServiceDefinition
from services._placeholder import logging_only_wiring

SUBSCRIPTIONS = (
    "eligibility.cme-identified",
    "eligibility.not-cme",
    "eligibility.back-on-roll",
    "school-liaison.roll-query-answered",
    "dfe-exchange.transfer-sent",
    "dfe-exchange.transfer-acknowledged",
    "dfe-exchange.lost-pupil-uploaded",
    "police-notifier.alert-sent",
    "police-notifier.alert-acknowledged",
    "police-notifier.alert-failed",
    "police-notifier.alert-cancelled",
)

SERVICE = ServiceDefinition(
    name="tracing",
    subscriptions=SUBSCRIPTIONS,
    build=logging_only_wiring(SUBSCRIPTIONS),
)
