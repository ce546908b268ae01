"""Turns a broker delivery into a handled message: parse, inbox, handler, commit, one log line."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping

import structlog

from adapters.broker.delivery import Delivery, RejectMessage
from adapters.store.unit_of_work import Store
from cmehub.handling import Handler, PermanentError
from cmehub.logging import log_context
from cmehub.metrics import HANDLING_SECONDS, MESSAGES
from schemas.registry import MessageParseError, Registry

log = structlog.get_logger(__name__)


class MessageProcessor:
    def __init__(
        self, service: str, registry: Registry, handlers: Mapping[str, Handler], store: Store
    ) -> None:
        self._service = service
        self._registry = registry
        self._handlers = handlers
        self._store = store

    async def __call__(self, delivery: Delivery) -> None:
        with log_context(
            service=self._service,
            message_id=delivery.message_id,
            routing_key=delivery.routing_key,
            attempt=delivery.attempt,
        ):
            started = time.perf_counter()
            outcome, error = "failed", None
            try:
                outcome = await self._process(delivery)
            except RejectMessage as rejection:
                outcome, error = "rejected", rejection.reason
                raise
            except asyncio.CancelledError:
                outcome = "cancelled"  # rolled back; the broker delivers it again
                raise
            except Exception as failure:
                error = f"{type(failure).__name__}: {failure}"
                raise
            finally:
                elapsed = time.perf_counter() - started
                self._record(delivery, outcome, elapsed)
                log.info(
                    "message.processed",
                    outcome=outcome,
                    error=error,
                    duration_ms=round(elapsed * 1000, 2),
                )

    def _record(self, delivery: Delivery, outcome: str, elapsed: float) -> None:
        message_type = delivery.routing_key.rpartition(".")[0] or "unknown"
        MESSAGES.labels(self._service, message_type, outcome).inc()
        HANDLING_SECONDS.labels(self._service).observe(elapsed)

    async def _process(self, delivery: Delivery) -> str:
        try:
            envelope = self._registry.parse(delivery.body)
        except MessageParseError as error:
            raise RejectMessage(f"unparseable: {error.reason}") from error
        handler = self._handlers.get(envelope.type)
        if handler is None:
            raise RejectMessage(f"{self._service} has no handler for {envelope.type}")
        structlog.contextvars.bind_contextvars(
            message_type=envelope.type, correlation_id=str(envelope.correlation_id)
        )
        try:
            async with self._store.transaction() as tx:
                if not await tx.claim(self._service, envelope.message_id, envelope.type):
                    return "duplicate"
                await handler(envelope, tx)
        except PermanentError as error:
            raise RejectMessage(f"rejected by {self._service}: {error}") from error
        return "handled"
