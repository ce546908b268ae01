"""The messaging backbone against a real RabbitMQ and a real database (PostgreSQL and SQLite)."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from adapters.broker.connection import connect
from adapters.broker.dead_letters import DeadLetter, browse
from adapters.broker.publisher import OutgoingMessage, Publisher, PublishFailed, Unroutable
from adapters.store.tables import outbox
from cmehub.dead_letters import DeadLetterDesk
from cmehub.handling import ServiceDefinition, Wiring
from cmehub.runtime import Hub
from schemas.envelope import new_envelope
from schemas.registry import encode
from tests.support.hub import HubEnv, eventually, publish_raw
from tests.support.messages import (
    TEST_REGISTRY,
    Attempts,
    ThingHappened,
    effect_counts,
    sink_service,
)
from tests.support.proxy import CuttableProxy

SOURCE = ServiceDefinition(name="source", subscriptions=(), build=lambda _c: Wiring())


async def start(env: HubEnv, attempts: Attempts | None = None, **overrides: Any) -> Hub:
    return await env.start(
        [SOURCE, sink_service(attempts=attempts)], registry=TEST_REGISTRY, **overrides
    )


async def emit(hub: Hub, *things: ThingHappened) -> None:
    async with hub.services["source"].store.transaction() as tx:
        for thing in things:
            await tx.publish(new_envelope(thing))


async def sink_effects(hub: Hub) -> tuple[int, int]:
    async with hub.services["sink"].store.transaction() as tx:
        return await effect_counts(tx)


async def wait_for_effects(hub: Hub, rows: int, timeout: float = 15.0) -> None:
    async def done() -> bool:
        return (await sink_effects(hub))[0] >= rows

    await eventually(done, timeout=timeout)


async def dead_letters_of(hub: Hub, count: int, timeout: float = 15.0) -> list[DeadLetter]:
    queues = hub.topology.service("sink")
    letters: list[DeadLetter] = []

    async def arrived() -> bool:
        letters[:] = await browse(hub.connection, queues)
        return len(letters) >= count

    await eventually(arrived, timeout=timeout, interval=0.2)
    return letters


async def test_event_committed_with_state_reaches_subscriber_once(hub_env: HubEnv) -> None:
    hub = await start(hub_env)
    await emit(hub, *(ThingHappened(n=n) for n in range(20)))
    await wait_for_effects(hub, 20)
    assert await sink_effects(hub) == (20, 20)


async def test_rolled_back_transaction_publishes_nothing(hub_env: HubEnv) -> None:
    hub = await start(hub_env)
    store = hub.services["source"].store

    async def change_that_fails() -> None:
        async with store.transaction() as tx:
            await tx.publish(new_envelope(ThingHappened(n=1)))
            raise RuntimeError("state change failed")

    with pytest.raises(RuntimeError, match="state change failed"):
        await change_that_fails()
    async with store.transaction() as tx:
        assert (await tx.session.execute(select(func.count()).select_from(outbox))).scalar() == 0


async def test_unparseable_message_is_dead_lettered_and_consumer_keeps_going(
    hub_env: HubEnv,
) -> None:
    hub = await start(hub_env)
    await publish_raw(
        hub.connection,
        hub.topology.exchange,
        "probe.thing-happened.v1",
        b"{not json",
        message_id="poison-1",
    )
    await emit(hub, ThingHappened(n=7))
    await wait_for_effects(hub, 1)
    [letter] = await dead_letters_of(hub, 1)
    assert letter.id == "poison-1"
    assert letter.reason.startswith("unparseable: body is not JSON")
    assert letter.original_routing_key == "probe.thing-happened.v1"


async def test_unknown_message_version_is_dead_lettered_with_the_type_named(
    hub_env: HubEnv,
) -> None:
    hub = await start(hub_env)
    envelope = json.loads(encode(new_envelope(ThingHappened(n=1))))
    envelope["version"] = 9
    await publish_raw(
        hub.connection,
        hub.topology.exchange,
        "probe.thing-happened.v9",
        json.dumps(envelope).encode(),
        message_id=envelope["message_id"],
    )
    [letter] = await dead_letters_of(hub, 1)
    assert "unknown message type 'probe.thing-happened' version 9" in letter.reason


async def test_transient_failure_is_retried_with_back_off_then_handled_once(
    hub_env: HubEnv,
) -> None:
    attempts = Attempts()
    hub = await start(hub_env, attempts)
    await emit(hub, ThingHappened(n=1, behaviour="fail-once"))
    await wait_for_effects(hub, 1)
    assert attempts.calls == {1: 2}
    assert await sink_effects(hub) == (1, 1)


async def test_message_failing_every_retry_is_dead_lettered_with_last_error(
    hub_env: HubEnv,
) -> None:
    attempts = Attempts()
    hub = await start(hub_env, attempts)
    await emit(hub, ThingHappened(n=1, behaviour="fail-always"))
    [letter] = await dead_letters_of(hub, 1)
    assert attempts.calls == {1: 3}  # first delivery and two retry tiers
    assert letter.reason.startswith("failed 3 times; last error: ConnectionError")
    assert await sink_effects(hub) == (0, 0)


async def test_permanent_error_is_dead_lettered_without_retrying(hub_env: HubEnv) -> None:
    attempts = Attempts()
    hub = await start(hub_env, attempts)
    await emit(hub, ThingHappened(n=1, behaviour="reject"))
    [letter] = await dead_letters_of(hub, 1)
    assert attempts.calls == {1: 1}
    assert letter.reason == "rejected by sink: behaviour=reject"


async def test_message_redelivered_after_consumer_dies_before_ack_is_applied_once(
    hub_env: HubEnv,
) -> None:
    attempts = Attempts()
    doomed = await hub_env.start([sink_service(attempts=attempts)], registry=TEST_REGISTRY)
    doomed_consumer = doomed.services["sink"].consumer
    assert doomed_consumer is not None
    real_processor = doomed_consumer._processor

    async def die_before_ack(delivery: object) -> None:
        await real_processor(delivery)  # type: ignore[arg-type]
        await doomed.connection.close()  # connection gone: the ack can never be sent
        raise ConnectionError("consumer killed before ack")

    doomed_consumer._processor = die_before_ack
    source = await start(hub_env, attempts)
    await emit(source, ThingHappened(n=1))
    await eventually(lambda: _true(attempts.calls.get(1, 0) >= 1))
    await wait_for_effects(source, 1)
    await asyncio.wait_for(_redelivered_to(source), 15)
    assert await sink_effects(source) == (1, 1)
    await hub_env.stop(doomed)


async def _redelivered_to(hub: Hub) -> None:
    """The survivor acks the redelivery as a duplicate, leaving the queue empty."""
    channel = await hub.connection.channel()
    try:
        while True:
            queue = await channel.declare_queue(hub.topology.service("sink").main, passive=True)
            if queue.declaration_result.message_count == 0:
                return
            await asyncio.sleep(0.1)
    finally:
        await channel.close()


async def _true(value: bool) -> bool:
    return value


async def test_event_left_by_a_crash_between_commit_and_publish_is_published_later(
    hub_env: HubEnv,
) -> None:
    crashed = await hub_env.start([SOURCE], registry=TEST_REGISTRY)
    relay_task = crashed.services["source"].tasks[0]
    crashed.services["source"].relay.stop()
    await relay_task
    await emit(crashed, ThingHappened(n=1), ThingHappened(n=2))
    assert await crashed.services["source"].relay.pending_count() == 2
    await hub_env.stop(crashed)
    restarted = await start(hub_env)
    await wait_for_effects(restarted, 2)
    assert await restarted.services["source"].relay.pending_count() == 0


async def test_publishing_to_an_unroutable_key_raises(hub_env: HubEnv) -> None:
    hub = await start(hub_env)
    message = OutgoingMessage(
        routing_key="nobody.listens.v1",
        body=b"{}",
        message_id=str(uuid.uuid4()),
        type="nobody.listens",
    )
    with pytest.raises(
        Unroutable, match=r"no queue is bound for routing key 'nobody\.listens\.v1'"
    ):
        await hub.publisher.publish(message)


async def test_publishing_while_the_broker_is_unreachable_fails_within_the_timeout(
    hub_env: HubEnv,
) -> None:
    """A partition makes publishes fail promptly (never wait for the reconnect), so an outbox
    relay gives up and tries again later; after the reconnect the same publisher works."""
    hub = await start(hub_env)
    proxy = CuttableProxy(hub_env.amqp_url)
    await proxy.start()
    connection = await connect(proxy.url, name="test partitioned publisher")
    try:
        publisher = Publisher(connection, hub.topology.exchange, timeout=0.5)
        await publisher.start()
        message = OutgoingMessage(
            routing_key="probe.thing-happened.v1",
            body=b"{}",
            message_id=str(uuid.uuid4()),
            type="probe.thing-happened",
        )
        proxy.sever()
        with pytest.raises(PublishFailed):
            await asyncio.wait_for(publisher.publish(message), 5)
        proxy.restore()
        await asyncio.wait_for(_publish_once_reconnected(publisher, message), 15)
        await asyncio.wait_for(publisher.close(), 5)
    finally:
        await connection.close()
        await proxy.close()


async def _publish_once_reconnected(publisher: Publisher, message: OutgoingMessage) -> None:
    """The same publisher works again once its channel is restored."""
    while True:
        try:
            await publisher.publish(message)
            return
        except PublishFailed:
            await asyncio.sleep(0.2)


async def test_dead_letter_replayed_after_the_fault_is_fixed_is_handled_once(
    hub_env: HubEnv,
) -> None:
    attempts = Attempts()
    hub = await start(hub_env, attempts)
    await emit(
        hub,
        ThingHappened(n=1, behaviour="fail-while-broken"),
        ThingHappened(n=2, behaviour="reject"),
    )
    letters = await dead_letters_of(hub, 2)
    broken = next(x for x in letters if "ConnectionError" in x.reason)
    attempts.broken = False
    desk = DeadLetterDesk(hub_env.amqp_url, hub.topology)
    replayed = await desk.replay(broken.id, "sink")
    assert [letter.id for letter in replayed] == [broken.id]
    await wait_for_effects(hub, 1)
    remaining = await browse(hub.connection, hub.topology.service("sink"))
    assert [letter.reason for letter in remaining] == ["rejected by sink: behaviour=reject"]
    assert await sink_effects(hub) == (1, 1)


async def test_graceful_stop_finishes_the_message_in_flight(hub_env: HubEnv) -> None:
    attempts = Attempts()
    hub = await start(hub_env, attempts)
    await emit(hub, ThingHappened(n=1, behaviour="slow"))
    await asyncio.wait_for(attempts.started.wait(), 15)
    await hub_env.stop(hub)  # while the handler is still sleeping
    assert attempts.calls == {1: 1}
    restarted = await start(hub_env, attempts)
    assert await sink_effects(restarted) == (1, 1)
    assert await restarted.services["sink"].relay.pending_count() == 0
    await asyncio.wait_for(_redelivered_to(restarted), 15)
    assert attempts.calls == {1: 1}  # acked before stopping: never delivered again
