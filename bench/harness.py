"""The benchmark's building blocks: configuration, message shapes, timing, the broker namespace."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter, process_time
from types import TracebackType

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractRobustConnection

from adapters.broker.publisher import OutgoingMessage, Publisher
from adapters.broker.topology import Topology, build_topology
from bench.report import RunResult

DEFAULT_URL = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
PUBLISH_TIMEOUT_S = 30.0
STALL_TIMEOUT_S = 600.0  # a guard against a stalled run, never a timing assertion
NAMESPACE_PREFIX = "bench"
STAGES = 4
PUBLISH_TYPE = "bench.published"
CONSUME_TYPE = "bench.consumed"
RETRY_DELAYS_MS = (60_000,)  # never used (nothing fails); one tier keeps the broker footprint small
CORRELATION_ID = str(uuid.uuid4())


Send = Callable[[int], Awaitable[None]]


@dataclass(frozen=True)
class Config:
    url: str
    messages: int
    size: int
    window: int
    prefetch: int
    repeats: int
    warmup: int
    pipeline_messages: int
    latency_messages: int
    pause: float
    scenarios: tuple[str, ...]
    json_out: Path | None
    delete_namespace: str | None


# --- naming and message shapes --------------------------------------------------------------


def stage_type(stage: int) -> str:
    return f"bench.stage{stage}"


def routing_key(message_type: str) -> str:
    return f"{message_type}.v1"


def bench_topology(namespace: str) -> Topology:
    subscriptions = {
        "publish": [PUBLISH_TYPE],
        "consume": [CONSUME_TYPE],
        **{f"stage{k}": [stage_type(k)] for k in range(1, STAGES + 1)},
    }
    return build_topology(subscriptions, namespace=namespace, retry_delays_ms=RETRY_DELAYS_MS)


def make_body(seq: int, size: int, sent_at: float) -> bytes:
    """A JSON object of ``size`` bytes (or the smallest possible) carrying a send timestamp."""
    head = {"seq": seq, "sent_at": sent_at, "pad": ""}
    pad = max(0, size - len(json.dumps(head, separators=(",", ":"))))
    return json.dumps({**head, "pad": "x" * pad}, separators=(",", ":")).encode()


def plain_message(body: bytes, message_id: str, message_type: str) -> aio_pika.Message:
    """The same AMQP properties as ``OutgoingMessage.to_amqp`` builds."""
    return aio_pika.Message(
        body,
        content_type="application/json",
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        message_id=message_id,
        type=message_type,
        correlation_id=CORRELATION_ID,
        timestamp=datetime.now(UTC),
        headers={},
    )


def our_message(body: bytes, message_id: str, message_type: str, key: str) -> OutgoingMessage:
    return OutgoingMessage(
        routing_key=key,
        body=body,
        message_id=message_id,
        type=message_type,
        correlation_id=CORRELATION_ID,
        timestamp=datetime.now(UTC),
    )


@dataclass(frozen=True)
class Payloads:
    """Bodies and message ids made before the clock starts (the same cost for both sides)."""

    bodies: list[bytes]
    ids: list[str]

    @classmethod
    def make(cls, count: int, size: int) -> Payloads:
        return cls(
            [make_body(i, size, 0.0) for i in range(count)],
            [str(uuid.uuid4()) for _ in range(count)],
        )


# --- small async helpers ----------------------------------------------------------------------


class Countdown:
    """Set when ``expected`` ticks have happened."""

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.count = 0
        self.done = asyncio.Event()

    def tick(self) -> None:
        self.count += 1
        if self.count >= self.expected:
            self.done.set()

    async def wait(self, what: str) -> None:
        await wait_or_explain(self.done, f"{what}: {self.count}/{self.expected}")


class InFlight:
    """Graceful shutdown for plain callbacks, the same duty Consumer does for ours."""

    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def __enter__(self) -> None:
        self._count += 1
        self._idle.clear()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._count -= 1
        if self._count == 0:
            self._idle.set()

    async def wait_idle(self) -> None:
        await wait_or_explain(self._idle, f"{self._count} callbacks still running")


async def wait_or_explain(event: asyncio.Event, what: str) -> None:
    """A guard against a stalled run (a lost message), not a timing assertion."""
    try:
        async with asyncio.timeout(STALL_TIMEOUT_S):
            await event.wait()
    except TimeoutError:
        raise RuntimeError(f"benchmark stalled for {STALL_TIMEOUT_S}s ({what})") from None


class Stopwatch:
    """Wall time and the process's CPU time (user + system) over one measured run."""

    def __init__(self) -> None:
        self._wall = perf_counter()
        self._cpu = process_time()

    def stop(self, messages: int, latencies: Sequence[float] = ()) -> RunResult:
        return RunResult(
            perf_counter() - self._wall, messages, process_time() - self._cpu, latencies
        )


