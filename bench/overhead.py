"""What the broker adapter itself costs per message, with the broker and the socket faked out.

Run::

    .venv/bin/python -m bench.overhead [--messages N] [--repeats R]

``bench.broker`` measures the whole client against a real broker; on a shared 2-core machine its
run-to-run spread is tens of percent, far more than the few microseconds the adapter adds. This
benchmark isolates them: it drives the real ``Publisher.publish`` and the real ``Consumer``
delivery path (``to_delivery``, the processor call, in-flight accounting, ack) against in-memory
fakes of the connection, channel, exchange, queue and incoming message, and drives the plain
aio-pika equivalents (``exchange.publish(aio_pika.Message(...))``; a callback that acks) against
the same fakes. Both sides build a real ``aio_pika.Message``; nothing is sent. The difference
between the two is the adapter's own CPU cost per message. Ours and plain take turns; the best
(minimum) of the repeats is reported, as usual for CPU micro-benchmarks, with the medians and the
median of the paired differences beside it. Run it on a quiet machine: it is all CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import uuid
from collections.abc import Awaitable, Callable, Sequence
from time import perf_counter
from typing import Any, cast

from aio_pika.abc import AbstractIncomingMessage, AbstractRobustConnection

from adapters.broker.consumer import Consumer
from adapters.broker.delivery import Delivery
from adapters.broker.publisher import Publisher
from adapters.broker.topology import ServiceQueues
from bench.harness import PUBLISH_TIMEOUT_S, our_message, plain_message, routing_key

MESSAGE_TYPE = "bench.overhead"
Loop = Callable[[int], Awaitable[None]]


class FakeExchange:
    async def publish(self, message: Any, routing_key: str, **_options: Any) -> None:
        return None


class FakeQueue:
    def __init__(self) -> None:
        self.callback: Callable[[AbstractIncomingMessage], Awaitable[Any]] | None = None

    async def consume(self, callback: Callable[[AbstractIncomingMessage], Awaitable[Any]]) -> str:
        self.callback = callback
        return "fake-consumer-tag"

    async def cancel(self, _tag: str) -> None:
        return None


class FakeChannel:
    is_closed = False

    def __init__(self) -> None:
        self.exchange = FakeExchange()
        self.queue = FakeQueue()

    async def get_exchange(self, _name: str, **_options: Any) -> FakeExchange:
        return self.exchange

    async def set_qos(self, **_options: Any) -> None:
        return None

    async def declare_queue(self, _name: str, **_options: Any) -> FakeQueue:
        return self.queue

    async def close(self) -> None:
        return None


class FakeConnection:
    def __init__(self) -> None:
        self.channels: list[FakeChannel] = []

    async def channel(self, **_options: Any) -> FakeChannel:
        self.channels.append(FakeChannel())
        return self.channels[-1]


class FakeIncoming:
    """What Consumer reads from an aio-pika IncomingMessage, and an ack that does nothing."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.headers: dict[str, Any] = {}
        self.routing_key = routing_key(MESSAGE_TYPE)
        self.message_id = str(uuid.uuid4())
        self.redelivered = False

    async def ack(self) -> None:
        return None


# --- the four loops ---------------------------------------------------------------------------


async def publish_loops(body: bytes) -> tuple[Loop, Loop]:
    connection = FakeConnection()
    publisher = Publisher(cast(AbstractRobustConnection, connection), "fake")
    await publisher.start()
    exchange = FakeExchange()
    key, message_id = routing_key(MESSAGE_TYPE), str(uuid.uuid4())

    async def ours(count: int) -> None:
        for _ in range(count):
            await publisher.publish(our_message(body, message_id, MESSAGE_TYPE, key))

    async def plain(count: int) -> None:
        for _ in range(count):
            message = plain_message(body, message_id, MESSAGE_TYPE)
            await exchange.publish(
                message, routing_key=key, mandatory=True, timeout=PUBLISH_TIMEOUT_S
            )

    return ours, plain


async def consume_loops(body: bytes) -> tuple[Loop, Loop]:
    connection = FakeConnection()
    handled = 0

    async def processor(_delivery: Delivery) -> None:
        nonlocal handled
        handled += 1

    queues = ServiceQueues("bench", "overhead", (MESSAGE_TYPE,))
    publisher = Publisher(cast(AbstractRobustConnection, connection), "fake")
    consumer = Consumer(cast(AbstractRobustConnection, connection), queues, processor, publisher)
    await consumer.start()
    on_message = connection.channels[-1].queue.callback
    if on_message is None:
        raise RuntimeError("the Consumer did not subscribe to the fake queue")
    message = cast(AbstractIncomingMessage, FakeIncoming(body))

    async def ours(count: int) -> None:
        for _ in range(count):
            await on_message(message)

    async def plain_callback(incoming: AbstractIncomingMessage) -> None:
        nonlocal handled
        handled += 1
        await incoming.ack()

    async def plain(count: int) -> None:
        for _ in range(count):
            await plain_callback(message)

    return ours, plain


# --- measuring --------------------------------------------------------------------------------


async def timed_us(loop: Loop, count: int) -> float:
    started = perf_counter()
    await loop(count)
    return (perf_counter() - started) / count * 1e6


async def compare(ours: Loop, plain: Loop, count: int, repeats: int) -> dict[str, float]:
    """Ours and plain take turns, so both meet the same background load; per message, in us."""
    await ours(min(count, 1_000))  # warm-up
    await plain(min(count, 1_000))
    ours_us, plain_us = [], []
    for _ in range(repeats):
        ours_us.append(await timed_us(ours, count))
        plain_us.append(await timed_us(plain, count))
    return {
        "ours_best": min(ours_us),
        "plain_best": min(plain_us),
        "ours_median": statistics.median(ours_us),
        "plain_median": statistics.median(plain_us),
        "added_median": statistics.median(o - p for o, p in zip(ours_us, plain_us, strict=True)),
    }


async def run(count: int, repeats: int, size: int) -> None:
    body = b"x" * size
    print(
        f"{'path':<9} {'ours best':>10} {'plain best':>11} {'added':>7}"
        f" {'ours med':>9} {'plain med':>10} {'added med':>10}   (us per message)"
    )
    for name, (ours, plain) in (
        ("publish", await publish_loops(body)),
        ("consume", await consume_loops(body)),
    ):
        r = await compare(ours, plain, count, repeats)
        print(
            f"{name:<9} {r['ours_best']:>10.2f} {r['plain_best']:>11.2f}"
            f" {r['ours_best'] - r['plain_best']:>7.2f} {r['ours_median']:>9.2f}"
            f" {r['plain_median']:>10.2f} {r['added_median']:>10.2f}"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.overhead", description=__doc__)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--size", type=int, default=1024)
    args = parser.parse_args(argv)
    asyncio.run(run(args.messages, args.repeats, args.size))


if __name__ == "__main__":
    main()
