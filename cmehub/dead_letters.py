"""Operator actions on dead letters across the hub's services (used by ``cmehub dlq``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from aio_pika.abc import AbstractRobustConnection

from adapters.broker import dead_letters
from adapters.broker.connection import connect
from adapters.broker.dead_letters import DeadLetter
from adapters.broker.publisher import Publisher
from adapters.broker.topology import ServiceQueues, Topology


class DeadLetterDesk:
    def __init__(self, amqp_url: str, topology: Topology) -> None:
        self._amqp_url = amqp_url
        self._topology = topology

    async def browse(self, service: str | None = None) -> list[DeadLetter]:
        async with self._connected() as connection:
            letters: list[DeadLetter] = []
            for queues in self._queues(service):
                letters += await dead_letters.browse(connection, queues)
            return letters

    async def find(self, letter_id: str) -> DeadLetter | None:
        matches = [letter for letter in await self.browse() if letter.id.startswith(letter_id)]
        if len(matches) > 1:
            raise LookupError(f"{letter_id!r} matches {len(matches)} dead letters; give more of it")
        return matches[0] if matches else None

    async def replay(self, letter_id: str | None, service: str | None = None) -> list[DeadLetter]:
        """Replay one dead letter (``letter_id``), or all of them (``None``)."""
        async with self._connected() as connection:
            publisher = Publisher(connection, self._topology.exchange)
            await publisher.start()
            replayed: list[DeadLetter] = []
            for queues in self._queues(service):
                replayed += await dead_letters.replay(
                    connection,
                    publisher,
                    queues,
                    lambda letter: letter_id is None or letter.id.startswith(letter_id),
                )
            await publisher.close()
            return replayed

    def _queues(self, service: str | None) -> Sequence[ServiceQueues]:
        if service is None:
            return self._topology.services
        return [self._topology.service(service)]

    @asynccontextmanager
    async def _connected(self) -> AsyncIterator[AbstractRobustConnection]:
        connection = await connect(self._amqp_url, name="cmehub dlq")
        try:
            yield connection
        finally:
            await connection.close()
