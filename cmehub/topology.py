"""The hub's topology from its settings and service definitions (light: no service code runs)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from adapters.broker.topology import Topology, build_topology
from schemas.catalogue import CATALOGUE
from schemas.registry import Registry

if TYPE_CHECKING:
    from cmehub.handling import ServiceDefinition
    from cmehub.settings import HubSettings


def hub_topology(
    settings: HubSettings, definitions: Sequence[ServiceDefinition], registry: Registry = CATALOGUE
) -> Topology:
    """Every service's queues, and the event log bound to every type in the catalogue."""
    return build_topology(
        {d.name: d.subscriptions for d in definitions if d.subscriptions},
        namespace=settings.namespace,
        retry_delays_ms=settings.retry_delays_ms,
        delivery_limit=settings.delivery_limit,
        logged_types=registry.types(),
        event_log_max_age=settings.event_log_max_age,
    )
