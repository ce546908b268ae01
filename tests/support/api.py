"""Calling a running hub's HTTP edge in-process (the real app, the real hub behind it)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from cmehub.http import create_app
from cmehub.runtime import Hub
from services.catalogue import ALL_SERVICES


@asynccontextmanager
async def client_for(hub: Hub) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the hub's app; the hub is already started (no lifespan here)."""
    app = create_app(hub, [d for d in ALL_SERVICES if d.name in hub.services])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
        yield client


async def school_key(hub: Hub, urn: str, name: str = "Test School") -> dict[str, str]:
    principal = f"school:{urn}"
    await hub.identity.add_principal(principal, name, [principal])
    return {"Authorization": f"Bearer {await hub.identity.issue_key(principal)}"}


async def officer_key(hub: Hub, user: str = "officer1") -> dict[str, str]:
    principal = f"officer:{user}"
    await hub.identity.add_principal(principal, "Test Officer", ["officer"])
    return {"Authorization": f"Bearer {await hub.identity.issue_key(principal)}"}
