"""Where the tests find RabbitMQ and PostgreSQL: environment first, then Docker, else fail.

Broker and database tests never skip: without a broker or database they fail and say what
to set, so a CI run that silently tested nothing cannot happen.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import pytest

NO_SERVICE = (
    "{what} is needed for this test and none was found: set {variable} (e.g. {example}) "
    "or start Docker so testcontainers can run one. Broker and database tests never skip."
)


def docker_answers() -> bool:
    try:
        import docker  # noqa: PLC0415 - only with Docker

        docker.from_env().ping()
    except Exception:  # noqa: BLE001 - any failure means no usable Docker engine
        return False
    return True


@contextmanager
def rabbitmq_url(stack: ExitStack) -> Iterator[str]:
    if url := os.environ.get("AMQP_URL"):
        yield url
        return
    if not docker_answers():
        pytest.fail(
            NO_SERVICE.format(
                what="RabbitMQ", variable="AMQP_URL", example="amqp://guest:guest@127.0.0.1:5672/"
            )
        )
    from testcontainers.community.rabbitmq import RabbitMqContainer  # noqa: PLC0415 - only with Docker

    container = stack.enter_context(RabbitMqContainer("rabbitmq:4.1-management"))
    host, port = container.get_container_host_ip(), container.get_exposed_port(5672)
    yield f"amqp://guest:guest@{host}:{port}/"


@contextmanager
def postgres_url(stack: ExitStack) -> Iterator[str]:
    if url := os.environ.get("DATABASE_URL"):
        if not url.startswith("postgresql"):
            pytest.fail(f"DATABASE_URL must point at PostgreSQL for the test suite, not {url!r}")
        yield url
        return
    if not docker_answers():
        pytest.fail(
            NO_SERVICE.format(
                what="PostgreSQL",
                variable="DATABASE_URL",
                example="postgresql+asyncpg://postgres@127.0.0.1:5432/test",
            )
        )
    from testcontainers.community.postgres import PostgresContainer  # noqa: PLC0415 - only with Docker

    container = stack.enter_context(PostgresContainer("postgres:17", driver="asyncpg"))
    yield container.get_connection_url()
