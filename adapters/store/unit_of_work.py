"""A service's unit of work: state changes, outbox rows, inbox marks and timers in one commit."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from adapters.clock import Clock, system_clock
from adapters.store.tables import inbox, outbox, timers
from schemas.envelope import Envelope
from schemas.registry import encode


class Transaction:
    """Handed to handlers: the session for their own tables plus the messaging tables."""

    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.now = clock
        self.published = 0
        self.committed_callbacks: list[Callable[[], None]] = []

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (once) when this transaction has committed; never if it fails."""
        if callback not in self.committed_callbacks:
            self.committed_callbacks.append(callback)

    async def publish(self, envelope: Envelope[Any]) -> None:
        """Record an event to be published once this transaction commits."""
        now = self.now()
        await self.session.execute(
            outbox.insert().values(
                message_id=envelope.message_id,
                routing_key=envelope.routing_key,
                message_type=envelope.type,
                correlation_id=envelope.correlation_id,
                occurred_at=envelope.occurred_at,
                body=encode(envelope),
                created_at=now,
                next_attempt_at=now,
                attempts=0,
            )
        )
        self.published += 1

    async def claim(self, consumer: str, message_id: uuid.UUID, message_type: str) -> bool:
        """Mark a message handled by ``consumer``; False if it already was (a redelivery)."""
        statement = (
            dialect_insert(self.session, inbox)
            .values(
                consumer=consumer,
                message_id=message_id,
                message_type=message_type,
                handled_at=self.now(),
            )
            .on_conflict_do_nothing(index_elements=["consumer", "message_id"])
        )
        result = await self.session.execute(statement)
        return bool(getattr(result, "rowcount", 0) == 1)

    async def schedule(
        self, key: str, kind: str, due_at: datetime, data: dict[str, Any] | None = None
    ) -> None:
        """Set (or move) the timer ``key`` to fire at ``due_at``."""
        values = {
            "kind": kind,
            "due_at": due_at,
            "data": data or {},
            "fired_at": None,
            "cancelled_at": None,
            "attempts": 0,
            "last_error": None,
        }
        statement = (
            dialect_insert(self.session, timers)
            .values(key=key, created_at=self.now(), **values)
            .on_conflict_do_update(index_elements=["key"], set_=values)
        )
        await self.session.execute(statement)

    async def lock(self, *keys: str) -> None:
        """Hold these named locks until the transaction ends, so concurrent transactions that
        work on the same thing (e.g. the same child) take turns. PostgreSQL: advisory
        transaction locks, taken in sorted order so two transactions cannot deadlock; SQLite:
        nothing to do, BEGIN IMMEDIATE already serialises every writing transaction."""
        if self.session.get_bind().dialect.name != "postgresql":
            return
        for key in sorted(set(keys)):
            await self.session.execute(
                text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key}
            )

    async def cancel_timer(self, key: str) -> bool:
        result = await self.session.execute(
            update(timers)
            .where(
                timers.c.key == key, timers.c.fired_at.is_(None), timers.c.cancelled_at.is_(None)
            )
            .values(cancelled_at=self.now())
        )
        return bool(getattr(result, "rowcount", 0))


class Store:
    """Opens transactions on one service's database and tells listeners about new outbox rows."""

    def __init__(self, engine: AsyncEngine, *, clock: Clock = system_clock) -> None:
        self.engine = engine
        self.clock = clock
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        self._outbox_listeners: list[Callable[[], None]] = []

    def on_outbox_commit(self, listener: Callable[[], None]) -> None:
        self._outbox_listeners.append(listener)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        async with self._sessions() as session, session.begin():
            tx = Transaction(session, self.clock)
            yield tx
        for callback in tx.committed_callbacks:
            callback()
        if tx.published:
            for listener in self._outbox_listeners:
                listener()

    async def ping(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def close(self) -> None:
        await self.engine.dispose()


def dialect_insert(session: AsyncSession, table: Any) -> Any:
    """INSERT with the dialect's ON CONFLICT support (PostgreSQL or SQLite)."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
