"""A hub with intake and eligibility on the real broker and PostgreSQL, and a client for it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from cmehub.runtime import Hub
from services.catalogue import ALL_SERVICES
from tests.support.api import client_for
from tests.support.hub import HubEnv, Probe


@pytest.fixture
async def hub(pg_hub_env: HubEnv) -> Hub:
    return await pg_hub_env.start(ALL_SERVICES, ["intake", "eligibility"])


@pytest.fixture
async def probe(hub: Hub) -> Probe:
    return await Probe(hub.connection, hub.topology.exchange).start(["intake.#", "eligibility.#"])


@pytest.fixture
async def client(hub: Hub) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(hub) as client:
        yield client
