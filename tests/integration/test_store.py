"""The store adapter on PostgreSQL and SQLite: timers, outbox failures, migrations."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, MetaData, select

from adapters.clock import ManualClock
from adapters.store.database import create_engine, drop_schema, ensure_schema, locate
from adapters.store.migrate import upgrade
from adapters.store.outbox import OutboxMessage, OutboxRelay
from adapters.store.tables import metadata as messaging_metadata
from adapters.store.tables import outbox, timers
from adapters.store.timers import Timer, TimerRunner
from adapters.store.unit_of_work import Store, Transaction
from schemas.envelope import new_envelope
from tests.support.messages import MIGRATIONS, ThingHappened, effects_metadata

pytestmark = pytest.mark.usefixtures("database_url")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def store(database_url: str, clock: ManualClock) -> AsyncIterator[Store]:
    location = locate(database_url, "storetest", f"t{id(clock):x}")
    await ensure_schema(location)
    engine = create_engine(location)
    await upgrade(engine, [MIGRATIONS])
    store = Store(engine, clock=clock)
    try:
        yield store
    finally:
        await store.close()
        await drop_schema(location)


class Fired:
    def __init__(self, fail_first: int = 0) -> None:
        self.timers: list[Timer] = []
        self.fail_first = fail_first

    async def __call__(self, timer: Timer, _tx: Transaction) -> None:
        if self.fail_first > 0:
            self.fail_first -= 1
            raise ConnectionError("tracing deadline handler failed")
        self.timers.append(timer)


async def schedule(store: Store, key: str, due_in: timedelta, **data: Any) -> None:
    async with store.transaction() as tx:
        await tx.schedule(key, "deadline", tx.now() + due_in, data)


async def test_timer_fires_once_when_due_and_not_before(store: Store, clock: ManualClock) -> None:
    fired = Fired()
    runner = TimerRunner(store, {"deadline": fired})
    await schedule(store, "case-1:deadline", timedelta(days=14), case="1")
    assert await runner.fire_due() == 0
    clock.advance(timedelta(days=14))
    assert await runner.fire_due() == 1
    assert await runner.fire_due() == 0
    assert [(t.key, t.data) for t in fired.timers] == [("case-1:deadline", {"case": "1"})]


async def test_timer_survives_a_restart(store: Store, clock: ManualClock) -> None:
    await schedule(store, "case-2:deadline", timedelta(hours=1))
    restarted = Store(store.engine, clock=clock)  # a new process on the same database
    fired = Fired()
    clock.advance(timedelta(hours=2))
    assert await TimerRunner(restarted, {"deadline": fired}).fire_due() == 1
    assert [t.key for t in fired.timers] == ["case-2:deadline"]


async def test_cancelled_timer_never_fires(store: Store, clock: ManualClock) -> None:
    await schedule(store, "case-3:deadline", timedelta(hours=1))
    async with store.transaction() as tx:
        assert await tx.cancel_timer("case-3:deadline")
    clock.advance(timedelta(days=1))
    fired = Fired()
    assert await TimerRunner(store, {"deadline": fired}).fire_due() == 0
    assert fired.timers == []


async def test_rescheduling_a_timer_moves_it(store: Store, clock: ManualClock) -> None:
    await schedule(store, "case-4:deadline", timedelta(hours=1))
    await schedule(store, "case-4:deadline", timedelta(hours=5))
    fired = Fired()
    runner = TimerRunner(store, {"deadline": fired})
    clock.advance(timedelta(hours=2))
    assert await runner.fire_due() == 0
    clock.advance(timedelta(hours=3))
    assert await runner.fire_due() == 1


async def test_failing_timer_keeps_its_error_and_fires_again_after_back_off(
    store: Store, clock: ManualClock
) -> None:
    fired = Fired(fail_first=1)
    runner = TimerRunner(store, {"deadline": fired}, poll_interval=1.0)
    await schedule(store, "case-5:deadline", timedelta(0))
    assert await runner.fire_due() == 0
    async with store.transaction() as tx:
        row = (await tx.session.execute(select(timers))).one()
    assert (row.attempts, row.fired_at) == (1, None)
    assert row.last_error == "ConnectionError: tracing deadline handler failed"
    assert await runner.fire_due() == 0  # backing off
    clock.advance(timedelta(seconds=2))
    assert await runner.fire_due() == 1


async def test_outbox_row_that_cannot_be_published_stays_pending_with_its_error(
    store: Store, clock: ManualClock
) -> None:
    async def broker_refuses(_message: OutboxMessage) -> None:
        raise ConnectionError("broker unavailable")

    relay = OutboxRelay(store, broker_refuses, poll_interval=1.0)
    async with store.transaction() as tx:
        await tx.publish(new_envelope(ThingHappened(n=1)))
    assert await relay.publish_pending() == 0
    assert await relay.publish_pending() == 0  # backing off, not hammering
    async with store.transaction() as tx:
        row = (await tx.session.execute(select(outbox))).one()
    assert (row.attempts, row.published_at) == (1, None)
    assert row.last_error == "ConnectionError: broker unavailable"

    sent: list[OutboxMessage] = []

    async def broker_back(message: OutboxMessage) -> None:
        sent.append(message)

    clock.advance(timedelta(seconds=1))
    assert await OutboxRelay(store, broker_back).publish_pending() == 1
    assert [m.routing_key for m in sent] == ["probe.thing-happened.v1"]


async def test_migrations_create_exactly_the_tables_the_code_declares(store: Store) -> None:
    declared = MetaData()
    for table in [*messaging_metadata.tables.values(), *effects_metadata.tables.values()]:
        table.to_metadata(declared)

    def differences(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection)
        return [d for d in compare_metadata(context, declared) if d[0] != "remove_table"]

    async with store.engine.connect() as connection:
        assert await connection.run_sync(differences) == []
