"""police-notifier against the real broker and database, delivering to the stand-in police
force on loopback: alerts, acknowledgements, updates, cancellations, outages, escalation,
restarts and duplicates."""

from __future__ import annotations

import itertools
import json
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from aio_pika.abc import AbstractRobustConnection
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, MetaData, func, select

from adapters.broker.connection import connect
from adapters.clock import Clock, ManualClock, system_clock
from adapters.police.forces import Force, ForceTable
from adapters.store.tables import inbox, outbox, timers
from adapters.store.tables import metadata as messaging_metadata
from adapters.webhooks.signing import sign
from cmehub.handling import ServiceDefinition, Wiring
from cmehub.http import create_app
from cmehub.runtime import Hub
from cmehub.standins.police import Kind, RunningStandin, running_police_standin
from cmehub.standins.serving import serve_in_loop
from schemas.envelope import Envelope, Payload, new_envelope
from schemas.registry import encode
from schemas.v1.common import AlertPriority, CaseOutcome, PoliceRiskLevel, RiskIndicator
from schemas.v1.tracing import CaseClosed, PoliceAlertUpdateRequested
from services.catalogue import ALL_SERVICES
from services.police_notifier.bootstrap import police_notifier
from services.police_notifier.settings import PoliceSettings
from services.police_notifier.tables import alerts, deliveries, used_signatures
from services.police_notifier.tables import metadata as police_metadata
from tests.support.api import client_for, officer_key
from tests.support.hub import HubEnv, Probe, eventually, publish_raw
from tests.unit.police.requests import alert_request

SECRET = b"integration-police-secret-0123456789"
SOURCE = ServiceDefinition(name="source", subscriptions=(), build=lambda _c: Wiring())
SERVICE = "police-notifier"
ACK_URL = "/police-notifier/alerts/{}/acknowledgement"
FAILED, SENT = "police-notifier.alert-failed", "police-notifier.alert-sent"
ACKNOWLEDGED, CANCELLED = "police-notifier.alert-acknowledged", "police-notifier.alert-cancelled"


def police_settings(**overrides: Any) -> PoliceSettings:
    fast: dict[str, Any] = {
        "poll_interval_s": 0.05,
        "retry_initial_s": 0.05,
        "retry_max_s": 0.2,
        "unreachable_after": 3,
        "request_timeout_s": 2.0,
    }
    return PoliceSettings(_env_file=None, **{**fast, **overrides})


def forces_for(standin: RunningStandin | None) -> ForceTable:
    if standin is None:
        return ForceTable(home="cheshire", forces={})
    force = Force("cheshire", standin.endpoint, (SECRET,), frozenset({"CW", "CH"}))
    return ForceTable(home="cheshire", forces={"cheshire": force})


async def start(
    env: HubEnv,
    standin: RunningStandin | None,
    *,
    clock: Clock = system_clock,
    prefetch: int = 16,
    **overrides: Any,
) -> Hub:
    service = police_notifier(police_settings(**overrides), forces_for(standin))
    return await env.start([SOURCE, service], clock=clock, prefetch=prefetch)


async def emit(hub: Hub, *payloads: Payload) -> list[Envelope[Any]]:
    envelopes = [new_envelope(payload) for payload in payloads]
    async with hub.services["source"].store.transaction() as tx:
        for envelope in envelopes:
            await tx.publish(envelope)
    return envelopes


@asynccontextmanager
async def watching(env: HubEnv, hub: Hub) -> AsyncIterator[Probe]:
    """A probe on its own connection, so it outlives the hubs it watches."""
    connection: AbstractRobustConnection = await connect(env.amqp_url, name="police probe")
    try:
        yield await Probe(connection, hub.topology.exchange).start(["police-notifier.#"])
    finally:
        await connection.close()


@asynccontextmanager
async def served(hub: Hub) -> AsyncIterator[str]:
    """The hub's real app over real HTTP, so the stand-in can call it back."""
    app = create_app(hub, [d for d in ALL_SERVICES if d.name in hub.services])
    async with serve_in_loop(app) as url:
        yield url


@pytest.fixture
async def standin() -> AsyncIterator[RunningStandin]:
    async with running_police_standin([SECRET], callback_delay_s=0.05) as running:
        yield running


def reason_is(reason: str) -> Any:
    return lambda m: m["payload"]["reason"] == reason


