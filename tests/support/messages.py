"""Test-only messages and services: a registry of their own, so the real catalogue stays clean."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from pydantic import Field
from sqlalchemy import Column, Integer, MetaData, String, Table, Uuid, func, select

from adapters.store.unit_of_work import Transaction
from cmehub.handling import Handler, PermanentError, ServiceContext, ServiceDefinition, Wiring
from schemas.envelope import Envelope, Payload
from schemas.registry import Registry, message


@message("probe.thing-happened", 1)
class ThingHappened(Payload):
    """Something numbered happened (test message)."""

    n: int = Field(description="Sequence number.")
    behaviour: str = Field(
        "ok", description="ok | fail-once | fail-always | fail-while-broken | reject | slow"
    )


TEST_REGISTRY = Registry([ThingHappened])

effects_metadata = MetaData()
effects = Table(
    "effects",
    effects_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", Uuid, nullable=False),
    Column("n", Integer, nullable=False),
    Column("consumer", String(50), nullable=False),
)
MIGRATIONS = Path(__file__).parent / "migrations"


class Attempts:
    """Counts handler calls per message number (outside the transaction, on purpose), and
    holds the fault switch for ``fail-while-broken`` messages."""

    def __init__(self) -> None:
        self.calls: dict[int, int] = {}
        self.broken = True
        self.started = asyncio.Event()

    def record(self, n: int) -> int:
        self.calls[n] = self.calls.get(n, 0) + 1
        return self.calls[n]


def sink_service(name: str = "sink", attempts: Attempts | None = None) -> ServiceDefinition:
    """Consumes probe.thing-happened and writes one effects row per message handled."""
    counter = attempts or Attempts()

    async def on_thing(envelope: Envelope[Any], tx: Transaction) -> None:
        payload = envelope.payload
        call = counter.record(payload.n)
        counter.started.set()
        if payload.behaviour == "reject":
            raise PermanentError("behaviour=reject")
        if _fails(payload.behaviour, call, counter.broken):
            raise ConnectionError(f"transient failure on call {call}")
        if payload.behaviour == "slow":
            await asyncio.sleep(1.0)
        await tx.session.execute(
            effects.insert().values(message_id=envelope.message_id, n=payload.n, consumer=name)
        )

    def build(_context: ServiceContext) -> Wiring:
        handlers: dict[str, Handler] = {"probe.thing-happened": on_thing}
        return Wiring(handlers=handlers)

    return ServiceDefinition(
        name=name, subscriptions=("probe.thing-happened",), build=build, migrations=MIGRATIONS
    )


def _fails(behaviour: str, call: int, broken: bool) -> bool:
    return (
        behaviour == "fail-always"
        or (behaviour == "fail-once" and call == 1)
        or (behaviour == "fail-while-broken" and broken)
    )


async def effect_counts(tx: Transaction) -> tuple[int, int]:
    """(rows, distinct message numbers) in the effects table."""
    row = (await tx.session.execute(select(func.count(), func.count(effects.c.n.distinct())))).one()
    return int(row[0]), int(row[1])
