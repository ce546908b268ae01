"""Every service of the hub, in start order."""

from __future__ import annotations

from cmehub.handling import ServiceDefinition
from services.dfe_exchange.bootstrap import SERVICE as DFE_EXCHANGE
from services.eligibility.bootstrap import SERVICE as ELIGIBILITY
from services.intake.bootstrap import SERVICE as INTAKE
from services.police_notifier.bootstrap import SERVICE as POLICE_NOTIFIER
from services.school_liaison.bootstrap import SERVICE as SCHOOL_LIAISON
from services.tracing.bootstrap import SERVICE as TRACING

ALL_SERVICES: tuple[ServiceDefinition, ...] = (
    INTAKE,
    ELIGIBILITY,
    TRACING,
    POLICE_NOTIFIER,
    DFE_EXCHANGE,
    SCHOOL_LIAISON,
)


def subscriptions() -> dict[str, tuple[str, ...]]:
    """Which message types each service consumes (feeds the topology and AsyncAPI)."""
    return {service.name: service.subscriptions for service in ALL_SERVICES}
