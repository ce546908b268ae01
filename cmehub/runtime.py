"""Runs a set of services in one process: broker, database, outbox relay, timers, consumers."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog
from aio_pika.abc import AbstractRobustConnection

from adapters.auth.identity import IDENTITY, Identity
from adapters.auth.identity import MIGRATIONS as IDENTITY_MIGRATIONS
from adapters.broker.connection import connect, declare_topology, verify_topology
from adapters.broker.consumer import Consumer
from adapters.broker.publisher import OutgoingMessage, Publisher
from adapters.clock import Clock, system_clock
from adapters.store.database import create_engine, ensure_schema, locate
from adapters.store.migrate import upgrade
from adapters.store.outbox import OutboxMessage, OutboxRelay
from adapters.store.timers import TimerRunner
from adapters.store.unit_of_work import Store
from cmehub.handling import ServiceContext, ServiceDefinition, Wiring
from cmehub.processing import MessageProcessor
from cmehub.settings import HubSettings
from cmehub.topology import hub_topology
from schemas.catalogue import CATALOGUE
from schemas.registry import Registry

log = structlog.get_logger(__name__)


@dataclass
class RunningService:
    definition: ServiceDefinition
    store: Store
    wiring: Wiring
    relay: OutboxRelay
    timers: TimerRunner
    consumer: Consumer | None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


class Hub:
    """Starts the chosen services. Every process declares the topology of the whole hub (so
    events route to a service's queue even while that service is not running), unless
    ``declare_topology`` is off: then the broker definitions were loaded beforehand and the
    process only checks that its exchange and queues exist."""

    def __init__(
        self,
        settings: HubSettings,
        all_services: Sequence[ServiceDefinition],
        run: Sequence[str],
        *,
        clock: Clock = system_clock,
        registry: Registry = CATALOGUE,
    ) -> None:
        unknown = set(run) - {d.name for d in all_services}
        if unknown:
            raise ValueError(f"unknown service(s): {sorted(unknown)}")
        self.settings = settings
        self.topology = hub_topology(settings, all_services, registry)
        self._definitions = [d for d in all_services if d.name in run]
        self._clock = clock
        self._registry = registry
        self._connection: AbstractRobustConnection | None = None
        self._identity: Identity | None = None
        self._publisher: Publisher | None = None
        self.services: dict[str, RunningService] = {}

    @property
    def publisher(self) -> Publisher:
        if self._publisher is None:
            raise RuntimeError("hub not started")
        return self._publisher

    @property
    def identity(self) -> Identity:
        if self._identity is None:
            raise RuntimeError("hub not started")
        return self._identity

    @property
    def connection(self) -> AbstractRobustConnection:
        if self._connection is None:
            raise RuntimeError("hub not started")
        return self._connection

    async def start(self) -> None:
        names = ",".join(d.name for d in self._definitions)
        self._connection = await connect(self.settings.amqp_url, name=f"cmehub[{names}]")
        if self.settings.declare_topology:
            await declare_topology(self._connection, self.topology)
        else:
            await verify_topology(
                self._connection, self.topology, [d.name for d in self._definitions]
            )
        self._publisher = Publisher(
            self._connection,
            self.topology.exchange,
            window=self.settings.publish_window,
            timeout=self.settings.publish_timeout_s,
        )
        await self._publisher.start()
        self._identity = await self._open_identity()
        for definition in self._definitions:
            self.services[definition.name] = await self._start_service(definition)
        log.info("hub.started", services=names, namespace=self.settings.namespace)

    async def stop(self) -> None:
        """Stop consuming, finish in-flight messages, flush outboxes, then disconnect."""
        for service in self.services.values():
            for part in service.wiring.lifecycle:
                await part.stop()
            if service.consumer is not None:
                await service.consumer.stop(drain_timeout=self.settings.shutdown_grace_s)
        for service in self.services.values():
            service.timers.stop()
            service.relay.stop()
            await asyncio.gather(*service.tasks, return_exceptions=True)
            await service.store.close()
        if self._identity is not None:
            await self._identity.close()
        if self._publisher is not None:
            await self._publisher.close()
        if self._connection is not None:
            await self._connection.close()
        log.info("hub.stopped")

    async def readiness(self) -> dict[str, Any]:
        """What /readyz reports: the broker connection, each consumer, each database."""
        checks: dict[str, Any] = {
            "broker": self._connection is not None and not self._connection.is_closed
        }
        for name, service in self.services.items():
            checks[f"{name}.database"] = await _database_ok(service.store)
            if service.consumer is not None:
                checks[f"{name}.consumer"] = service.consumer.consuming
            checks[f"{name}.tasks"] = all(not t.done() for t in service.tasks)
        return checks

    async def _start_service(self, definition: ServiceDefinition) -> RunningService:
        store = await self._open_store(definition)
        wiring = definition.build(
            ServiceContext(definition.name, self.settings, store, self._clock)
        )
        _check_handlers(definition, wiring)
        relay = OutboxRelay(
            store, self._send_outbox, poll_interval=self.settings.outbox_poll_interval_s
        )
        timers = TimerRunner(
            store, wiring.timers, poll_interval=self.settings.timer_poll_interval_s
        )
        consumer = None
        if definition.subscriptions:
            processor = MessageProcessor(definition.name, self._registry, wiring.handlers, store)
            consumer = Consumer(
                self.connection,
                self.topology.service(definition.name),
                processor,
                self.publisher,
                prefetch=self.settings.prefetch,
            )
        running = RunningService(definition, store, wiring, relay, timers, consumer)
        running.tasks = [
            asyncio.create_task(relay.run(), name=f"{definition.name}.outbox"),
            asyncio.create_task(timers.run(), name=f"{definition.name}.timers"),
        ]
        if consumer is not None:
            await consumer.start()
        for part in wiring.lifecycle:
            await part.start()
        return running

    async def _open_store(self, definition: ServiceDefinition) -> Store:
        location = locate(self.settings.database_url, definition.name, self.settings.namespace)
        await ensure_schema(location)
        engine = create_engine(location)
        await upgrade(engine, [definition.migrations] if definition.migrations else [])
        return Store(engine, clock=self._clock)

    async def _open_identity(self) -> Identity:
        location = locate(self.settings.database_url, IDENTITY, self.settings.namespace)
        await ensure_schema(location)
        engine = create_engine(location)
        await upgrade(engine, [IDENTITY_MIGRATIONS], messaging=False)
        return Identity(engine, clock=self._clock)

    async def _send_outbox(self, message: OutboxMessage) -> None:
        await self.publisher.publish(
            OutgoingMessage(
                routing_key=message.routing_key,
                body=message.body,
                message_id=str(message.message_id),
                type=message.message_type,
                correlation_id=str(message.correlation_id),
                timestamp=message.occurred_at,
            )
        )


def _check_handlers(definition: ServiceDefinition, wiring: Wiring) -> None:
    if set(wiring.handlers) != set(definition.subscriptions):
        raise RuntimeError(
            f"{definition.name}: handlers {sorted(wiring.handlers)} do not match its "
            f"subscriptions {sorted(definition.subscriptions)}"
        )


async def _database_ok(store: Store) -> bool:
    try:
        await asyncio.wait_for(store.ping(), 2.0)
    except Exception:  # noqa: BLE001 - any failure means not ready
        return False
    return True
