"""The HTTP edge of a hub process: health, readiness, metrics and each service's routes.

The hub is started and stopped by the application's lifespan, so uvicorn's own signal
handling drives a graceful shutdown (in-flight messages finish, outboxes flush).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import structlog
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from cmehub.handling import ServiceDefinition
from cmehub.logging import log_context
from cmehub.runtime import Hub

log = structlog.get_logger(__name__)


def create_app(hub: Hub, definitions: Sequence[ServiceDefinition]) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await hub.start()
        try:
            yield
        finally:
            await hub.stop()

    app = FastAPI(
        title="CME Hub",
        version="0.1.0",
        lifespan=lifespan,
        description="Children missing education integration hub.",
    )
    app.state.hub = hub
    app.middleware("http")(_one_log_line_per_request)
    _add_operational_routes(app, hub)
    for definition in definitions:
        if definition.router is not None:
            app.include_router(definition.router, prefix=f"/{definition.name}")
    return app


def _add_operational_routes(app: FastAPI, hub: Hub) -> None:
    @app.get("/healthz", tags=["operations"])
    async def healthz() -> dict[str, str]:
        """Liveness: the process is serving requests."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"])
    async def readyz() -> JSONResponse:
        """Readiness: broker connection, consumers and databases of this process."""
        checks = await hub.readiness()
        ready = all(checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": checks},
            status_code=200 if ready else 503,
        )

    @app.get("/metrics", tags=["operations"], include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


async def _one_log_line_per_request(
    request: Request, call_next: Callable[[Request], Awaitable[Any]]
) -> Any:
    request_id = request.headers.get("x-request-id") or str(uuid.uuid4())
    with log_context(request_id=request_id):
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            response.headers["x-request-id"] = request_id
            return response
        finally:
            log.info(
                "http.request",
                method=request.method,
                path=request.url.path,
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
