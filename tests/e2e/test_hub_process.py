"""The hub as an operator runs it: ``cmehub run`` as a process, ``cmehub dlq`` against it."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.broker.connection import connect
from tests.support.hub import publish_raw
from tests.support.process import HubProcess, hub_process, service_names


def whole_hub(amqp_url: str, folder: Path) -> Iterator[HubProcess]:
    """The whole hub on the embedded default: SQLite files in a data folder."""
    with hub_process(amqp_url, f"sqlite+aiosqlite:///{folder / 'data'}", folder) as process:
        process.start()
        yield process


@pytest.fixture(scope="module")
def hub(amqp_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    """One hub process shared by the module's tests (each uses its own message ids)."""
    yield from whole_hub(amqp_url, tmp_path_factory.mktemp("hub"))


@pytest.fixture
def own_hub(amqp_url: str, tmp_path: Path) -> Iterator[HubProcess]:
    yield from whole_hub(amqp_url, tmp_path)


def publish(hub: HubProcess, routing_key: str, body: bytes, message_id: str) -> None:
    async def send() -> None:
        connection = await connect(hub.env["AMQP_URL"], name="test publisher")
        try:
            exchange = f"{hub.env['CMEHUB_NAMESPACE']}.events"
            await publish_raw(connection, exchange, routing_key, body, message_id=message_id)
        finally:
            await connection.close()

    asyncio.run(send())


def wait_for_dead_letter(hub: HubProcess, letter_id: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        listing = hub.cli("dlq", "list").stdout
        if letter_id in listing:
            return listing
        time.sleep(0.3)
    raise AssertionError(f"{letter_id} never reached a dead-letter queue")


def test_hub_runs_every_service_and_reports_ready(hub: HubProcess) -> None:
    checks = hub.wait_ready()["checks"]
    assert checks["broker"] is True
    for name in service_names():
        assert checks[f"{name}.database"] is True
        assert checks[f"{name}.tasks"] is True
    assert all(checks.values())


def test_poison_message_is_listed_shown_and_replayed_with_the_cli(hub: HubProcess) -> None:
    publish(hub, "intake.roll-off-notified.v1", b'{"type": "half a message', "poison-42")

    listing = wait_for_dead_letter(hub, "poison-42")
    assert "eligibility" in listing
    assert "unparseable: body is not JSON" in listing

    shown = hub.cli("dlq", "show", "poison-42")
    assert shown.returncode == 0, shown.stderr
    letter = json.loads(shown.stdout)
    assert letter["service"] == "eligibility"
    assert letter["original_routing_key"] == "intake.roll-off-notified.v1"
    assert letter["body"] == '{"type": "half a message'

    replayed = hub.cli("dlq", "replay", "poison-42")
    assert replayed.returncode == 0, replayed.stderr
    assert "replayed poison-42 to eligibility (intake.roll-off-notified.v1)" in replayed.stdout
    # still poison, so eligibility dead-letters it again: proof it went back through the consumer
    wait_for_dead_letter(hub, "poison-42")
    again = json.loads(hub.cli("dlq", "show", "poison-42").stdout)
    assert again["headers"]["x-cmehub-replay-count"] == 1


def test_cli_names_unknown_dead_letters_and_services(hub: HubProcess) -> None:
    missing = hub.cli("dlq", "show", "no-such-letter")
    assert missing.returncode == 1
    assert "no dead letter with id 'no-such-letter'" in missing.stderr
    unknown = hub.cli("dlq", "list", "nonsense")
    assert unknown.returncode == 1
    assert "unknown service(s) nonsense" in unknown.stderr


def test_log_lines_are_json_and_carry_service_and_message_ids(hub: HubProcess) -> None:
    publish(hub, "intake.roll-off-notified.v1", b"not json at all", "poison-7")
    wait_for_dead_letter(hub, "poison-7")
    processed = [line for line in hub.log_lines() if line.get("event") == "message.processed"]
    assert processed, "no message.processed line"
    assert {"service", "message_id", "routing_key", "outcome"} <= set(processed[-1])
    assert processed[-1]["service"] == "eligibility"


def test_sigterm_stops_the_hub_gracefully(own_hub: HubProcess) -> None:
    assert own_hub.stop() == 0
    events = [line.get("event") for line in own_hub.log_lines()]
    assert "hub.stopped" in events