async def rows(hub: Hub, table: Any) -> list[Any]:
    async with hub.services[SERVICE].store.transaction() as tx:
        return list((await tx.session.execute(select(table))).all())


async def outbox_count(hub: Hub, message_type: str) -> int:
    async with hub.services[SERVICE].store.transaction() as tx:
        query = (
            select(func.count()).select_from(outbox).where(outbox.c.message_type == message_type)
        )
        return int((await tx.session.execute(query)).scalar_one())


def signed(
    body: dict[str, Any] | bytes, *, secret: bytes = SECRET, at: float | None = None
) -> tuple[bytes, dict[str, str]]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json", **sign(secret, raw, now=at or time.time())}
    return raw, headers


# --- (a) an alert request reaches the force once, signed; sent and acknowledged follow -------


async def test_alert_request_is_delivered_once_signed_and_acknowledged_in_the_response(
    hub_env: HubEnv, standin: RunningStandin
) -> None:
    hub = await start(hub_env, standin)
    async with watching(hub_env, hub) as probe:
        [envelope] = await emit(hub, request := alert_request())
        [sent] = await probe.wait_for(SENT)
        [acknowledged] = await probe.wait_for(ACKNOWLEDGED)
    [received] = standin.received
    assert received.kind is Kind.ALERT  # the stand-in verified the signature
    assert received.idempotency_key == f"{sent['payload']['alert_id']}:alert:1"
    assert received.body is not None
    assert received.body["child"]["name"] == {
        "forenames": "Amelia",
        "surname": "Smith",
        "known_as": None,
    }
    assert received.body["priority"] == "urgent"
    assert sent["payload"]["alert_request_id"] == str(request.alert_request_id)
    assert sent["correlation_id"] == acknowledged["correlation_id"] == str(envelope.correlation_id)
    assert acknowledged["payload"]["police_reference"] == "CHE-1"
    assert [row.status for row in await rows(hub, alerts)] == ["acknowledged"]
    assert await outbox_count(hub, SENT) == await outbox_count(hub, ACKNOWLEDGED) == 1


async def test_callback_acknowledgement_from_the_force_is_accepted_once(
    pg_hub_env: HubEnv, standin: RunningStandin
) -> None:
    standin.set_mode("callback")
    hub = await start(pg_hub_env, standin)
    async with served(hub) as hub_url, watching(pg_hub_env, hub) as probe:
        standin.call_back_to(hub_url)
        await emit(hub, alert_request())
        [acknowledged] = await probe.wait_for(ACKNOWLEDGED)
    assert acknowledged["payload"]["police_reference"] == "CHE-1"
    assert standin.callbacks == [200]
    assert [row.status for row in await rows(hub, alerts)] == ["acknowledged"]


async def test_officer_sees_a_cases_alerts_and_their_deliveries(
    pg_hub_env: HubEnv, standin: RunningStandin
) -> None:
    hub = await start(pg_hub_env, standin)
    async with watching(pg_hub_env, hub) as probe:
        await emit(hub, request := alert_request())
        await probe.wait_for(ACKNOWLEDGED)
    async with client_for(hub) as client:
        url = f"/police-notifier/alerts?case_id={request.case_id}"
        assert (await client.get(url)).status_code == 401
        response = await client.get(url, headers=await officer_key(hub))
    [view] = response.json()
    assert (view["status"], view["force"], view["police_reference"]) == (
        "acknowledged",
        "cheshire",
        "CHE-1",
    )
    assert [(d["kind"], d["state"], d["attempts"]) for d in view["deliveries"]] == [
        ("alert", "delivered", 1)
    ]
    assert "child" not in json.dumps(view)


# --- (b) updates and cancellations ---------------------------------------------------------


