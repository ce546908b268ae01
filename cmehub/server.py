"""Serving a hub process over HTTP with uvicorn."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import uvicorn

from cmehub.handling import ServiceDefinition
from cmehub.http import create_app
from cmehub.runtime import Hub
from cmehub.settings import HubSettings


class _Server(uvicorn.Server):
    """uvicorn re-raises SIGTERM/SIGINT after its graceful shutdown, which makes the process
    exit as if killed; the hub has already stopped cleanly by then, so it exits 0 instead."""

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        handled = (signal.SIGINT, signal.SIGTERM)
        original = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)


def serve(
    settings: HubSettings, all_services: Sequence[ServiceDefinition], run: Sequence[str]
) -> None:
    hub = Hub(settings, all_services, run)
    definitions = [d for d in all_services if d.name in run]
    config = uvicorn.Config(
        create_app(hub, definitions),
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        lifespan="on",
        timeout_graceful_shutdown=int(settings.shutdown_grace_s),
    )
    asyncio.run(_Server(config).serve())
