"""FastAPI dependencies every service's routes share."""

from __future__ import annotations

from typing import Any

from fastapi import Request


def service_api(request: Request, service: str) -> Any:
    """What a running service put in its ``Wiring.api``, found through the app's hub."""
    return request.app.state.hub.services[service].wiring.api
