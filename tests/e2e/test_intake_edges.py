"""intake's edges against the real hub: who may post, bad input, retries, bulk files, email,
and every example in the schools guide."""

from __future__ import annotations

import asyncio
import json
import re
import smtplib
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from adapters.store.tables import outbox
from cmehub.runtime import Hub
from services.catalogue import ALL_SERVICES
from services.intake.tables import submissions
from tests.e2e.test_intake_to_eligibility import URN, deletion
from tests.support.api import officer_key, school_key
from tests.support.hub import HubEnv, Probe
from tests.support.process import free_port

DOCS = Path(__file__).parents[2] / "docs"
TODAY = date.today()


async def recorded(hub: Hub) -> tuple[int, int]:
    """(receipts, outbox events) in intake's database."""
    async with hub.services["intake"].store.transaction() as tx:
        receipts = await tx.session.execute(select(func.count()).select_from(submissions))
        events = await tx.session.execute(select(func.count()).select_from(outbox))
        return int(receipts.scalar_one()), int(events.scalar_one())


def errors_of(response: httpx.Response) -> dict[str, str]:
    return {e["field"]: e["rule"] for e in response.json()["errors"]}


async def test_school_calls_without_a_key_or_with_a_wrong_one_get_401(
    hub: Hub, client: httpx.AsyncClient
) -> None:
    url = f"/intake/schools/{URN}/deletion-returns"
    missing = await client.post(url, json=deletion("k"))
    wrong = await client.post(
        url,
        json=deletion("k"),
        headers={"Authorization": "Bearer cmeh_0123456789abcdef_" + "x" * 43},
    )
    assert (missing.status_code, wrong.status_code) == (401, 401)
    assert missing.headers["www-authenticate"] == "Bearer"
    assert await recorded(hub) == (0, 0)


async def test_school_cannot_post_for_another_urn(hub: Hub, client: httpx.AsyncClient) -> None:
    headers = await school_key(hub, URN)
    response = await client.post(
        "/intake/schools/100001/deletion-returns", json=deletion("k"), headers=headers
    )
    assert response.status_code == 403
    assert "only for its own school (URN 100000), not 100001" in response.json()["detail"]
    assert await recorded(hub) == (0, 0)


async def test_revoked_key_is_refused_at_once(hub: Hub, client: httpx.AsyncClient) -> None:
    headers = await school_key(hub, URN)
    url = f"/intake/schools/{URN}/deletion-returns"
    assert (await client.post(url, json=deletion("k"), headers=headers)).status_code == 202
    key_id = headers["Authorization"].split("_")[1]
    assert await hub.identity.revoke_key(key_id)
    assert (await client.post(url, json=deletion("k"), headers=headers)).status_code == 401


BAD_RETURNS: list[tuple[str, Any, str, str]] = [
    (
        "invalid UPN check letter",
        lambda d: d["pupil"].update(upn="A801200005001"),
        "pupil.upn",
        "check letter 'A' does not match",
    ),
    ("unknown ground", lambda d: d.update(ground="z"), "ground", "Input should be"),
    ("wrong type", lambda d: d.update(deletion_date=12), "deletion_date", "date"),
    (
        "future date of birth",
        lambda d: d["pupil"].update(date_of_birth=(TODAY + timedelta(days=30)).isoformat()),
        "pupil.date_of_birth",
        "must be before deletion_date",
    ),
    (
        "future deletion date",
        lambda d: d.update(deletion_date=(TODAY + timedelta(days=30)).isoformat()),
        "deletion_date",
        "must not be in the future",
    ),
    (
        "ground a without destination",
        lambda d: d.update(ground="a"),
        "destination_school",
        "required for ground 'a'",
    ),
    (
        "ground i without enquiries",
        lambda d: d.update(ground="i"),
        "reasonable_enquiries_on",
        "required for ground 'i'",
    ),
    (
        "unknown field",
        lambda d: d.update(favourite_colour="blue"),
        "favourite_colour",
        "Extra inputs are not permitted",
    ),
]


@pytest.mark.parametrize(
    ("case", "spoil", "field", "rule"), BAD_RETURNS, ids=[case[0] for case in BAD_RETURNS]
)
async def test_bad_deletion_return_is_refused_naming_field_and_rule_and_nothing_is_recorded(
    hub: Hub, client: httpx.AsyncClient, case: str, spoil: Any, field: str, rule: str
) -> None:
    body = deletion("k")
    spoil(body)
    response = await client.post(
        f"/intake/schools/{URN}/deletion-returns", json=body, headers=await school_key(hub, URN)
    )
    assert response.status_code == 422, case
    assert rule in errors_of(response)[field]
    assert "A801200005001" not in response.text  # errors never echo the input
    assert await recorded(hub) == (0, 0)


