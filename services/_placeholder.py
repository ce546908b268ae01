"""Handlers for services whose behaviour is not built yet: they record receipt in the log."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import structlog

from adapters.store.unit_of_work import Transaction
from cmehub.handling import Handler, ServiceContext, Wiring
from schemas.envelope import Envelope

log = structlog.get_logger(__name__)


def logging_only(types: Iterable[str]) -> Mapping[str, Handler]:
    async def note(envelope: Envelope[Any], _tx: Transaction) -> None:
        log.info("message.noted", message_type=envelope.type)

    return dict.fromkeys(types, note)


def logging_only_wiring(subscriptions: Iterable[str]) -> Any:
    def build(_context: ServiceContext) -> Wiring:
        return Wiring(handlers=logging_only(subscriptions))

    return build
