"""From a school's or the public's HTTP request to the CME decision, over the real broker."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select

from cmehub.runtime import Hub
from services.eligibility.tables import children
from tests.support.api import school_key
from tests.support.hub import Probe

URN, OTHER_URN = "100000", "100001"
TODAY = date.today()


def pupil(
    forenames: str = "Amelia",
    surname: str = "Smith",
    dob: date = date(2014, 3, 2),
    upn: str | None = "B801200005001",
) -> dict[str, Any]:
    return {
        "upn": upn,
        "name": {"forenames": forenames, "surname": surname},
        "date_of_birth": dob.isoformat(),
        "gender": "F",
        "address": {"lines": ["1 Mill Street"], "town": "Crewe", "postcode": "CW1 2BJ"},
    }


def deletion(ground: str, **extra: Any) -> dict[str, Any]:
    return {
        "pupil": pupil(),
        "ground": ground,
        "deletion_date": (TODAY - timedelta(days=1)).isoformat(),
        "parents": [
            {
                "name": {"forenames": "Jo", "surname": "Smith"},
                "relationship": "mother",
                "emergency_phones": ["07700 900123"],
                "lives_with_pupil": True,
            }
        ],
        **extra,
    }


def by_reference(reference: str) -> Any:
    return lambda message: message["payload"]["reference"] == reference


async def post_deletion(client: httpx.AsyncClient, hub: Hub, body: dict[str, Any]) -> str:
    headers = await school_key(hub, URN)
    response = await client.post(
        f"/intake/schools/{URN}/deletion-returns", json=body, headers=headers
    )
    assert response.status_code == 202, response.text
    return str(response.json()["reference"])


async def test_ground_i_deletion_return_identifies_a_child_missing_education(
    hub: Hub, probe: Probe, client: httpx.AsyncClient
) -> None:
    reference = await post_deletion(
        client, hub, deletion("i", reasonable_enquiries_on=(TODAY - timedelta(days=3)).isoformat())
    )
    [event] = await probe.wait_for("eligibility.cme-identified", by_reference(reference))
    payload = event["payload"]
    assert payload["age_status"] == "compulsory-school-age"
    assert payload["deletion_ground"] == "i"
    assert {c["criterion"]: c["outcome"] for c in payload["criteria"]} == {
        "compulsory-school-age": "met",
        "not-on-roll": "met",
        "not-educated-elsewhere": "met",
    }
    assert event["correlation_id"] != event["message_id"]  # the chain started at intake


async def test_ground_a_deletion_return_with_destination_is_not_cme(
    hub: Hub, probe: Probe, client: httpx.AsyncClient
) -> None:
    reference = await post_deletion(
        client,
        hub,
        deletion(
            "a", destination_school={"urn": OTHER_URN}, destination_start_date=TODAY.isoformat()
        ),
    )
    [event] = await probe.wait_for("eligibility.not-cme", by_reference(reference))
    assert event["payload"]["reason"] == "on-roll"
    assert OTHER_URN in event["payload"]["explanation"]


async def test_public_concern_without_date_of_birth_is_decided_with_age_unknown(
    hub: Hub, probe: Probe, client: httpx.AsyncClient
) -> None:
    response = await client.post(
        "/intake/concerns",
        json={
            "child": {"name": {"forenames": "Tom"}},
            "where_seen": "Outside the shops on Mill Street on weekday mornings",
            "concern": "He is never at school.",
        },
    )
    assert response.status_code == 202, response.text
    assert set(response.json()) == {"reference"}  # the public gets a reference and nothing more
    reference = response.json()["reference"]
    [event] = await probe.wait_for("eligibility.cme-identified", by_reference(reference))
    assert event["payload"]["age_status"] == "unknown"


async def test_the_same_child_reported_by_a_school_and_the_public_is_one_child_record(
    hub: Hub, probe: Probe, client: httpx.AsyncClient
) -> None:
    school_reference = await post_deletion(
        client, hub, deletion("g", future_address={"lines": ["Somewhere"], "postcode": "M1 1AE"})
    )
    response = await client.post(
        "/intake/concerns",
        json={
            "child": {
                "name": {"forenames": "SMITH", "surname": "amelia"},  # name order swapped
                "address": {"lines": ["1 Mill St"], "postcode": "cw12bj"},
            },
            "concern": "Moved away suddenly; not seen at any school.",
        },
    )
    public_reference = response.json()["reference"]
    [first] = await probe.wait_for("eligibility.cme-identified", by_reference(school_reference))
    [second] = await probe.wait_for("eligibility.cme-identified", by_reference(public_reference))
    assert first["payload"]["child_id"] == second["payload"]["child_id"]
    assert second["payload"]["child"]["date_of_birth"] == "2014-03-02"  # learnt from the school
    async with hub.services["eligibility"].store.transaction() as tx:
        assert (await tx.session.execute(select(func.count()).select_from(children))).scalar() == 1


async def test_new_pupil_return_for_a_child_missing_education_says_back_on_roll(
    hub: Hub, probe: Probe, client: httpx.AsyncClient
) -> None:
    reference = await post_deletion(
        client, hub, deletion("h", reasonable_enquiries_on=(TODAY - timedelta(days=2)).isoformat())
    )
    [identified] = await probe.wait_for("eligibility.cme-identified", by_reference(reference))
    headers = await school_key(hub, OTHER_URN, "Nantwich Academy")
    response = await client.post(
        f"/intake/schools/{OTHER_URN}/admission-returns",
        headers=headers,
        json={"pupil": pupil(), "admission_date": TODAY.isoformat()},
    )
    assert response.status_code == 202, response.text
    [back] = await probe.wait_for(
        "eligibility.back-on-roll", by_reference(response.json()["reference"])
    )
    assert back["payload"]["child_id"] == identified["payload"]["child_id"]
    assert back["payload"]["school_urn"] == OTHER_URN


async def test_many_reports_of_one_child_arriving_together_make_one_child_record(
    hub: Hub, probe: Probe, client: httpx.AsyncClient
) -> None:
    concern = {
        "child": {"name": {"forenames": "Ruby", "surname": "Jones"}, "date_of_birth": "2013-05-06"},
        "concern": "Not at school; seen at home in the day.",
    }
    responses = await asyncio.gather(
        *(client.post("/intake/concerns", json=concern) for _ in range(12))
    )
    references = {r.json()["reference"] for r in responses}
    events = await probe.wait_for(
        "eligibility.cme-identified", lambda m: m["payload"]["reference"] in references, count=12
    )
    assert len({e["payload"]["child_id"] for e in events}) == 1
    async with hub.services["eligibility"].store.transaction() as tx:
        assert (await tx.session.execute(select(func.count()).select_from(children))).scalar() == 1
