"""Publishing with publisher confirms, ``mandatory``, a timeout and a bounded in-flight window."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aio_pika
import aiormq
import structlog
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractRobustConnection

log = structlog.get_logger(__name__)

DEFAULT_WINDOW = 256
DEFAULT_TIMEOUT_S = 10.0


class PublishFailed(Exception):
    """The broker did not take responsibility for the message; it must be sent again later."""


class Unroutable(PublishFailed):
    """No queue is bound for the routing key: a wiring error, never silently dropped."""


@dataclass(frozen=True)
class OutgoingMessage:
    routing_key: str
    body: bytes
    message_id: str
    type: str
    correlation_id: str | None = None
    timestamp: datetime | None = None
    headers: Mapping[str, Any] | None = None

    def to_amqp(self) -> aio_pika.Message:
        return aio_pika.Message(
            self.body,
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=self.message_id,
            type=self.type,
            correlation_id=self.correlation_id,
            timestamp=self.timestamp,
            headers=dict(self.headers or {}),
        )


class Publisher:
    """Publishes to the events exchange (or straight to a queue) and waits for the confirm.

    At most ``window`` publishes are unconfirmed at once; callers beyond that wait their turn.
    Every failure (nack, unroutable, timeout, lost connection) raises PublishFailed.
    """

    def __init__(
        self,
        connection: AbstractRobustConnection,
        exchange: str,
        *,
        window: int = DEFAULT_WINDOW,
        timeout: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self._connection = connection
        self._exchange_name = exchange
        self._window = asyncio.Semaphore(window)
        self._timeout = timeout
        self._channel: AbstractChannel | None = None
        self._exchange: AbstractExchange | None = None

    async def start(self) -> None:
        self._channel = await self._connection.channel(
            publisher_confirms=True, on_return_raises=True
        )
        self._exchange = await self._channel.get_exchange(self._exchange_name, ensure=False)

    async def close(self) -> None:
        if self._channel is not None:
            await close_channel(self._connection, self._channel, within=self._timeout)

    async def publish(self, message: OutgoingMessage) -> None:
        """Publish an event to the events exchange by its routing key."""
        await self._send(self._events_exchange(), message)

    async def send_to_queue(self, message: OutgoingMessage) -> None:
        """Publish straight into the queue named by ``message.routing_key`` (default exchange)."""
        await self._send(self._require_channel().default_exchange, message)

    async def _send(self, exchange: AbstractExchange, message: OutgoingMessage) -> None:
        async with self._window:
            try:
                # the deadline also covers waiting for a robust channel to be restored,
                # which aio-pika does outside its own publish timeout
                async with asyncio.timeout(self._timeout):
                    await exchange.publish(
                        message.to_amqp(),
                        routing_key=message.routing_key,
                        mandatory=True,
                        timeout=self._timeout,
                    )
            except aiormq.exceptions.PublishError as error:
                raise _describe_publish_error(message, error) from error
            except aiormq.exceptions.DeliveryError as error:
                raise PublishFailed(f"broker refused {message.routing_key}: {error}") from error
            except TimeoutError as error:
                raise PublishFailed(
                    f"no confirm for {message.routing_key} within {self._timeout}s"
                ) from error
            except (aiormq.exceptions.AMQPError, ConnectionError, RuntimeError) as error:
                raise PublishFailed(f"cannot publish {message.routing_key}: {error!r}") from error

    def _events_exchange(self) -> AbstractExchange:
        if self._exchange is None:
            raise PublishFailed("publisher not started")
        return self._exchange

    def _require_channel(self) -> AbstractChannel:
        if self._channel is None:
            raise PublishFailed("publisher not started")
        return self._channel


async def close_channel(
    connection: AbstractRobustConnection, channel: AbstractChannel, *, within: float
) -> None:
    """Close a channel without waiting forever: on a closed connection there is nothing to
    close, and a robust channel would otherwise wait for a reconnect that never comes."""
    if connection.is_closed or channel.is_closed:
        return
    try:
        async with asyncio.timeout(within):
            await channel.close()
    except (TimeoutError, aiormq.exceptions.AMQPError, ConnectionError, RuntimeError) as error:
        log.warning("channel.close_failed", error=repr(error))


def _describe_publish_error(
    message: OutgoingMessage, error: aiormq.exceptions.PublishError
) -> PublishFailed:
    reply = getattr(error.message, "delivery", None)
    if isinstance(reply, aiormq.spec.Basic.Return) and reply.reply_text == "NO_ROUTE":
        return Unroutable(
            f"no queue is bound for routing key {message.routing_key!r} "
            f"on exchange {reply.exchange or '(default)'!r}"
        )
    return PublishFailed(f"broker returned {message.routing_key}: {error}")
