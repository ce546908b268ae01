"""A RabbitMQ restart in the middle of a stream: nothing lost, nothing applied twice."""

from __future__ import annotations

import asyncio

import pytest

from tests.integration.test_messaging import emit, sink_effects, start
from tests.support.hub import HubEnv, eventually
from tests.support.messages import ThingHappened
from tests.support.services import BrokerControl

N = 3000
BATCH = 100


@pytest.mark.broker_restart
async def test_broker_restart_mid_stream_loses_nothing_and_applies_nothing_twice(
    pg_hub_env: HubEnv,
) -> None:
    broker = BrokerControl(pg_hub_env.amqp_url)
    hub = await start(pg_hub_env)
    producing = asyncio.create_task(_produce(hub))
    try:
        await eventually(lambda: _handled_at_least(hub, N // 4), timeout=60)
        await broker.stop_app()
        await asyncio.sleep(3)  # a real outage, long enough for every connection to drop
    finally:
        await broker.start_app()
    await producing
    await eventually(lambda: _handled_at_least(hub, N), timeout=120, interval=0.5)
    rows, distinct = await sink_effects(hub)
    lost, duplicates = N - distinct, rows - distinct
    assert (lost, duplicates) == (0, 0)
    assert hub.services["sink"].consumer is not None
    assert hub.services["sink"].consumer.consuming  # resumed by itself


async def _produce(hub: object) -> None:
    """Commit N events in batches while the broker goes away and comes back."""
    for start_n in range(0, N, BATCH):
        await emit(hub, *(ThingHappened(n=n) for n in range(start_n, start_n + BATCH)))  # type: ignore[arg-type]
        await asyncio.sleep(0.02)


async def _handled_at_least(hub: object, count: int) -> bool:
    rows, _ = await sink_effects(hub)  # type: ignore[arg-type]
    return rows >= count
