"""Reading and replaying a service's dead-letter queue.

Dead letters are browsed by taking them without ack and closing the channel, which returns
them to the queue untouched. A replay publishes a fresh copy (with confirms) back into the
queue the message died in, keeping its original routing key in a header, and only then acks
the dead letter: other services that already handled the event are not disturbed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiormq
from aio_pika.abc import AbstractIncomingMessage, AbstractRobustConnection

from adapters.broker import delivery as h
from adapters.broker.publisher import OutgoingMessage, Publisher
from adapters.broker.topology import ServiceQueues

BROWSE_LIMIT = 10_000
_DROPPED_ON_REPLAY = {
    h.ATTEMPT,
    h.LAST_ERROR,
    h.DEAD_REASON,
    h.DEAD_AT,
    h.DEAD_QUEUE,
    "x-death",
    "x-first-death-exchange",
    "x-first-death-queue",
    "x-first-death-reason",
    "x-last-death-exchange",
    "x-last-death-queue",
    "x-last-death-reason",
    "x-delivery-count",
}


@dataclass(frozen=True)
class DeadLetter:
    id: str
    service: str
    reason: str
    original_routing_key: str
    dead_lettered_at: str | None
    message_type: str | None
    correlation_id: str | None
    body: bytes
    headers: dict[str, Any] = field(repr=False)


def read_dead_letter(service: str, message: AbstractIncomingMessage) -> DeadLetter:
    headers = dict(message.headers or {})
    return DeadLetter(
        id=message.message_id or _fingerprint(message.body),
        service=service,
        reason=_reason(headers),
        original_routing_key=_original_routing_key(headers, message.routing_key or ""),
        dead_lettered_at=_text(headers.get(h.DEAD_AT)) or _broker_death_time(headers),
        message_type=message.type,
        correlation_id=message.correlation_id,
        body=message.body,
        headers=headers,
    )


async def browse(
    connection: AbstractRobustConnection, queues: ServiceQueues, *, limit: int = BROWSE_LIMIT
) -> list[DeadLetter]:
    """Every dead letter of a service, left in place."""
    letters: list[DeadLetter] = []

    async def keep(letter: DeadLetter, _message: AbstractIncomingMessage) -> None:
        letters.append(letter)

    await _walk(connection, queues, keep, limit)
    return letters


async def replay(
    connection: AbstractRobustConnection,
    publisher: Publisher,
    queues: ServiceQueues,
    wanted: Callable[[DeadLetter], bool],
    *,
    limit: int = BROWSE_LIMIT,
) -> list[DeadLetter]:
    """Send the dead letters chosen by ``wanted`` back to the service queue; return them."""
    replayed: list[DeadLetter] = []

    async def send_back(letter: DeadLetter, message: AbstractIncomingMessage) -> None:
        if not wanted(letter):
            return
        await publisher.send_to_queue(_replay_copy(letter, queues.main))
        await message.ack()
        replayed.append(letter)

    await _walk(connection, queues, send_back, limit)
    return replayed


async def _walk(
    connection: AbstractRobustConnection,
    queues: ServiceQueues,
    visit: Callable[[DeadLetter, AbstractIncomingMessage], Any],
    limit: int,
) -> None:
    channel = await connection.channel()
    try:
        try:
            queue = await channel.declare_queue(queues.dead_letter, passive=True, robust=False)
        except aiormq.exceptions.ChannelNotFoundEntity:
            raise LookupError(
                f"there is no dead-letter queue {queues.dead_letter!r} on this broker: has the "
                f"hub run with namespace {queues.namespace!r} here?"
            ) from None
        for _ in range(limit):
            message = await queue.get(no_ack=False, fail=False)
            if message is None:
                break
            await visit(read_dead_letter(queues.service, message), message)
    finally:
        await channel.close()


def _replay_copy(letter: DeadLetter, queue: str) -> OutgoingMessage:
    headers = {k: v for k, v in letter.headers.items() if k not in _DROPPED_ON_REPLAY}
    headers[h.ORIGINAL_ROUTING_KEY] = letter.original_routing_key
    headers[h.REPLAYED_AT] = datetime.now(UTC).isoformat()
    headers[h.REPLAY_COUNT] = int(headers.get(h.REPLAY_COUNT, 0)) + 1
    return OutgoingMessage(
        routing_key=queue,
        body=letter.body,
        message_id=letter.id,
        type=letter.message_type or "",
        correlation_id=letter.correlation_id,
        headers=headers,
    )


def _reason(headers: dict[str, Any]) -> str:
    if h.DEAD_REASON in headers:
        return _text(headers[h.DEAD_REASON])
    death = _latest_death(headers)
    if death:
        return (
            f"broker dead-lettered it ({_text(death.get('reason'))}) "
            f"from {_text(death.get('queue'))}"
        )
    return "unknown (no dead-letter headers)"


def _original_routing_key(headers: dict[str, Any], fallback: str) -> str:
    if h.ORIGINAL_ROUTING_KEY in headers:
        return _text(headers[h.ORIGINAL_ROUTING_KEY])
    death = _latest_death(headers)
    keys = death.get("routing-keys") if death else None
    return _text(keys[0]) if keys else fallback


def _broker_death_time(headers: dict[str, Any]) -> str | None:
    death = _latest_death(headers)
    when = death.get("time") if death else None
    return when.isoformat() if isinstance(when, datetime) else None


def _latest_death(headers: dict[str, Any]) -> dict[str, Any]:
    deaths = headers.get("x-death")
    if isinstance(deaths, list) and deaths and isinstance(deaths[0], dict):
        return deaths[0]
    return {}


def _fingerprint(body: bytes) -> str:
    return "sha1-" + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:16]


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.decode() if isinstance(value, bytes) else str(value)
