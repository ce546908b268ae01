"""Consuming a service queue: parse -> process -> ack, with retry tiers and dead letters.

The ack is sent only after the processor returns (its database transaction has committed).
A failed message is moved, with publisher confirms, into the next retry queue (whose TTL
sends it back later) or into the dead-letter queue with the reason in its headers; only then
is the original acked, so a crash at any point leaves the message in the broker.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import aiormq
import structlog
from aio_pika.abc import (
    AbstractChannel,
    AbstractIncomingMessage,
    AbstractQueue,
    AbstractRobustConnection,
)

from adapters.broker import delivery as h
from adapters.broker.delivery import Delivery, Processor, RejectMessage
from adapters.broker.publisher import OutgoingMessage, Publisher, PublishFailed, close_channel
from adapters.broker.topology import ServiceQueues

log = structlog.get_logger(__name__)

DEFAULT_PREFETCH = 16
MAX_ERROR_HEADER = 500
CONTROL_TIMEOUT_S = 10.0  # cancelling a consumer or closing a channel never waits longer


class Consumer:
    """Runs one service's queue. ``prefetch`` bounds how many messages are handled at once."""

    def __init__(
        self,
        connection: AbstractRobustConnection,
        queues: ServiceQueues,
        processor: Processor,
        publisher: Publisher,
        *,
        prefetch: int = DEFAULT_PREFETCH,
    ) -> None:
        self._connection = connection
        self._queues = queues
        self._processor = processor
        self._publisher = publisher
        self._prefetch = prefetch
        self._channel: AbstractChannel | None = None
        self._queue: AbstractQueue | None = None
        self._consumer_tag: str | None = None
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def queue_name(self) -> str:
        return self._queues.main

    @property
    def consuming(self) -> bool:
        return (
            self._consumer_tag is not None
            and self._channel is not None
            and (not self._channel.is_closed)
        )

    async def start(self) -> None:
        self._channel = await self._connection.channel()
        await self._channel.set_qos(prefetch_count=self._prefetch)
        # declare_queue (not get_queue) so the robust channel restores the consumer on reconnect
        self._queue = await self._channel.declare_queue(self._queues.main, passive=True)
        self._consumer_tag = await self._queue.consume(self._on_message)

    async def stop(self, *, drain_timeout: float = 30.0) -> None:
        """Stop taking new messages, let in-flight ones finish, then close the channel."""
        if self._channel is None:
            return
        if self._queue is not None and self._consumer_tag is not None:
            await self._cancel(self._queue, self._consumer_tag)
        self._consumer_tag = None
        try:
            await asyncio.wait_for(self._idle.wait(), drain_timeout)
        except TimeoutError:
            log.warning("consumer.drain_timeout", queue=self.queue_name, in_flight=self._in_flight)
        await close_channel(self._connection, self._channel, within=CONTROL_TIMEOUT_S)

    async def _cancel(self, queue: AbstractQueue, consumer_tag: str) -> None:
        if self._connection.is_closed:
            return  # the broker already dropped the consumer with the connection
        try:
            async with asyncio.timeout(CONTROL_TIMEOUT_S):
                await queue.cancel(consumer_tag)
        except (TimeoutError, aiormq.exceptions.AMQPError, ConnectionError, RuntimeError) as error:
            log.warning("consumer.cancel_failed", queue=self.queue_name, error=repr(error))

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        self._in_flight += 1
        self._idle.clear()
        try:
            await self._handle(message)
        finally:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.set()

    async def _handle(self, message: AbstractIncomingMessage) -> None:
        delivery = to_delivery(message)
        try:
            await self._processor(delivery)
        except RejectMessage as rejection:
            await self._dead_letter(message, delivery, rejection.reason)
        except Exception as error:  # noqa: BLE001 - any other failure is retried, then dead-lettered
            await self._retry_or_dead_letter(message, delivery, error)
        else:
            await _settle(message, "ack")

    async def _retry_or_dead_letter(
        self, message: AbstractIncomingMessage, delivery: Delivery, error: Exception
    ) -> None:
        attempt = delivery.attempt + 1
        retry_queue = self._queues.retry_queue_for_attempt(attempt)
        description = _describe(error)
        if retry_queue is None:
            reason = f"failed {attempt} times; last error: {description}"
            await self._dead_letter(message, delivery, reason)
            return
        log.warning(
            "message.retry_scheduled",
            queue=self.queue_name,
            attempt=attempt,
            retry_queue=retry_queue,
            error=description,
        )
        headers = {**delivery.headers, h.ATTEMPT: attempt, h.LAST_ERROR: description}
        await self._move(message, delivery, retry_queue, headers)

    async def _dead_letter(
        self, message: AbstractIncomingMessage, delivery: Delivery, reason: str
    ) -> None:
        log.error(
            "message.dead_lettered",
            queue=self.queue_name,
            reason=reason,
            dead_letter_queue=self._queues.dead_letter,
        )
        headers = {
            **delivery.headers,
            h.DEAD_REASON: reason[:MAX_ERROR_HEADER],
            h.DEAD_AT: datetime.now(UTC).isoformat(),
            h.DEAD_QUEUE: self._queues.main,
        }
        await self._move(message, delivery, self._queues.dead_letter, headers)

    async def _move(
        self,
        message: AbstractIncomingMessage,
        delivery: Delivery,
        queue: str,
        headers: dict[str, Any],
    ) -> None:
        headers[h.ORIGINAL_ROUTING_KEY] = delivery.routing_key
        copy = OutgoingMessage(
            routing_key=queue,
            body=message.body,
            message_id=message.message_id or "",
            type=message.type or "",
            correlation_id=message.correlation_id,
            timestamp=message.timestamp,
            headers=headers,
        )
        try:
            await self._publisher.send_to_queue(copy)
        except PublishFailed as error:
            log.error("message.move_failed", queue=queue, error=str(error))
            await _settle(message, "requeue")
            return
        await _settle(message, "ack")


def to_delivery(message: AbstractIncomingMessage) -> Delivery:
    headers = dict(message.headers or {})
    original = headers.get(h.ORIGINAL_ROUTING_KEY)
    return Delivery(
        body=message.body,
        routing_key=_text(original) if original else (message.routing_key or ""),
        message_id=message.message_id,
        headers=headers,
        attempt=_as_int(headers.get(h.ATTEMPT)),
        redelivered=bool(message.redelivered),
    )


async def _settle(message: AbstractIncomingMessage, how: str) -> None:
    """Ack or requeue; after a reconnect the old channel is gone and the broker redelivers."""
    try:
        if how == "ack":
            await message.ack()
        else:
            await message.nack(requeue=True)
    except (aiormq.exceptions.AMQPError, ConnectionError, RuntimeError) as error:
        log.warning("message.settle_failed", how=how, error=repr(error))


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:MAX_ERROR_HEADER]


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _as_int(value: Any) -> int:
    if value is None:  # a first delivery has no attempt header: don't pay for an exception
        return 0
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
