"""Connecting to RabbitMQ and declaring the hub's topology."""

from __future__ import annotations

import aio_pika
from aio_pika.abc import AbstractRobustConnection

from adapters.broker.topology import Topology

RECONNECT_INTERVAL_S = 1.0


async def connect(url: str, *, name: str) -> AbstractRobustConnection:
    """A connection that reconnects by itself and restores its channels and consumers."""
    return await aio_pika.connect_robust(
        url,
        client_properties={"connection_name": name},
        reconnect_interval=RECONNECT_INTERVAL_S,
    )


async def declare_topology(connection: AbstractRobustConnection, topology: Topology) -> None:
    """Declare the exchange, every service's queues and their bindings (idempotent)."""
    channel = await connection.channel()
    try:
        exchange = await channel.declare_exchange(
            topology.exchange, aio_pika.ExchangeType.TOPIC, durable=True
        )
        for spec in topology.queues():
            await channel.declare_queue(spec.name, durable=True, arguments=dict(spec.arguments))
        for binding in topology.bindings():
            queue = await channel.get_queue(binding.queue, ensure=False)
            await queue.bind(exchange, routing_key=binding.routing_key)
    finally:
        await channel.close()


async def delete_topology(connection: AbstractRobustConnection, topology: Topology) -> None:
    """Remove every queue and the exchange of a topology (tests and throwaway namespaces)."""
    channel = await connection.channel()
    try:
        for spec in topology.queues():
            await channel.queue_delete(spec.name)
        await channel.exchange_delete(topology.exchange)
    finally:
        await channel.close()
