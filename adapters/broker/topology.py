"""The hub's RabbitMQ topology as plain data: names, queue arguments and bindings.

Per consuming service there is one durable quorum queue bound to the event types it handles,
a chain of retry queues (one per back-off delay, with a per-queue TTL) that dead-letter back
into it, and a dead-letter queue. Messages that crash a consumer repeatedly reach the
dead-letter queue through ``x-delivery-limit`` with at-least-once dead-lettering, so nothing is
dropped even when no consumer code runs to move it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_NAMESPACE = "cmehub"
DEFAULT_RETRY_DELAYS_MS = (1_000, 5_000, 30_000, 120_000)
DEFAULT_DELIVERY_LIMIT = 10
# Dead letters are browsed by get-and-requeue, which counts as a delivery; RabbitMQ 4 gives
# quorum queues a default limit of 20, so the dead-letter queue sets a limit it will never reach.
DEAD_LETTER_DELIVERY_LIMIT = 1_000_000
DEFAULT_EVENT_LOG_MAX_AGE = "90D"


@dataclass(frozen=True)
class Binding:
    queue: str
    routing_key: str


@dataclass(frozen=True)
class QueueSpec:
    name: str
    arguments: Mapping[str, Any]


def binding_key(message_type: str) -> str:
    """Every version of a message type: ``intake.roll-off-notified.*``."""
    return f"{message_type}.*"


@dataclass(frozen=True)
class ServiceQueues:
    """The queues of one consuming service."""

    namespace: str
    service: str
    message_types: tuple[str, ...]
    retry_delays_ms: tuple[int, ...] = DEFAULT_RETRY_DELAYS_MS
    delivery_limit: int = DEFAULT_DELIVERY_LIMIT

    @property
    def main(self) -> str:
        return f"{self.namespace}.{self.service}"

    @property
    def dead_letter(self) -> str:
        return f"{self.main}.dlq"

    def retry(self, delay_ms: int) -> str:
        return f"{self.main}.retry.{delay_ms}ms"

    def retry_queue_for_attempt(self, attempt: int) -> str | None:
        """The retry queue for the n-th retry (1-based), or None when retries are exhausted."""
        if attempt > len(self.retry_delays_ms):
            return None
        return self.retry(self.retry_delays_ms[attempt - 1])

    def queues(self) -> list[QueueSpec]:
        main = QueueSpec(
            self.main,
            {
                **_quorum_dead_lettering_to(self.dead_letter),
                "x-delivery-limit": self.delivery_limit,
            },
        )
        retries = [
            QueueSpec(
                self.retry(delay),
                {
                    **_quorum_dead_lettering_to(self.main),
                    "x-message-ttl": delay,
                },
            )
            for delay in self.retry_delays_ms
        ]
        dead = QueueSpec(
            self.dead_letter,
            {
                "x-queue-type": "quorum",
                "x-delivery-limit": DEAD_LETTER_DELIVERY_LIMIT,
            },
        )
        return [main, *retries, dead]

    def bindings(self) -> list[Binding]:
        return [Binding(self.main, binding_key(t)) for t in sorted(self.message_types)]


def _quorum_dead_lettering_to(queue: str) -> dict[str, Any]:
    return {
        "x-queue-type": "quorum",
        "x-dead-letter-exchange": "",
        "x-dead-letter-routing-key": queue,
        "x-dead-letter-strategy": "at-least-once",
        "x-overflow": "reject-publish",
    }


@dataclass(frozen=True)
class EventLog:
    """An append-only log of every catalogued event: a RabbitMQ stream with time-based
    retention, bound type by type (not ``#``), so that an event no service consumes yet is
    still routable and kept for audit, while a routing key outside the catalogue is refused."""

    namespace: str
    message_types: tuple[str, ...]
    max_age: str = DEFAULT_EVENT_LOG_MAX_AGE

    @property
    def name(self) -> str:
        return f"{self.namespace}.event-log"

    def queue(self) -> QueueSpec:
        return QueueSpec(
            self.name,
            {
                "x-queue-type": "stream",
                "x-max-age": self.max_age,
                "x-stream-max-segment-size-bytes": 50_000_000,
            },
        )

    def bindings(self) -> list[Binding]:
        return [Binding(self.name, binding_key(t)) for t in sorted(self.message_types)]


@dataclass(frozen=True)
class Topology:
    namespace: str = DEFAULT_NAMESPACE
    services: tuple[ServiceQueues, ...] = field(default_factory=tuple)
    event_log: EventLog | None = None

    @property
    def exchange(self) -> str:
        return f"{self.namespace}.events"

    def service(self, name: str) -> ServiceQueues:
        for service in self.services:
            if service.service == name:
                return service
        raise KeyError(f"no service {name!r} in the topology (known: {self.service_names()})")

    def service_names(self) -> list[str]:
        return [s.service for s in self.services]

    def queues(self) -> list[QueueSpec]:
        queues = [queue for service in self.services for queue in service.queues()]
        return queues + ([self.event_log.queue()] if self.event_log else [])

    def bindings(self) -> list[Binding]:
        bindings = [binding for service in self.services for binding in service.bindings()]
        return bindings + (self.event_log.bindings() if self.event_log else [])


def build_topology(
    subscriptions: Mapping[str, Iterable[str]],
    *,
    namespace: str = DEFAULT_NAMESPACE,
    retry_delays_ms: Iterable[int] = DEFAULT_RETRY_DELAYS_MS,
    delivery_limit: int = DEFAULT_DELIVERY_LIMIT,
    logged_types: Iterable[str] = (),
    event_log_max_age: str = DEFAULT_EVENT_LOG_MAX_AGE,
) -> Topology:
    """A topology from ``{service: message types it consumes}``."""
    delays = tuple(retry_delays_ms)
    logged = tuple(sorted(set(logged_types)))
    return Topology(
        namespace,
        tuple(
            ServiceQueues(namespace, service, tuple(types), delays, delivery_limit)
            for service, types in sorted(subscriptions.items())
        ),
        EventLog(namespace, logged, event_log_max_age) if logged else None,
    )
