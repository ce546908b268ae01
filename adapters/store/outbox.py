"""The outbox relay: publishes committed outbox rows with confirms, promptly and after crashes.

It is woken after every commit that added rows, and also polls, so rows left by a crash
between commit and publish are sent on the next pass. A row is marked published only after
the broker confirmed it; a failed row is retried with back-off and never dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from prometheus_client import Counter
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.backoff import backoff_s
from adapters.store.tables import outbox
from adapters.store.unit_of_work import Store

log = structlog.get_logger(__name__)
PUBLISH_FAILURES = Counter(
    "cmehub_outbox_publish_failures_total",
    "Outbox rows whose publish failed (they stay pending and are retried).",
)


@dataclass(frozen=True)
class OutboxMessage:
    message_id: uuid.UUID
    routing_key: str
    message_type: str
    correlation_id: uuid.UUID
    occurred_at: datetime
    body: bytes


Send = Callable[[OutboxMessage], Awaitable[None]]


class OutboxRelay:
    def __init__(
        self,
        store: Store,
        send: Send,
        *,
        batch: int = 200,
        poll_interval: float = 1.0,
        max_backoff: float = 60.0,
        retention: timedelta = timedelta(days=7),
    ) -> None:
        self._store = store
        self._send = send
        self._batch = batch
        self._poll_interval = poll_interval
        self._max_backoff = max_backoff
        self._retention = retention
        self._wake = asyncio.Event()
        self._stopping = False
        store.on_outbox_commit(self.wake)

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        """Publish until stopped; a final pass on the way out publishes what is left."""
        passes = 0
        while not self._stopping:
            self._wake.clear()
            try:
                sent = await self.publish_pending()
                passes += 1
                if passes % 1000 == 1:
                    await self.purge_published()
            except Exception:
                log.exception("outbox.relay_pass_failed")
                sent = 0
            if sent < self._batch:
                await self._sleep()
        await self.publish_pending()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    async def publish_pending(self) -> int:
        """One pass: publish up to a batch of due rows; returns how many were confirmed."""
        if self._store.engine.dialect.name == "postgresql":
            async with self._store.transaction() as tx:
                rows = await self._due_rows(tx.session, lock=True)
                failures = await self._send_all(rows)
                await self._record(tx.session, rows, failures)
        else:
            async with self._store.transaction() as tx:
                rows = await self._due_rows(tx.session, lock=False)
            failures = await self._send_all(rows)
            async with self._store.transaction() as tx:
                await self._record(tx.session, rows, failures)
        return len(rows) - len(failures)

    async def pending_count(self) -> int:
        async with self._store.transaction() as tx:
            result = await tx.session.execute(
                select(outbox.c.id).where(outbox.c.published_at.is_(None))
            )
            return len(result.all())

    async def purge_published(self) -> None:
        cutoff = self._store.clock() - self._retention
        async with self._store.transaction() as tx:
            await tx.session.execute(delete(outbox).where(outbox.c.published_at < cutoff))

    async def _due_rows(self, session: AsyncSession, *, lock: bool) -> Sequence[Any]:
        query = (
            select(outbox)
            .where(outbox.c.published_at.is_(None), outbox.c.next_attempt_at <= self._store.clock())
            .order_by(outbox.c.id)
            .limit(self._batch)
        )
        if lock:
            query = query.with_for_update(skip_locked=True)
        return (await session.execute(query)).all()

    async def _send_all(self, rows: Sequence[Any]) -> dict[int, str]:
        results = await asyncio.gather(
            *(self._send(_message(row)) for row in rows), return_exceptions=True
        )
        failures = {
            row.id: f"{type(result).__name__}: {result}"
            for row, result in zip(rows, results, strict=True)
            if isinstance(result, BaseException)
        }
        if failures:
            PUBLISH_FAILURES.inc(len(failures))
            log.error(
                "outbox.publish_failed",
                failed=len(failures),
                of=len(rows),
                first_error=next(iter(failures.values()))[:300],
            )
        return failures

    async def _record(
        self, session: AsyncSession, rows: Sequence[Any], failures: dict[int, str]
    ) -> None:
        now = self._store.clock()
        sent = [row.id for row in rows if row.id not in failures]
        if sent:
            await session.execute(
                update(outbox).where(outbox.c.id.in_(sent)).values(published_at=now)
            )
        for row in rows:
            if row.id in failures:
                await session.execute(
                    update(outbox)
                    .where(outbox.c.id == row.id)
                    .values(
                        attempts=row.attempts + 1,
                        last_error=failures[row.id][:1000],
                        next_attempt_at=now + timedelta(seconds=self._backoff(row.attempts + 1)),
                    )
                )

    def _backoff(self, attempts: int) -> float:
        return backoff_s(attempts, self._poll_interval, self._max_backoff)

    async def _sleep(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self._poll_interval)


def _message(row: Any) -> OutboxMessage:
    return OutboxMessage(
        message_id=row.message_id,
        routing_key=row.routing_key,
        message_type=row.message_type,
        correlation_id=row.correlation_id,
        occurred_at=row.occurred_at,
        body=row.body,
    )
