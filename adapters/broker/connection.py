"""Connecting to RabbitMQ and declaring the hub's topology."""

from __future__ import annotations

from collections.abc import Iterable

import aio_pika
import aiormq
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


class TopologyMissing(Exception):
    """The broker lacks an exchange or queue this process needs (definitions not imported)."""


async def verify_topology(
    connection: AbstractRobustConnection, topology: Topology, services: Iterable[str]
) -> None:
    """Check that the exchange and the queues of ``services`` exist, declaring nothing.

    Passive declares need no permission, so this works for a broker user that may not
    configure anything (the topology then comes from the broker definitions)."""
    channel = await connection.channel()
    names = [topology.exchange]
    try:
        await channel.declare_exchange(topology.exchange, passive=True, robust=False)
        for service in services:
            if service in topology.service_names():
                for spec in topology.service(service).queues():
                    names.append(spec.name)
                    await channel.declare_queue(spec.name, passive=True, robust=False)
    except aiormq.exceptions.ChannelNotFoundEntity as error:
        raise TopologyMissing(
            f"{names[-1]} does not exist: import the broker definitions "
            "(`cmehub topology export`, see deploy/README.md) or set CMEHUB_DECLARE_TOPOLOGY=true"
        ) from error
    finally:
        if not channel.is_closed:
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
