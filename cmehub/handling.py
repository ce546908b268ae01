"""What a service gives the hub and gets from it: the handler contract (no aio-pika, no FastAPI)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from schemas.envelope import Envelope

if TYPE_CHECKING:
    from fastapi import APIRouter

    from adapters.clock import Clock
    from adapters.store.timers import TimerHandler
    from adapters.store.unit_of_work import Store, Transaction
    from cmehub.settings import HubSettings

Handler = Callable[[Envelope[Any], "Transaction"], Awaitable[None]]
"""Handles one message inside the transaction that also marks it handled (inbox).

Returning commits; raising PermanentError dead-letters the message; raising anything else
rolls back and retries later with back-off."""


class PermanentError(Exception):
    """The message can never be handled as it stands (retrying will not help)."""


@dataclass(frozen=True)
class ServiceContext:
    name: str
    settings: HubSettings
    store: Store
    clock: Clock


class Lifecycle(Protocol):
    """Something a service runs beside its consumer (e.g. an SMTP receiver)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass(frozen=True)
class Wiring:
    """A started service's parts: message handlers, timer handlers, and ``api``: whatever its
    HTTP routes need at request time (they find it through ``request.app.state.hub``)."""

    handlers: Mapping[str, Handler] = field(default_factory=dict)
    timers: Mapping[str, TimerHandler] = field(default_factory=dict)
    api: Any = None
    lifecycle: Sequence[Lifecycle] = ()


@dataclass(frozen=True)
class ServiceDefinition:
    """A service as the runtime sees it. ``subscriptions`` is static so that every process can
    declare the whole hub topology before any service is built."""

    name: str
    subscriptions: tuple[str, ...]
    build: Callable[[ServiceContext], Wiring]
    migrations: Path | None = None
    router: APIRouter | None = None