async def test_update_and_case_closed_reach_the_force_in_order_and_cancel_the_alert(
    pg_hub_env: HubEnv, standin: RunningStandin
) -> None:
    hub = await start(pg_hub_env, standin)
    async with watching(pg_hub_env, hub) as probe:
        await emit(hub, request := alert_request(priority=AlertPriority.ROUTINE))
        [acknowledged] = await probe.wait_for(ACKNOWLEDGED)
        update = PoliceAlertUpdateRequested(
            alert_request_id=request.alert_request_id,
            case_id=request.case_id,
            priority=AlertPriority.URGENT,
            risk_level=PoliceRiskLevel.HIGH,
            risk_indicators=(RiskIndicator.TRAFFICKING,),
            reason="Seen with an adult not known to the family.",
        )
        closed = CaseClosed(
            case_id=request.case_id,
            child_id=uuid.uuid4(),
            outcome=CaseOutcome.BACK_IN_SCHOOL,
            closed_at=datetime.now(UTC),
            school_urn="100000",
        )
        await emit(hub, update)
        await standin.wait_for(kind=Kind.UPDATE)
        await emit(hub, closed)
        [cancelled] = await probe.wait_for(CANCELLED)
    alert_id = acknowledged["payload"]["alert_id"]
    assert [(r.kind, r.revision) for r in standin.received] == [
        (Kind.ALERT, 1),
        (Kind.UPDATE, 2),
        (Kind.CANCELLATION, 3),
    ]
    assert standin.received[1].body is not None
    assert standin.received[1].body["risk_indicators"] == ["trafficking"]
    assert standin.received[2].body is not None
    assert standin.received[2].body["outcome"] == "back-in-school"
    assert cancelled["payload"] | {"cancelled_at": None} == {
        "alert_id": alert_id,
        "alert_request_id": str(request.alert_request_id),
        "case_id": str(request.case_id),
        "force": "cheshire",
        "outcome": "back-in-school",
        "cancelled_at": None,
    }
    assert [row.status for row in await rows(hub, alerts)] == ["cancelled"]


async def test_case_closed_before_any_attempt_withdraws_the_alert_without_calling_the_force(
    pg_hub_env: HubEnv, standin: RunningStandin
) -> None:
    hub = await start(pg_hub_env, standin)
    handlers = hub.services[SERVICE].wiring.handlers
    request = alert_request()
    closed = CaseClosed(
        case_id=request.case_id,
        child_id=uuid.uuid4(),
        outcome=CaseOutcome.MOVED_TO_ANOTHER_LA,
        closed_at=datetime.now(UTC),
        destination_la="895",
    )
    async with watching(pg_hub_env, hub) as probe:
        async with hub.services[SERVICE].store.transaction() as tx:  # one moment: no attempt
            await handlers["tracing.police-alert-requested"](new_envelope(request), tx)
            await handlers["tracing.case-closed"](new_envelope(closed), tx)
        [cancelled] = await probe.wait_for(CANCELLED)
    assert cancelled["payload"]["outcome"] == "moved-to-another-la"
    [delivery] = await rows(hub, deliveries)
    assert (delivery.kind, delivery.state, delivery.attempts) == ("alert", "withdrawn", 0)
    assert standin.received == []
    assert await outbox_count(hub, SENT) == 0


async def test_case_closed_while_the_force_is_down_sends_only_a_cancellation(
    pg_hub_env: HubEnv, standin: RunningStandin
) -> None:
    standin.set_mode("down")
    hub = await start(pg_hub_env, standin)
    async with watching(pg_hub_env, hub) as probe:
        await emit(hub, request := alert_request())
        await standin.wait_for(kind=Kind.REFUSED_WHILE_DOWN)
        await emit(
            hub,
            CaseClosed(
                case_id=request.case_id,
                child_id=uuid.uuid4(),
                outcome=CaseOutcome.BACK_IN_SCHOOL,
                closed_at=datetime.now(UTC),
            ),
        )
        await eventually(lambda: _cancel_queued(hub))
        standin.set_mode("response")
        await probe.wait_for(CANCELLED)
    assert standin.counts()["alert"] == 0  # the attempt that may have arrived is cancelled
    assert [r.kind for r in standin.received if r.kind != Kind.REFUSED_WHILE_DOWN] == [
        Kind.CANCELLATION
    ]


async def _cancel_queued(hub: Hub) -> bool:
    return any(row.kind == "cancellation" for row in await rows(hub, deliveries))


# --- (c) outages: back-off, one unreachable report, one delivery; rejections ----------------


async def test_force_down_then_back_is_retried_with_back_off_delivered_once_reported_once(
    hub_env: HubEnv, standin: RunningStandin
) -> None:
    standin.set_mode("down")
    hub = await start(hub_env, standin)
    async with watching(hub_env, hub) as probe:
        await emit(hub, alert_request())
        [unreachable] = await probe.wait_for(FAILED, reason_is("unreachable"))
        refusals = await standin.wait_for(kind=Kind.REFUSED_WHILE_DOWN, count=4)
        standin.set_mode("response")
        await probe.wait_for(SENT)
        await probe.wait_for(ACKNOWLEDGED)
    gaps = [b.received_at - a.received_at for a, b in itertools.pairwise(refusals)]
    assert gaps[1] >= 0.1 - 0.02  # the second back-off (0.1 s) is twice the first
    assert sum(gaps[:3]) >= 0.05 + 0.1 + 0.2 - 0.05
    assert "3 attempts" in unreachable["payload"]["detail"]
    assert len(probe.of_type(FAILED)) == 1
    assert (standin.counts()["alert"], standin.counts()["duplicate"]) == (1, 0)


