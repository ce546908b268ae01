"""Fixtures shared by every test layer: real RabbitMQ and PostgreSQL, throwaway namespaces."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.support.hub import HubEnv
from tests.support.services import postgres_url, rabbitmq_url


@pytest.fixture(scope="session")
def _containers() -> Iterator[ExitStack]:
    with ExitStack() as stack:
        yield stack


@pytest.fixture(scope="session")
def amqp_url(_containers: ExitStack) -> Iterator[str]:
    with rabbitmq_url(_containers) as url:
        yield url


@pytest.fixture(scope="session")
def pg_url(_containers: ExitStack) -> Iterator[str]:
    with postgres_url(_containers) as url:
        yield url


@pytest.fixture(params=["postgresql", "sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store-touching test runs on PostgreSQL and on the embedded SQLite default."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'data'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
async def hub_env(amqp_url: str, database_url: str) -> AsyncIterator[HubEnv]:
    env = HubEnv(amqp_url, database_url)
    try:
        yield env
    finally:
        await env.close()


@pytest.fixture
async def pg_hub_env(amqp_url: str, pg_url: str) -> AsyncIterator[HubEnv]:
    """A hub environment on PostgreSQL only (tests whose subject is not the store)."""
    env = HubEnv(amqp_url, pg_url)
    try:
        yield env
    finally:
        await env.close()


@pytest.fixture(autouse=True)
def _generous_public_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests share one loopback address; the rate-limit test sets its own, stricter rate."""
    monkeypatch.setenv("CMEHUB_INTAKE_PUBLIC_RATE", "100000/1")
