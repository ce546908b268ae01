"""Running ``cmehub`` as a real process, as an operator would, and cleaning up after it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from adapters.auth.identity import IDENTITY
from adapters.broker.connection import connect, delete_topology
from adapters.store.database import drop_schema, locate
from cmehub.settings import HubSettings
from cmehub.topology import hub_topology
from services.catalogue import ALL_SERVICES


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class HubProcess:
    def __init__(self, env: dict[str, str], log_file: Path) -> None:
        self.env = env
        self.log_file = log_file
        self.port = int(env["CMEHUB_HTTP_PORT"])
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, *services: str) -> None:
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cmehub", "run", *services],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.wait_ready()

    def wait_ready(self, timeout: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"hub exited early:\n{self.log_file.read_text()[-4000:]}")
            try:
                response = httpx.get(f"{self.url}/readyz", timeout=2)
                if response.status_code == 200:
                    return dict(response.json())
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"hub not ready in {timeout}s:\n{self.log_file.read_text()[-4000:]}")

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM, as an orchestrator would; SIGKILL only if it does not stop in time."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError("hub did not stop within the grace period") from None

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "cmehub", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def log_lines(self) -> list[dict[str, Any]]:
        lines = []
        for line in self.log_file.read_text().splitlines():
            try:
                lines.append(json.loads(line))
            except ValueError:
                continue
        return lines


@contextmanager
def hub_process(
    amqp_url: str, database_url: str, tmp_path: Path, **extra_env: str
) -> Iterator[HubProcess]:
    namespace = f"t{os.urandom(6).hex()}"
    env = {
        **os.environ,
        "AMQP_URL": amqp_url,
        "DATABASE_URL": database_url,
        "CMEHUB_NAMESPACE": namespace,
        "CMEHUB_HTTP_PORT": str(free_port()),
        "CMEHUB_LOG_FORMAT": "json",
        "CMEHUB_ENVIRONMENT": "test",
        "CMEHUB_RETRY_DELAYS_MS": "[100,200]",
        **extra_env,
    }
    hub = HubProcess(env, tmp_path / "hub.log")
    try:
        yield hub
    finally:
        hub.stop()
        _remove_namespace(env)


def _remove_namespace(env: dict[str, str]) -> None:
    """Delete exactly what the process declared: its topology is built from the same settings
    (retry tiers included), read from the same environment."""
    import asyncio  # noqa: PLC0415 - teardown runs outside any event loop

    settings = settings_from(env)

    async def remove() -> None:
        connection = await connect(settings.amqp_url, name="test teardown")
        try:
            await delete_topology(connection, hub_topology(settings, ALL_SERVICES))
        finally:
            await connection.close()
        for name in [*(service.name for service in ALL_SERVICES), IDENTITY]:
            await drop_schema(locate(settings.database_url, name, settings.namespace))

    asyncio.run(remove())


def settings_from(env: dict[str, str]) -> HubSettings:
    """The hub settings a process started with ``env`` sees."""
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        return HubSettings(_env_file=None)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def service_names(services: Sequence[Any] = ALL_SERVICES) -> list[str]:
    return [s.name for s in services]
