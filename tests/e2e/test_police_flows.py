"""The case lifecycle and its escalations to the police, end to end: real broker, real HTTP,
the stand-in police endpoint on loopback, and a clock the test moves instead of waiting days."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from adapters.clock import ManualClock
from adapters.webhooks.signing import sign
from cmehub.runtime import Hub
from cmehub.standins.police import RunningStandin, running_police_standin
from services.catalogue import ALL_SERVICES
from services.tracing.workflow import deadline_due
from tests.e2e.test_intake_to_eligibility import URN, deletion
from tests.support.api import client_for, school_key
from tests.support.hub import HubEnv, Probe, eventually
from tests.support.police import one_force_env

SECRET = b"test-police-secret-of-at-least-32-bytes!"
AREAS = ("CW", "CH", "WA", "SK")
RUN = ["intake", "eligibility", "tracing", "police-notifier"]
CHILD: dict[str, Any] = {
    "name": {"forenames": "Tom", "surname": "Riskley"},
    "approximate_age": 11,
    "address": {"lines": ["4 Canal Street"], "postcode": "CW1 3AB"},
}
RISKY_CONCERN: dict[str, Any] = {
    "child": CHILD,
    "concern": "Not at school for weeks; seen with older men late at night.",
    "risk_indicators": ["sexual-exploitation"],
}


@pytest.fixture
async def police() -> AsyncIterator[RunningStandin]:
    async with running_police_standin((SECRET,), mode="response") as standin:
        yield standin


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def police_settings(police: RunningStandin, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in one_force_env(police.endpoint, SECRET, areas=AREAS).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CMEHUB_POLICE_RETRY_INITIAL_S", "0.1")
    monkeypatch.setenv("CMEHUB_POLICE_POLL_INTERVAL_S", "0.1")


@pytest.fixture
async def hub(pg_hub_env: HubEnv, police_settings: None, clock: ManualClock) -> Hub:
    return await pg_hub_env.start(ALL_SERVICES, RUN, clock=clock)


@pytest.fixture
async def probe(hub: Hub) -> Probe:
    return await Probe(hub.connection, hub.topology.exchange).start(
        ["tracing.#", "police-notifier.#"]
    )


@pytest.fixture
async def client(hub: Hub) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(hub) as client:
        yield client


def alerts_of(police: RunningStandin) -> list[Any]:
    return [r for r in police.received if r.kind.value == "alert"]


async def test_an_untraced_child_is_reported_to_the_police_once_at_the_deadline(
    hub: Hub,
    probe: Probe,
    client: httpx.AsyncClient,
    police: RunningStandin,
    clock: ManualClock,
) -> None:
    yesterday = (clock().date() - timedelta(days=1)).isoformat()
    response = await client.post(
        f"/intake/schools/{URN}/deletion-returns",
        json=deletion("i", deletion_date=yesterday, reasonable_enquiries_on=yesterday),
        headers=await school_key(hub, URN),
    )
    assert response.status_code == 202, response.text
    [opened] = await probe.wait_for("tracing.case-opened")
    assert alerts_of(police) == []  # no alert before the deadline

    clock.set(
        deadline_due(date.fromisoformat(opened["payload"]["trace_by"])) + timedelta(minutes=1)
    )
    [alert] = await police.wait_for(kind="alert")
    assert alert.body is not None
    assert alert.body["priority"] == "routine"
    [upload] = await probe.wait_for("tracing.lost-pupil-upload-requested")
    assert upload["payload"]["pupil"]["upn"] == "B801200005001"
    await probe.wait_for("police-notifier.alert-acknowledged")

    clock.advance(timedelta(days=3))  # nothing fires twice
    await eventually(lambda: _timers_quiet(hub), timeout=5)
    assert len(alerts_of(police)) == 1
    assert police.counts()["duplicate"] == 0


async def _timers_quiet(hub: Hub) -> bool:
    fired = [await s.timers.fire_due() for s in hub.services.values()]
    return not any(fired)


async def test_a_risk_of_harm_concern_alerts_the_police_at_once_and_refers_to_mash(
    hub: Hub, probe: Probe, client: httpx.AsyncClient, police: RunningStandin
) -> None:
    started = time.monotonic()
    response = await client.post("/intake/concerns", json=RISKY_CONCERN)
    assert response.status_code == 202
    [alert] = await police.wait_for(kind="alert", within_s=10)
    elapsed = time.monotonic() - started
    assert alert.body is not None
    assert (alert.body["priority"], alert.body["risk_level"]) == ("urgent", "high")
    assert "reporter" not in json.dumps(alert.body)  # the reporter is never told to the police
    await probe.wait_for("tracing.social-care-referral-recorded")
    print(f"concern to signed alert at the police: {elapsed * 1000:.0f} ms")


async def test_a_new_pupil_return_closes_the_case_and_cancels_the_police_alert(
    hub: Hub, probe: Probe, client: httpx.AsyncClient, police: RunningStandin
) -> None:
    await client.post("/intake/concerns", json=RISKY_CONCERN)
    await probe.wait_for("police-notifier.alert-acknowledged")
    admission = {
        "pupil": {
            "name": CHILD["name"],
            "date_of_birth": "2014-09-09",
            "address": CHILD["address"],
        },
        "admission_date": date.today().isoformat(),
    }
    response = await client.post(
        "/intake/schools/100001/admission-returns",
        json=admission,
        headers=await school_key(hub, "100001"),
    )
    assert response.status_code == 202, response.text
    [closed] = await probe.wait_for("tracing.case-closed")
    assert closed["payload"]["outcome"] == "back-in-school"
    [cancellation] = await police.wait_for(kind="cancellation")
    assert cancellation.body is not None
    await probe.wait_for("police-notifier.alert-cancelled")


async def test_forged_stale_and_replayed_acknowledgements_are_refused(
    hub: Hub, probe: Probe, client: httpx.AsyncClient, police: RunningStandin
) -> None:
    police.set_mode("silent")  # the force will acknowledge by calling back
    await client.post("/intake/concerns", json=RISKY_CONCERN)
    [sent] = await probe.wait_for("police-notifier.alert-sent")
    url = f"/police-notifier/alerts/{sent['payload']['alert_id']}/acknowledgement"
    body = json.dumps({"police_reference": "CHE-42"}).encode()
    forged = sign(b"not the force's secret at all, no no no", body, now=time.time())
    stale = sign(SECRET, body, now=time.time() - 3600)
    good = sign(SECRET, body, now=time.time())
    headers = {"Content-Type": "application/json"}
    assert (await client.post(url, content=body, headers={**headers, **forged})).status_code == 401
    assert (await client.post(url, content=body, headers={**headers, **stale})).status_code == 401
    assert (
        await client.post(
            url, content=b'{"police_reference": "CHE-666"}', headers={**headers, **good}
        )
    ).status_code == 401  # tampered
    first = await client.post(url, content=body, headers={**headers, **good})
    assert first.status_code < 300, first.text
    replayed = await client.post(url, content=body, headers={**headers, **good})
    assert replayed.status_code in (401, 409)
    acknowledged = await probe.wait_for("police-notifier.alert-acknowledged")
    assert [a["payload"]["police_reference"] for a in acknowledged] == ["CHE-42"]


async def test_restarting_tracing_and_police_notifier_mid_flow_sends_no_duplicate_alert(
    pg_hub_env: HubEnv, police_settings: None, police: RunningStandin, clock: ManualClock
) -> None:
    front = await pg_hub_env.start(ALL_SERVICES, ["intake", "eligibility"], clock=clock)
    probe = await Probe(front.connection, front.topology.exchange).start(["police-notifier.#"])
    back = await pg_hub_env.start(ALL_SERVICES, ["tracing", "police-notifier"], clock=clock)
    async with client_for(front) as client:
        for n in range(5):
            concern = {
                **RISKY_CONCERN,
                "child": {
                    **CHILD,
                    "name": {"forenames": f"Child{n}", "surname": "Restart"},
                },
            }
            assert (await client.post("/intake/concerns", json=concern)).status_code == 202
    await pg_hub_env.stop(back)  # in the middle of opening cases and alerting
    back = await pg_hub_env.start(ALL_SERVICES, ["tracing", "police-notifier"], clock=clock)
    await police.wait_for(kind="alert", count=5, within_s=30)
    await probe.wait_for("police-notifier.alert-acknowledged", count=5)
    assert len(alerts_of(police)) == 5
    assert len({a.alert_id for a in alerts_of(police)}) == 5
    assert police.counts()["duplicate"] == 0