async def windowed(count: int, window: int, send: Send) -> RunResult:
    """Send ``count`` messages, at most ``window`` awaiting their confirm; time each one."""
    slots = asyncio.Semaphore(window)
    latencies = [0.0] * count

    async def one(index: int) -> None:
        async with slots:
            started = perf_counter()
            await send(index)
            latencies[index] = perf_counter() - started

    stopwatch = Stopwatch()
    await asyncio.gather(*(one(i) for i in range(count)))
    return stopwatch.stop(count, latencies)


# --- the environment: connections, namespace, queue checks ----------------------------------


@dataclass
class Env:
    config: Config
    topology: Topology
    ours: AbstractRobustConnection
    plain: AbstractRobustConnection
    admin: AbstractRobustConnection
    broker: str = field(default="unknown")

    def queue(self, service: str) -> str:
        return self.topology.service(service).main

    async def depth(self, queue: str) -> int:
        channel = await self.admin.channel()
        try:
            declared = await channel.declare_queue(queue, passive=True)
            return int(declared.declaration_result.message_count or 0)
        finally:
            await channel.close()

    async def expect_then_purge(self, queue: str, expected: int) -> None:
        """Check that a run left the queue as it should, then empty it for the next run."""
        for _ in range(100):
            depth = await self.depth(queue)
            if depth == expected:
                break
            await asyncio.sleep(0.05)
        else:
            raise RuntimeError(f"{queue} holds {depth} messages, expected {expected}")
        channel = await self.admin.channel()
        try:
            declared = await channel.declare_queue(queue, passive=True)
            await declared.purge()
        finally:
            await channel.close()

    async def prefill(self, message_type: str, count: int) -> None:
        """Confirmed publishes, unmeasured, so both consume runs start from the same queue."""
        channel = await self.admin.channel(publisher_confirms=True, on_return_raises=True)
        try:
            exchange = await channel.get_exchange(self.topology.exchange, ensure=False)
            payloads = Payloads.make(count, self.config.size)
            await windowed(
                count, self.config.window, plain_sender(exchange, message_type, payloads)
            )
        finally:
            await channel.close()
        await asyncio.sleep(self.config.pause)  # the quorum queue writes its log in the background


def plain_sender(exchange: AbstractExchange, message_type: str, payloads: Payloads) -> Send:
    key = routing_key(message_type)

    async def send(index: int) -> None:
        message = plain_message(payloads.bodies[index], payloads.ids[index], message_type)
        await exchange.publish(message, routing_key=key, mandatory=True, timeout=PUBLISH_TIMEOUT_S)

    return send


async def started_publisher(env: Env) -> Publisher:
    publisher = Publisher(
        env.ours, env.topology.exchange, window=env.config.window, timeout=PUBLISH_TIMEOUT_S
    )
    await publisher.start()
    return publisher


async def confirm_exchange(env: Env) -> tuple[AbstractChannel, AbstractExchange]:
    channel = await env.plain.channel(publisher_confirms=True, on_return_raises=True)
    return channel, await channel.get_exchange(env.topology.exchange, ensure=False)