async def test_malformed_json_and_oversized_bodies_are_refused(
    hub: Hub, client: httpx.AsyncClient
) -> None:
    headers = {**await school_key(hub, URN), "Content-Type": "application/json"}
    url = f"/intake/schools/{URN}/deletion-returns"
    malformed = await client.post(url, content=b'{"pupil": ', headers=headers)
    assert malformed.status_code == 422
    assert "JSON" in json.dumps(malformed.json())
    oversized = await client.post(
        "/intake/concerns", content=b"x" * (33 * 1024), headers={"Content-Type": "application/json"}
    )
    assert oversized.status_code == 413
    assert errors_of(oversized) == {"body": "must be at most 32768 bytes"}
    assert await recorded(hub) == (0, 0)


async def test_a_retried_post_with_the_same_idempotency_key_creates_one_notice(
    hub: Hub, client: httpx.AsyncClient, probe: Probe
) -> None:
    headers = {**await school_key(hub, URN), "Idempotency-Key": "mis-batch-7-row-1"}
    url = f"/intake/schools/{URN}/deletion-returns"
    first = await client.post(url, json=deletion("k"), headers=headers)
    second = await client.post(url, json=deletion("k"), headers=headers)
    assert (first.status_code, second.status_code) == (202, 202)
    assert second.json()["reference"] == first.json()["reference"]
    assert (first.json()["duplicate"], second.json()["duplicate"]) == (False, True)
    assert await recorded(hub) == (1, 1)
    different = await client.post(url, json=deletion("j"), headers=headers)
    assert different.status_code == 409


async def test_public_concern_that_identifies_nobody_is_refused(
    hub: Hub, client: httpx.AsyncClient
) -> None:
    response = await client.post("/intake/concerns", json={"concern": "Something is wrong."})
    assert response.status_code == 422
    assert "give at least one detail about the child" in errors_of(response)["child"]
    assert await recorded(hub) == (0, 0)


async def test_officer_records_a_phone_report_and_non_officers_cannot(
    hub: Hub, client: httpx.AsyncClient, probe: Probe
) -> None:
    body = {
        "channel": "phone",
        "concern": "Caller saw a girl of about 10 out of school daily.",
        "child": {"approximate_age": 10},
        "where_seen": "Crewe bus station",
    }
    school = await client.post(
        "/intake/officer/concerns", json=body, headers=await school_key(hub, URN)
    )
    assert school.status_code == 403
    response = await client.post(
        "/intake/officer/concerns", json=body, headers=await officer_key(hub)
    )
    assert response.status_code == 202, response.text
    [event] = await probe.wait_for(
        "intake.concern-reported",
        lambda m: m["payload"]["reference"] == response.json()["reference"],
    )
    assert event["payload"]["channel"] == "phone"


