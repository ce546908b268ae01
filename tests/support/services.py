"""Where the tests find RabbitMQ and PostgreSQL: environment first, then Docker, else fail.

Broker and database tests never skip: without a broker or database they fail and say what
to set, so a CI run that silently tested nothing cannot happen.
"""

from __future__ import annotations

import asyncio
import os
import shlex
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from urllib.parse import urlsplit

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


class BrokerControl:
    """Stops and starts the RabbitMQ application under test (``rabbitmqctl stop_app/start_app``).

    A broker on this machine is driven with the local ``rabbitmqctl``; a testcontainers broker
    would need ``docker exec``, which the reliability tests set up through CMEHUB_TEST_RABBITMQCTL
    (e.g. ``docker exec <container> rabbitmqctl``).
    """

    def __init__(self, amqp_url: str) -> None:
        command = os.environ.get("CMEHUB_TEST_RABBITMQCTL")
        host = urlsplit(amqp_url).hostname
        if command is None and host not in {"127.0.0.1", "localhost", "::1"}:
            pytest.fail(f"cannot restart the broker at {host}: set CMEHUB_TEST_RABBITMQCTL")
        self._command = shlex.split(command or "rabbitmqctl")

    async def stop_app(self) -> None:
        await self._run("stop_app")

    async def start_app(self) -> None:
        await self._run("start_app")
        await self._run("await_startup")

    async def _run(self, action: str) -> None:
        process = await asyncio.create_subprocess_exec(
            *self._command,
            "-q",
            action,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"rabbitmqctl {action} failed: {output.decode()}")
