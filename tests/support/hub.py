"""Starting real hubs in a throwaway namespace, and watching the events they publish."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import aio_pika
from aio_pika.abc import AbstractIncomingMessage, AbstractRobustConnection

from adapters.auth.identity import IDENTITY
from adapters.broker.connection import connect, delete_topology
from adapters.clock import Clock, system_clock
from adapters.store.database import drop_schema, locate
from cmehub.handling import ServiceDefinition
from cmehub.runtime import Hub
from cmehub.settings import HubSettings
from cmehub.topology import hub_topology
from schemas.catalogue import CATALOGUE
from schemas.registry import Registry

FAST = {
    "retry_delays_ms": (100, 300),
    "outbox_poll_interval_s": 0.2,
    "timer_poll_interval_s": 0.1,
    "shutdown_grace_s": 10.0,
    "publish_timeout_s": 5.0,
}

STOP_BOUND_S = 60.0


class HubEnv:
    """Hubs sharing one namespace; teardown stops them and deletes every queue and schema."""

    def __init__(self, amqp_url: str, database_url: str) -> None:
        self.namespace = f"t{uuid.uuid4().hex[:12]}"
        self.amqp_url = amqp_url
        self.database_url = database_url
        self.hubs: list[Hub] = []
        self._definitions: dict[str, ServiceDefinition] = {}

    def settings(self, **overrides: Any) -> HubSettings:
        values: dict[str, Any] = {**FAST, **overrides}
        return HubSettings(
            _env_file=None,
            amqp_url=self.amqp_url,
            database_url=self.database_url,
            namespace=self.namespace,
            environment="test",
            **values,
        )

    async def start(
        self,
        services: Sequence[ServiceDefinition],
        run: Sequence[str] | None = None,
        *,
        registry: Registry = CATALOGUE,
        clock: Clock = system_clock,
        **overrides: Any,
    ) -> Hub:
        self._definitions.update({d.name: d for d in services})
        hub = Hub(
            self.settings(**overrides),
            services,
            run or [d.name for d in services],
            clock=clock,
            registry=registry,
        )
        await hub.start()
        self.hubs.append(hub)
        return hub

    async def stop(self, hub: Hub) -> None:
        await hub.stop()
        self.hubs.remove(hub)

    async def close(self) -> None:
        """Stop every hub (each within a bound, so a stuck one cannot hang the suite), then
        delete the namespace's queues and schemas whatever happened."""
        stuck = []
        for hub in list(self.hubs):
            try:
                async with asyncio.timeout(STOP_BOUND_S):
                    await self.stop(hub)
            except TimeoutError:
                stuck.append(hub)
        settings = self.settings()
        connection = await connect(self.amqp_url, name="test teardown")
        try:
            await delete_topology(
                connection, hub_topology(settings, list(self._definitions.values()))
            )
        finally:
            await connection.close()
        for name in [*self._definitions, IDENTITY]:
            await drop_schema(locate(self.database_url, name, self.namespace))
        if stuck:
            raise AssertionError(f"{len(stuck)} hub(s) did not stop within {STOP_BOUND_S}s")


class Probe:
    """A private queue bound to the events exchange that records what is published."""

    def __init__(self, connection: AbstractRobustConnection, exchange: str) -> None:
        self._connection = connection
        self._exchange = exchange
        self.messages: list[dict[str, Any]] = []
        self._arrived = asyncio.Condition()

    async def start(self, binding_keys: Sequence[str] = ("#",)) -> Probe:
        channel = await self._connection.channel()
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        exchange = await channel.get_exchange(self._exchange)
        for key in binding_keys:
            await queue.bind(exchange, routing_key=key)
        await queue.consume(self._on_message, no_ack=True)
        return self

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        async with self._arrived:
            self.messages.append(json.loads(message.body))
            self._arrived.notify_all()

    def of_type(self, message_type: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["type"] == message_type]

    async def wait_for(
        self,
        message_type: str,
        where: Callable[[dict[str, Any]], bool] = lambda _m: True,
        *,
        count: int = 1,
        timeout: float = 15.0,
    ) -> list[dict[str, Any]]:
        """Wait until ``count`` messages of the type match ``where``; return them."""

        def matching() -> list[dict[str, Any]]:
            return [m for m in self.of_type(message_type) if where(m)]

        async with self._arrived:
            await asyncio.wait_for(
                self._arrived.wait_for(lambda: len(matching()) >= count), timeout
            )
        return matching()


async def eventually(
    check: Callable[[], Awaitable[bool]], *, timeout: float = 15.0, interval: float = 0.05
) -> None:
    """Poll a state check (a database query, not a message) until it holds or time runs out."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(interval)


async def publish_raw(
    connection: AbstractRobustConnection,
    exchange: str,
    routing_key: str,
    body: bytes,
    **properties: Any,
) -> None:
    channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
    try:
        target = await channel.get_exchange(exchange)
        await target.publish(
            aio_pika.Message(body, delivery_mode=2, **properties),
            routing_key=routing_key,
            mandatory=True,
            timeout=5,
        )
    finally:
        await channel.close()
