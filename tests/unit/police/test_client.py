"""Delivering to a force: how each answer is classified, against the stand-in police endpoint
on loopback (and a server that never answers, and a closed port)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from adapters.police.client import Outcome, OutcomeKind, PoliceClient, classify
from adapters.police.forces import Force
from adapters.police.messages import AlertMessage, alert_message, idempotency_key
from adapters.police.translate import alert_content
from adapters.webhooks.signing import verify
from cmehub.standins.police import Kind, RunningStandin, running_police_standin
from tests.support.process import free_port
from tests.unit.police.requests import alert_request

SECRET = b"client-test-secret-client-test-secret"


def force_at(endpoint: str, secret: bytes = SECRET) -> Force:
    return Force("cheshire", endpoint, (secret,), frozenset({"CW"}))


def an_alert() -> AlertMessage:
    content = alert_content(alert_request())
    return alert_message(uuid.uuid4(), 1, datetime.now(UTC), content, resent=False)


@pytest.fixture
async def client() -> AsyncIterator[PoliceClient]:
    police = PoliceClient(timeout_s=0.5)
    yield police
    await police.aclose()


@pytest.fixture
async def standin() -> AsyncIterator[RunningStandin]:
    closed_port = f"http://127.0.0.1:{free_port()}"
    async with running_police_standin([SECRET], hub_url=closed_port) as running:
        yield running


# --- classification (no I/O) -----------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 201, 202, 204])
def test_any_2xx_is_accepted(status: int) -> None:
    assert classify(status, b"").kind is OutcomeKind.ACCEPTED


@pytest.mark.parametrize(
    ("body", "acknowledged", "reference"),
    [
        (b'{"acknowledged": true, "police_reference": "CHE-1"}', True, "CHE-1"),
        (b'{"acknowledged": true}', True, None),
        (b'{"acknowledged": true, "police_reference": "  "}', True, None),
        (b'{"acknowledged": true, "police_reference": 42}', True, None),
        (b'{"acknowledged": "yes", "police_reference": "CHE-1"}', False, None),
        (b'{"acknowledged": false}', False, None),
        (b"[true]", False, None),
        (b"not json", False, None),
        (b"", False, None),
    ],
)
def test_acknowledgement_in_the_response_only_when_acknowledged_is_true(
    body: bytes, acknowledged: bool, reference: str | None
) -> None:
    outcome = classify(202, body)
    assert (outcome.acknowledged, outcome.police_reference) == (acknowledged, reference)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 410, 413, 422, 301, 302])
def test_client_errors_and_redirects_are_rejected_not_retried(status: int) -> None:
    assert classify(status, b"").kind is OutcomeKind.REJECTED


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504, 100])
def test_server_errors_timeouts_and_throttling_are_transient(status: int) -> None:
    assert classify(status, b"").kind is OutcomeKind.TRANSIENT


def test_retry_after_in_seconds_is_passed_on() -> None:
    assert classify(429, b"", {"retry-after": "30"}).retry_after_s == 30.0
    assert (
        classify(503, b"", {"retry-after": "Wed, 21 Oct 2026 07:28:00 GMT"}).retry_after_s is None
    )


# --- against the stand-in ---------------------------------------------------------------------


async def test_response_mode_accepts_and_acknowledges_with_a_reference(
    client: PoliceClient, standin: RunningStandin
) -> None:
    message = an_alert()
    outcome = await client.deliver(force_at(standin.endpoint), message)
    assert outcome == Outcome(OutcomeKind.ACCEPTED, 202, "HTTP 202", True, "CHE-1")
    [received] = standin.received
    assert (received.kind, received.idempotency_key) == (Kind.ALERT, idempotency_key(message))


async def test_request_is_signed_json_with_the_idempotency_key(client: PoliceClient) -> None:
    headers: dict[str, str] = {}
    bodies: list[bytes] = []

    async def capture(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode()
        for line in head.split("\r\n")[1:]:
            if ": " in line:
                name, value = line.split(": ", 1)
                headers[name.lower()] = value
        bodies.append(await reader.readexactly(int(headers["content-length"])))
        writer.write(b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(capture, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    message = an_alert()
    async with server:
        outcome = await client.deliver(force_at(f"http://127.0.0.1:{port}/alerts"), message)
    assert outcome.kind is OutcomeKind.ACCEPTED
    assert headers["content-type"] == "application/json"
    assert headers["idempotency-key"] == f"{message.alert_id}:alert:1"
    assert verify(SECRET, headers, bodies[0], now=datetime.now(UTC).timestamp())


@pytest.mark.parametrize("mode", ["callback", "silent"])
async def test_callback_and_silent_modes_accept_without_acknowledging(
    client: PoliceClient, standin: RunningStandin, mode: str
) -> None:
    standin.set_mode(mode)
    outcome = await client.deliver(force_at(standin.endpoint), an_alert())
    assert (outcome.kind, outcome.acknowledged) == (OutcomeKind.ACCEPTED, False)


async def test_down_mode_is_transient(client: PoliceClient, standin: RunningStandin) -> None:
    standin.set_mode("down")
    outcome = await client.deliver(force_at(standin.endpoint), an_alert())
    assert (outcome.kind, outcome.status) == (OutcomeKind.TRANSIENT, 503)
    assert standin.counts()["refused-while-down"] == 1


async def test_wrong_secret_is_rejected_by_the_force(
    client: PoliceClient, standin: RunningStandin
) -> None:
    outcome = await client.deliver(force_at(standin.endpoint, b"not-the-secret"), an_alert())
    assert (outcome.kind, outcome.status) == (OutcomeKind.REJECTED, 401)
    assert standin.counts()["rejected-signature"] == 1


async def test_same_message_twice_is_a_duplicate_at_the_force_answered_alike(
    client: PoliceClient, standin: RunningStandin
) -> None:
    message, force = an_alert(), force_at(standin.endpoint)
    first = await client.deliver(force, message)
    again = await client.deliver(force, message)
    assert first == again
    assert (standin.counts()["alert"], standin.counts()["duplicate"]) == (1, 1)


async def test_resent_alert_with_a_new_revision_is_not_a_new_alert(
    client: PoliceClient, standin: RunningStandin
) -> None:
    first = an_alert()
    resent = first.model_copy(update={"revision": 2, "resent": True})
    force = force_at(standin.endpoint)
    await client.deliver(force, first)
    outcome = await client.deliver(force, resent)
    assert outcome.police_reference == "CHE-1"
    assert (standin.counts()["alert"], standin.counts()["resend"]) == (1, 1)


async def test_closed_port_is_transient(client: PoliceClient) -> None:
    outcome = await client.deliver(force_at(f"http://127.0.0.1:{free_port()}/alerts"), an_alert())
    assert outcome.kind is OutcomeKind.TRANSIENT
    assert outcome.detail.startswith("no connection")


async def test_endpoint_that_never_answers_times_out_as_transient(client: PoliceClient) -> None:
    hold = asyncio.Event()

    async def never_answer(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await hold.wait()
        writer.close()

    server = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        outcome = await client.deliver(force_at(f"http://127.0.0.1:{port}/alerts"), an_alert())
        hold.set()
    assert outcome.kind is OutcomeKind.TRANSIENT
    assert outcome.detail.startswith("timeout")