async def test_force_refusing_the_alert_is_reported_and_not_retried(
    pg_hub_env: HubEnv,
) -> None:
    async with running_police_standin([b"the-force-has-another-secret"]) as other:
        hub = await start(pg_hub_env, other)
        async with watching(pg_hub_env, hub) as probe:
            await emit(hub, alert_request())
            [rejected] = await probe.wait_for(FAILED, reason_is("rejected"))
        assert "HTTP 401" in rejected["payload"]["detail"]
        assert other.counts()["rejected-signature"] == 1
        [delivery] = await rows(hub, deliveries)
        assert (delivery.state, delivery.attempts) == ("rejected", 1)
        assert [row.status for row in await rows(hub, alerts)] == ["failed"]


async def test_empty_force_table_reports_no_force_for_the_area(pg_hub_env: HubEnv) -> None:
    hub = await start(pg_hub_env, None)
    async with watching(pg_hub_env, hub) as probe:
        await emit(hub, request := alert_request())
        [failed] = await probe.wait_for(FAILED)
    assert failed["payload"]["reason"] == "no-force-for-area"
    assert failed["payload"]["alert_request_id"] == str(request.alert_request_id)
    assert await rows(hub, deliveries) == []


# --- (d) no acknowledgement in time: re-send and escalate ----------------------------------


async def test_unacknowledged_urgent_alert_is_resent_and_escalated_once_after_the_timeout(
    pg_hub_env: HubEnv, standin: RunningStandin
) -> None:
    standin.set_mode("silent")
    clock = ManualClock()
    hub = await start(pg_hub_env, standin, clock=clock, urgent_ack_timeout_s=900)
    async with watching(pg_hub_env, hub) as probe:
        await emit(hub, alert_request(priority=AlertPriority.URGENT))
        [sent] = await probe.wait_for(SENT)
        await eventually(lambda: _timer_armed(hub))
        clock.advance(timedelta(seconds=901))
        [escalation] = await probe.wait_for(FAILED, reason_is("not-acknowledged"))
        [resend] = await standin.wait_for(kind=Kind.RESEND)
        await eventually(lambda: _timer_armed(hub))  # again, from the re-send
        clock.advance(timedelta(seconds=901))
        await standin.wait_for(kind=Kind.RESEND, count=2)
    alert_id = sent["payload"]["alert_id"]
    assert escalation["payload"]["alert_id"] == alert_id
    assert (resend.alert_id, resend.revision) == (alert_id, 2)
    assert resend.body is not None
    assert resend.body["resent"] is True
    assert standin.counts()["alert"] == 1
    assert await outbox_count(hub, FAILED) == 1


async def _timer_armed(hub: Hub) -> bool:
    return [row.fired_at for row in await rows(hub, timers)] == [None]


# --- (e) acknowledgements: only genuine, fresh, first-use ones count -----------------------


async def test_forged_tampered_stale_and_replayed_acknowledgements_are_refused(
    pg_hub_env: HubEnv, standin: RunningStandin
) -> None:
    standin.set_mode("silent")
    hub = await start(pg_hub_env, standin)
    async with watching(pg_hub_env, hub) as probe:
        await emit(hub, alert_request())
        [sent] = await probe.wait_for(SENT)
        url = ACK_URL.format(sent["payload"]["alert_id"])
        ack = {"police_reference": "CHE-77", "acknowledged_at": None}
        async with client_for(hub) as client:
            refused = await _refusals(client, url, ack)
            assert [row.status for row in await rows(hub, alerts)] == ["sent"]
            assert await rows(hub, used_signatures) == []
            assert await outbox_count(hub, ACKNOWLEDGED) == 0

            body, headers = signed(ack)
            good = await client.post(url, content=body, headers=headers)
            replay = await client.post(url, content=body, headers=headers)
            body, headers = signed(ack, at=time.time() + 1)
            again = await client.post(url, content=body, headers=headers)
        [acknowledged] = await probe.wait_for(ACKNOWLEDGED)
    assert refused == {
        "no signature": 401,
        "forged": 401,
        "tampered": 401,
        "stale": 401,
        "from the future": 401,
        "unknown alert, forged": 401,
        "unknown alert": 404,
        "not an acknowledgement": 422,
    }
    assert (good.status_code, good.json()["result"]) == (200, "acknowledged")
    assert replay.status_code == 409
    assert (again.status_code, again.json()["result"]) == (200, "already-acknowledged")
    assert acknowledged["payload"]["police_reference"] == "CHE-77"
    assert await outbox_count(hub, ACKNOWLEDGED) == 1