async def test_csv_upload_keeps_good_rows_and_names_each_bad_cell(
    hub: Hub, client: httpx.AsyncClient
) -> None:
    template = (DOCS / "examples" / "returns.csv").read_text()
    header, first_row, *_ = template.splitlines()
    bad_row = first_row.replace(first_row.split(",")[1], "A801200005001", 1)  # spoil the UPN
    response = await client.post(
        f"/intake/schools/{URN}/returns.csv",
        content=f"{header}\n{first_row}\n{bad_row}\n".encode(),
        headers={**await school_key(hub, URN), "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["accepted"], result["rejected"]) == (1, 1)
    good, bad = result["rows"]
    assert (good["row"], good["status"]) == (2, "accepted")
    assert (bad["row"], bad["status"]) == (3, "rejected")
    assert bad["errors"][0]["field"] == "upn"
    assert "check letter" in bad["errors"][0]["rule"]
    assert await recorded(hub) == (1, 1)


async def test_csv_with_the_wrong_header_and_ctf_that_is_not_xml_are_refused_whole(
    hub: Hub, client: httpx.AsyncClient
) -> None:
    headers = await school_key(hub, URN)
    csv = await client.post(
        f"/intake/schools/{URN}/returns.csv",
        headers=headers,
        content=b"name,birthday\nAmy,2014-01-01\n",
    )
    assert csv.status_code == 422
    assert list(errors_of(csv)) == ["header"]
    ctf = await client.post(
        f"/intake/schools/{URN}/returns.ctf?deletion_date=2025-03-14",
        headers=headers,
        content=b"this is not xml",
    )
    assert ctf.status_code == 422
    assert "not XML" in json.dumps(ctf.json())
    assert await recorded(hub) == (0, 0)


CURL = re.compile(
    r'curl -sS -X POST "\$HUB(?P<path>[^"]+)"(?P<options>.*?)--data-binary @(?P<file>\S+)',
    re.DOTALL,
)
HEADER = re.compile(r'-H "(?P<name>[^:]+): (?P<value>[^"]*)"')


def guide_examples() -> list[tuple[str, dict[str, str], Path]]:
    """Each curl command in the schools guide: path, headers, body file (from docs/examples)."""
    examples = []
    for match in CURL.finditer((DOCS / "schools.md").read_text()):
        file = DOCS.parent / match["file"]
        headers = {h["name"]: h["value"] for h in HEADER.finditer(match["options"])}
        if file.is_file():
            examples.append((match["path"], headers, file))
    return examples


@pytest.mark.parametrize(
    ("path", "headers", "file"), guide_examples(), ids=lambda v: str(v).split("/")[-1]
)
async def test_every_example_in_the_schools_guide_is_accepted_by_the_api(
    hub: Hub, client: httpx.AsyncClient, path: str, headers: dict[str, str], file: Path
) -> None:
    headers = {**headers, **await school_key(hub, URN), "Idempotency-Key": file.name}
    body = await asyncio.to_thread(file.read_bytes)
    response = await client.post(path, content=body, headers=headers)
    assert response.status_code in (200, 202), response.text
    result = response.json()
    if "rows" in result:
        assert result["rejected"] == 0, result
        assert result["accepted"] >= 1


def test_the_guide_has_an_example_for_every_way_to_post() -> None:
    paths = {path.split("?")[0] for path, _, _ in guide_examples()}
    assert paths == {
        f"/intake/schools/{URN}/{endpoint}"
        for endpoint in ("deletion-returns", "admission-returns", "returns.csv", "returns.ctf")
    }


@pytest.fixture
async def mail_hub(pg_hub_env: HubEnv, monkeypatch: pytest.MonkeyPatch) -> tuple[Hub, int]:
    port = free_port()
    monkeypatch.setenv("CMEHUB_INTAKE_SMTP_PORT", str(port))
    monkeypatch.setenv("CMEHUB_INTAKE_MAILBOX", "cme@council.example")
    return await pg_hub_env.start(ALL_SERVICES, ["intake", "eligibility"]), port


def send_mail(port: int, message: EmailMessage) -> dict[str, tuple[int, bytes]]:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        return smtp.send_message(message)  # refused recipients; raises if all refused


async def test_email_to_the_team_becomes_a_concern_once_even_if_resent(
    mail_hub: tuple[Hub, int],
) -> None:
    hub, port = mail_hub
    probe = await Probe(hub.connection, hub.topology.exchange).start(["intake.#"])
    message = EmailMessage()
    message["From"] = "Health Visitor <hv@nhs.example>"
    message["To"] = "cme@council.example"
    message["Subject"] = "Child not in school"
    message["Message-ID"] = "<visit-42@nhs.example>"
    message.set_content("A 9 year old at 4 Mill Street, Crewe says she has no school place.")
    await asyncio.to_thread(send_mail, port, message)
    await asyncio.to_thread(send_mail, port, message)  # the sender's server retries
    [event] = await probe.wait_for("intake.concern-reported")
    assert event["payload"]["channel"] == "email"
    assert event["payload"]["reporter"]["email"] == "hv@nhs.example"
    async with hub.services["intake"].store.transaction() as tx:
        [row] = (await tx.session.execute(select(submissions))).all()
    assert row.original == message.as_bytes().replace(b"\n", b"\r\n")  # as SMTP carried it
    assert row.content_type == "message/rfc822"


async def test_email_to_another_address_is_refused(mail_hub: tuple[Hub, int]) -> None:
    _hub, port = mail_hub
    message = EmailMessage()
    message["From"] = "someone@example.com"
    message["To"] = "payroll@council.example"
    message["Subject"] = "Hello"
    message.set_content("wrong mailbox")
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        await asyncio.to_thread(send_mail, port, message)
