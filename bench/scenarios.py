"""The three scenarios, each written twice: through our adapter (ours) and plain aio-pika."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from time import perf_counter

from aio_pika.abc import AbstractChannel, AbstractIncomingMessage

from adapters.broker.consumer import Consumer
from adapters.broker.delivery import Delivery, Processor
from adapters.broker.publisher import Publisher
from bench.harness import (
    CONSUME_TYPE,
    PUBLISH_TIMEOUT_S,
    PUBLISH_TYPE,
    STAGES,
    Config,
    Countdown,
    Env,
    InFlight,
    Payloads,
    Send,
    Stopwatch,
    confirm_exchange,
    make_body,
    our_message,
    plain_message,
    plain_sender,
    routing_key,
    stage_type,
    started_publisher,
    windowed,
)
from bench.report import RunResult

# --- scenario 1: publish with confirms --------------------------------------------------------


async def publish_ours(env: Env, count: int) -> RunResult:
    payloads = Payloads.make(count, env.config.size)
    publisher = await started_publisher(env)
    key = routing_key(PUBLISH_TYPE)

    async def send(index: int) -> None:
        message = our_message(payloads.bodies[index], payloads.ids[index], PUBLISH_TYPE, key)
        await publisher.publish(message)

    try:
        result = await windowed(count, env.config.window, send)
    finally:
        await publisher.close()
    await env.expect_then_purge(env.queue("publish"), count)
    return result


async def publish_plain(env: Env, count: int) -> RunResult:
    payloads = Payloads.make(count, env.config.size)
    channel, exchange = await confirm_exchange(env)
    try:
        result = await windowed(
            count, env.config.window, plain_sender(exchange, PUBLISH_TYPE, payloads)
        )
    finally:
        await channel.close()
    await env.expect_then_purge(env.queue("publish"), count)
    return result


# --- scenario 2: consume a pre-filled queue ---------------------------------------------------


async def consume_ours(env: Env, count: int) -> RunResult:
    await env.prefill(CONSUME_TYPE, count)
    handled = Countdown(count)

    async def processor(_delivery: Delivery) -> None:
        handled.tick()

    publisher = await started_publisher(env)  # the Consumer's route to retry/dead-letter queues
    consumer = Consumer(
        env.ours,
        env.topology.service("consume"),
        processor,
        publisher,
        prefetch=env.config.prefetch,
    )
    stopwatch = Stopwatch()
    try:
        await consumer.start()
        await handled.wait("consume ours")
        result = stopwatch.stop(count)
    finally:
        await consumer.stop()
        await publisher.close()
    await env.expect_then_purge(env.queue("consume"), 0)
    return result


async def consume_plain(env: Env, count: int) -> RunResult:
    await env.prefill(CONSUME_TYPE, count)
    handled = Countdown(count)
    in_flight = InFlight()

    async def on_message(message: AbstractIncomingMessage) -> None:
        with in_flight:
            handled.tick()
            await message.ack()

    stopwatch = Stopwatch()  # like Consumer.start, opening the channel is inside the timing
    channel = await env.plain.channel()
    try:
        await channel.set_qos(prefetch_count=env.config.prefetch)
        queue = await channel.declare_queue(env.queue("consume"), passive=True)
        tag = await queue.consume(on_message)
        await handled.wait("consume plain")
        result = stopwatch.stop(count)
        await queue.cancel(tag)
        await in_flight.wait_idle()
    finally:
        await channel.close()
    await env.expect_then_purge(env.queue("consume"), 0)
    return result


# --- scenario 3: a four-stage pipeline --------------------------------------------------------


class Sink:
    """The last stage: end-to-end latency from the body's timestamp; frees a pipeline slot."""

    def __init__(self, expected: int, in_flight: int) -> None:
        self.slots = asyncio.Semaphore(in_flight)
        self.latencies: list[float] = []
        self.received = Countdown(expected)

    def receive(self, body: bytes) -> None:
        sent_at = float(json.loads(body)["sent_at"])
        self.latencies.append(perf_counter() - sent_at)
        self.slots.release()
        self.received.tick()


async def drive(env: Env, count: int, sink: Sink, send: Send) -> RunResult:
    """Publish into stage 1, never more than the sink's slots in the pipeline at once."""

    async def one(index: int) -> None:
        await sink.slots.acquire()
        await send(index)

    stopwatch = Stopwatch()
    await asyncio.gather(*(one(i) for i in range(count)))
    await sink.received.wait("pipeline")
    result = stopwatch.stop(count, sink.latencies)
    for stage in range(1, STAGES + 1):
        await env.expect_then_purge(env.queue(f"stage{stage}"), 0)
    return result


