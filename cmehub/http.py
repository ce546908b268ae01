"""The HTTP edge of a hub process: health, readiness, metrics and each service's routes.

The hub is started and stopped by the application's lifespan, so uvicorn's own signal
handling drives a graceful shutdown (in-flight messages finish, outboxes flush).
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import structlog
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from cmehub.errors import RuleViolations
from cmehub.handling import ServiceDefinition
from cmehub.limits import BodySizeLimit
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
    app.add_middleware(BodySizeLimit, default=DEFAULT_BODY_LIMIT, limits=BODY_LIMITS)
    app.add_exception_handler(RequestValidationError, _field_errors)
    app.add_exception_handler(RuleViolations, _rule_violations)
    _add_operational_routes(app, hub)
    for definition in definitions:
        if definition.router is not None:
            app.include_router(definition.router, prefix=f"/{definition.name}")
    return app


DEFAULT_BODY_LIMIT = 1024 * 1024
BODY_LIMITS = [
    ("/intake/concerns", 32 * 1024),
    ("/intake/report", 64 * 1024),  # the form enforces its own 32 KB limit, with a page
    ("/intake/schools/", 10 * 1024 * 1024),
]
_FIELD_RULE = re.compile(r"^([A-Za-z_][\w.\[\]]*): (.+)$", re.DOTALL)


async def _field_errors(_request: Request, error: Exception) -> JSONResponse:
    """422 with ``{"errors": [{"field", "rule"}]}``; never echoes the (personal) input."""
    assert isinstance(error, RequestValidationError)
    return JSONResponse({"errors": field_errors(error.errors())}, status_code=422)


async def _rule_violations(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RuleViolations)
    return JSONResponse(
        {"errors": [{"field": v.field, "rule": v.rule} for v in error.violations]},
        status_code=error.status_code,
    )


def field_errors(errors: Sequence[Any]) -> list[dict[str, str]]:
    described = []
    for problem in errors:
        location = [str(part) for part in problem["loc"] if part != "body"]
        field = ".".join(location) or "body"
        rule = str(problem["msg"]).removeprefix("Value error, ")
        if match := _FIELD_RULE.match(rule):
            field = ".".join(filter(None, [field if field != "body" else "", match[1]]))
            rule = match[2]
        described.append({"field": field, "rule": rule})
    return described


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