async def _refusals(client: httpx.AsyncClient, url: str, ack: dict[str, Any]) -> dict[str, int]:
    body = json.dumps(ack).encode()
    unknown = ACK_URL.format(uuid.uuid4())
    cases = {
        "no signature": (url, body, {"Content-Type": "application/json"}),
        "forged": (url, *signed(ack, secret=b"not-the-force")),
        "tampered": (url, body.replace(b"CHE-77", b"CHE-78"), signed(ack)[1]),
        "stale": (url, *signed(ack, at=time.time() - 301)),
        "from the future": (url, *signed(ack, at=time.time() + 301)),
        "unknown alert, forged": (unknown, *signed(ack, secret=b"not-the-force")),
        "unknown alert": (unknown, *signed(ack)),
        "not an acknowledgement": (url, *signed({"acknowledged_at": "yesterday"})),
    }
    statuses = {}
    for name, (target, content, headers) in cases.items():
        statuses[name] = (await client.post(target, content=content, headers=headers)).status_code
    return statuses


# --- (f) restart in the middle of deliveries ----------------------------------------------


async def test_restart_in_the_middle_of_deliveries_loses_nothing_and_duplicates_nothing(
    pg_hub_env: HubEnv, standin: RunningStandin
) -> None:
    first = await start(pg_hub_env, standin)
    async with watching(pg_hub_env, first) as probe:
        await emit(first, *(alert_request() for _ in range(10)))
        await standin.wait_for(kind=Kind.ALERT, count=3)
        standin.set_mode("down")  # what is still queued now fails and waits in the database
        await pg_hub_env.stop(first)
        standin.set_mode("response")
        await start(pg_hub_env, standin)
        await standin.wait_for(kind=Kind.ALERT, count=10)
        sent = await probe.wait_for(SENT, count=10)
    counts = standin.counts()
    assert (counts["alert"], counts["duplicate"], counts["resend"]) == (10, 0, 0)
    assert len({m["payload"]["alert_id"] for m in sent}) == 10


# --- (g) the same request twice is one alert ----------------------------------------------


async def test_same_alert_request_delivered_twice_creates_one_alert(
    pg_hub_env: HubEnv, standin: RunningStandin
) -> None:
    hub = await start(pg_hub_env, standin, prefetch=1)
    request = alert_request()
    envelope, retry = new_envelope(request), new_envelope(request)  # retry: new message id
    async with watching(pg_hub_env, hub) as probe:
        for message in (envelope, envelope, retry):
            await publish_raw(
                hub.connection,
                hub.topology.exchange,
                message.routing_key,
                encode(message),
                message_id=str(message.message_id),
            )
        await probe.wait_for(ACKNOWLEDGED)
        await eventually(lambda: _handled(hub, retry.message_id))
    assert len(await rows(hub, alerts)) == 1
    assert len(await rows(hub, deliveries)) == 1
    assert (standin.counts()["alert"], standin.counts()["duplicate"]) == (1, 0)


async def _handled(hub: Hub, message_id: uuid.UUID) -> bool:
    return any(row.message_id == message_id for row in await rows(hub, inbox))


# --- schema -----------------------------------------------------------------------------------


async def test_migrations_create_exactly_the_tables_the_code_declares(
    hub_env: HubEnv, standin: RunningStandin
) -> None:
    hub = await start(hub_env, standin)
    declared = MetaData()
    for table in [*messaging_metadata.tables.values(), *police_metadata.tables.values()]:
        table.to_metadata(declared)

    def differences(connection: Connection) -> list[Any]:
        return list(compare_metadata(MigrationContext.configure(connection), declared))

    async with hub.services[SERVICE].store.engine.connect() as connection:
        assert await connection.run_sync(differences) == []
