"""Officers working a case through the tracing API, with the real hub behind it."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from cmehub.runtime import Hub
from services.catalogue import ALL_SERVICES
from services.tracing.tables import audit
from tests.e2e.test_intake_to_eligibility import URN, deletion
from tests.support.api import client_for, officer_key, school_key
from tests.support.hub import HubEnv, Probe

TODAY = date.today()


@pytest.fixture
async def hub(pg_hub_env: HubEnv) -> Hub:
    return await pg_hub_env.start(ALL_SERVICES, ["intake", "eligibility", "tracing"])


@pytest.fixture
async def probe(hub: Hub) -> Probe:
    return await Probe(hub.connection, hub.topology.exchange).start(["tracing.#"])


@pytest.fixture
async def client(hub: Hub) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(hub) as client:
        yield client


@pytest.fixture
async def officer(hub: Hub) -> dict[str, str]:
    return await officer_key(hub)


async def opened_case(hub: Hub, client: httpx.AsyncClient, probe: Probe) -> dict[str, Any]:
    body = deletion("i", reasonable_enquiries_on=(TODAY - timedelta(days=2)).isoformat())
    response = await client.post(
        f"/intake/schools/{URN}/deletion-returns", json=body, headers=await school_key(hub, URN)
    )
    reference = response.json()["reference"]
    [opened] = await probe.wait_for(
        "tracing.case-opened", lambda m: m["payload"]["reference"] == reference
    )
    return dict(opened["payload"])


async def test_a_case_is_opened_with_a_tracing_plan_and_the_last_school_is_asked(
    hub: Hub, client: httpx.AsyncClient, probe: Probe, officer: dict[str, str]
) -> None:
    opened = await opened_case(hub, client, probe)
    [asked] = await probe.wait_for(
        "tracing.check-requested", lambda m: m["payload"]["case_id"] == opened["case_id"]
    )
    assert asked["payload"]["kind"] == "last-school"
    assert asked["payload"]["target_school"]["urn"] == URN
    assert "address" not in asked["payload"]["child"]  # schools get only what they need
    case = (await client.get(f"/tracing/cases/{opened['case_id']}", headers=officer)).json()
    assert {c["kind"] for c in case["checks"]} >= {"last-school", "health", "social-care"}
    assert case["trace_by"] == opened["trace_by"]
    listed = (await client.get("/tracing/cases", headers=officer)).json()
    assert [c["case_id"] for c in listed] == [opened["case_id"]]


async def test_family_contact_is_refused_until_the_required_checks_have_results(
    hub: Hub, client: httpx.AsyncClient, probe: Probe, officer: dict[str, str]
) -> None:
    opened = await opened_case(hub, client, probe)
    url = f"/tracing/cases/{opened['case_id']}"
    refused = await client.post(
        f"{url}/family-contact", headers=officer, json={"note": "Phoned mother"}
    )
    assert refused.status_code == 409
    assert "health" in refused.json()["detail"]
    assert "last-school" in refused.json()["detail"]
    case = (await client.get(url, headers=officer)).json()
    for check in case["checks"]:
        if check["kind"] in case["blocking_family_contact"]:
            recorded = await client.post(
                f"{url}/checks/{check['check_id']}/result",
                headers=officer,
                json={"result": "not-found"},
            )
            assert recorded.status_code == 204
    allowed = await client.post(
        f"{url}/family-contact", headers=officer, json={"note": "Phoned mother"}
    )
    assert allowed.status_code == 204
    events = [e["event"] for e in (await client.get(f"{url}/timeline", headers=officer)).json()]
    assert events[0] == "case-opened"
    assert events[-1] == "family-contact"
    assert "check-recorded" in events


async def test_moved_to_another_la_closes_the_case_and_requests_a_transfer(
    hub: Hub, client: httpx.AsyncClient, probe: Probe, officer: dict[str, str]
) -> None:
    opened = await opened_case(hub, client, probe)
    url = f"/tracing/cases/{opened['case_id']}/outcome"
    same_la = await client.post(
        url, headers=officer, json={"outcome": "moved-to-another-la", "destination_la": "895"}
    )
    assert same_la.status_code == 422
    assert "destination_la" in {e["field"] for e in same_la.json()["errors"]}
    moved = await client.post(
        url, headers=officer, json={"outcome": "moved-to-another-la", "destination_la": "352"}
    )
    assert moved.status_code == 204
    [transfer] = await probe.wait_for("tracing.transfer-requested")
    assert transfer["payload"]["destination_la"] == "352"
    [closed] = await probe.wait_for("tracing.case-closed")
    assert closed["payload"]["outcome"] == "moved-to-another-la"
    assert transfer["correlation_id"] == closed["correlation_id"] == opened_correlation(probe)


def opened_correlation(probe: Probe) -> str:
    return str(probe.of_type("tracing.case-opened")[0]["correlation_id"])


async def test_case_api_needs_an_officer_and_audits_every_read_and_write(
    hub: Hub, client: httpx.AsyncClient, probe: Probe, officer: dict[str, str]
) -> None:
    opened = await opened_case(hub, client, probe)
    url = f"/tracing/cases/{opened['case_id']}"
    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers=await school_key(hub, "100009"))).status_code == 403
    assert (await client.get(f"/tracing/cases/{uuid.uuid4()}", headers=officer)).status_code == 404
    await client.get(url, headers=officer)
    await client.post(f"{url}/assignment", headers=officer, json={"officer": "officer:jsmith"})
    async with hub.services["tracing"].store.transaction() as tx:
        rows = await tx.session.execute(
            select(audit.c.principal, audit.c.action, audit.c.what).where(
                audit.c.case_id == uuid.UUID(opened["case_id"])
            )
        )
        trail = [tuple(r) for r in rows]
    assert trail == [
        ("officer:officer1", "read", "case"),
        ("officer:officer1", "write", "assignment"),
    ]
