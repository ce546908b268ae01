"""Durable timers: rows that fire a handler when due, survive restarts and fire once.

A timer is claimed by the same transaction that runs its handler, so a crash mid-handler
leaves it unfired and it fires again on the next pass; a handler that fails is retried with
back-off and its last error is kept on the row for officers and operators to see.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import select, update

from adapters.backoff import backoff_s
from adapters.store.tables import timers
from adapters.store.unit_of_work import Store, Transaction

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Timer:
    id: int
    key: str
    kind: str
    due_at: datetime
    data: dict[str, Any]
    attempts: int


TimerHandler = Callable[[Timer, Transaction], Awaitable[None]]


class TimerRunner:
    def __init__(
        self,
        store: Store,
        handlers: Mapping[str, TimerHandler],
        *,
        poll_interval: float = 1.0,
        batch: int = 100,
        max_backoff: float = 300.0,
    ) -> None:
        self._store = store
        self._handlers = handlers
        self._poll_interval = poll_interval
        self._batch = batch
        self._max_backoff = max_backoff
        self._stopped = asyncio.Event()

    async def run(self) -> None:
        while not self._stopped.is_set():
            try:
                await self.fire_due()
            except Exception:
                log.exception("timers.pass_failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopped.wait(), self._poll_interval)

    def stop(self) -> None:
        self._stopped.set()

    async def fire_due(self) -> int:
        """Fire every timer due now; returns how many handlers ran to completion."""
        async with self._store.transaction() as tx:
            rows = (
                await tx.session.execute(
                    select(timers)
                    .where(
                        timers.c.due_at <= self._store.clock(),
                        timers.c.fired_at.is_(None),
                        timers.c.cancelled_at.is_(None),
                    )
                    .order_by(timers.c.due_at, timers.c.id)
                    .limit(self._batch)
                )
            ).all()
        fired = 0
        for row in rows:
            fired += await self._fire(_timer(row))
        return fired

    async def _fire(self, timer: Timer) -> int:
        handler = self._handlers.get(timer.kind)
        try:
            if handler is None:
                raise LookupError(f"no handler for timer kind {timer.kind!r}")
            async with self._store.transaction() as tx:
                if not await _claim(tx, timer):
                    return 0
                await handler(timer, tx)
        except Exception as error:
            log.exception("timers.handler_failed", timer_key=timer.key, kind=timer.kind)
            await self._record_failure(timer, error)
            return 0
        return 1

    async def _record_failure(self, timer: Timer, error: Exception) -> None:
        delay = backoff_s(timer.attempts + 1, self._poll_interval, self._max_backoff)
        async with self._store.transaction() as tx:
            await tx.session.execute(
                update(timers)
                .where(timers.c.id == timer.id)
                .values(
                    attempts=timer.attempts + 1,
                    last_error=f"{type(error).__name__}: {error}"[:1000],
                    due_at=tx.now() + timedelta(seconds=delay),
                )
            )


async def _claim(tx: Transaction, timer: Timer) -> bool:
    result = await tx.session.execute(
        update(timers)
        .where(
            timers.c.id == timer.id,
            timers.c.fired_at.is_(None),
            timers.c.cancelled_at.is_(None),
            timers.c.due_at <= tx.now(),
        )
        .values(fired_at=tx.now())
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def _timer(row: Any) -> Timer:
    return Timer(
        id=row.id,
        key=row.key,
        kind=row.kind,
        due_at=row.due_at,
        data=dict(row.data or {}),
        attempts=row.attempts,
    )