def our_stage(stage: int, publisher: Publisher, sink: Sink) -> Processor:
    if stage == STAGES:

        async def last(delivery: Delivery) -> None:
            sink.receive(delivery.body)

        return last
    next_type = stage_type(stage + 1)
    key = routing_key(next_type)

    async def forward(delivery: Delivery) -> None:
        await publisher.publish(our_message(delivery.body, str(uuid.uuid4()), next_type, key))

    return forward


async def pipeline_ours(env: Env, count: int, in_flight: int) -> RunResult:
    sink = Sink(count, in_flight)
    publishers = [await started_publisher(env) for _ in range(STAGES)]  # driver, stages 1-3
    consumers = [
        Consumer(
            env.ours,
            env.topology.service(f"stage{k}"),
            our_stage(k, publishers[k % STAGES], sink),
            publishers[k % STAGES],  # stage 4 publishes nothing: it borrows the driver's
            prefetch=env.config.prefetch,
        )
        for k in range(1, STAGES + 1)
    ]

    first_type = stage_type(1)
    key = routing_key(first_type)

    async def send(index: int) -> None:
        body = make_body(index, env.config.size, perf_counter())
        await publishers[0].publish(our_message(body, str(uuid.uuid4()), first_type, key))

    try:
        for consumer in consumers:
            await consumer.start()
        return await drive(env, count, sink, send)
    finally:
        for consumer in consumers:
            await consumer.stop()
        for publisher in publishers:
            await publisher.close()


async def plain_stage(
    env: Env, stage: int, sink: Sink, in_flight: InFlight
) -> list[AbstractChannel]:
    """Consume channel (+ confirm channel) of one stage; returns the channels to close."""
    channel = await env.plain.channel()
    await channel.set_qos(prefetch_count=env.config.prefetch)
    queue = await channel.declare_queue(env.queue(f"stage{stage}"), passive=True)
    if stage == STAGES:

        async def last(message: AbstractIncomingMessage) -> None:
            with in_flight:
                sink.receive(message.body)
                await message.ack()

        await queue.consume(last)
        return [channel]
    confirm_channel, exchange = await confirm_exchange(env)
    next_type = stage_type(stage + 1)
    key = routing_key(next_type)

    async def forward(message: AbstractIncomingMessage) -> None:
        with in_flight:
            outgoing = plain_message(message.body, str(uuid.uuid4()), next_type)
            await exchange.publish(
                outgoing, routing_key=key, mandatory=True, timeout=PUBLISH_TIMEOUT_S
            )
            await message.ack()

    await queue.consume(forward)
    return [channel, confirm_channel]


async def pipeline_plain(env: Env, count: int, in_flight: int) -> RunResult:
    sink = Sink(count, in_flight)
    callbacks = InFlight()
    channels: list[AbstractChannel] = []
    try:
        driver_channel, exchange = await confirm_exchange(env)
        channels.append(driver_channel)
        for stage in range(1, STAGES + 1):
            channels.extend(await plain_stage(env, stage, sink, callbacks))
        first_type = stage_type(1)
        key = routing_key(first_type)

        async def send(index: int) -> None:
            body = make_body(index, env.config.size, perf_counter())
            message = plain_message(body, str(uuid.uuid4()), first_type)
            await exchange.publish(
                message, routing_key=key, mandatory=True, timeout=PUBLISH_TIMEOUT_S
            )

        return await drive(env, count, sink, send)
    finally:
        await callbacks.wait_idle()
        for channel in channels:
            await channel.close()


# --- the list --------------------------------------------------------------------------------

Runner = Callable[[Env, int], Awaitable[RunResult]]


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    ours: Runner
    plain: Runner
    messages: int
    with_latency: bool


def scenarios(config: Config) -> list[Scenario]:
    window, prefetch = config.window, config.prefetch

    async def loaded_ours(env: Env, count: int) -> RunResult:
        return await pipeline_ours(env, count, window)

    async def loaded_plain(env: Env, count: int) -> RunResult:
        return await pipeline_plain(env, count, window)

    async def unloaded_ours(env: Env, count: int) -> RunResult:
        return await pipeline_ours(env, count, 1)

    async def unloaded_plain(env: Env, count: int) -> RunResult:
        return await pipeline_plain(env, count, 1)

    every = [
        Scenario("publish", f"publish+confirm, window {window}", publish_ours, publish_plain,
                 config.messages, with_latency=True),
        Scenario("consume", f"consume+ack, prefetch {prefetch}", consume_ours, consume_plain,
                 config.messages, with_latency=False),
        Scenario("pipeline", f"4-hop pipeline, {window} in flight", loaded_ours, loaded_plain,
                 config.pipeline_messages, with_latency=True),
        Scenario("latency", "4-hop pipeline, 1 in flight", unloaded_ours, unloaded_plain,
                 config.latency_messages, with_latency=True),
    ]  # fmt: skip
    return [s for s in every if s.name in config.scenarios]
