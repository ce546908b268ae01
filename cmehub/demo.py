"""``cmehub demo``: watch the hub work. With the hub running (``make run``), it posts sample
returns and concerns, and prints for each what happened: the decision, the case, the police
alert and its acknowledgement, the cancellation. It plays the police itself (the stand-in
police endpoint on loopback) and listens to every event on the hub's exchange."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import aio_pika
import httpx
from aio_pika.abc import AbstractIncomingMessage
from stdnum.gb import upn

from adapters.auth.identity import Identity
from adapters.police.force_config import DEVELOPMENT_SECRET
from cmehub.cli_principals import opened
from cmehub.settings import HubSettings
from cmehub.standins.police import running_police_standin

URN, NEW_URN = "100000", "100001"
Print = Callable[[str], None]


@dataclass(frozen=True)
class Scenario:
    title: str
    path: str
    body: dict[str, Any]
    done_when: tuple[str, ...]
    key: str = "school"


def fresh_upn() -> str:
    """A valid UPN no earlier run used (each run's children are new children)."""
    rest = f"80120002{secrets.randbelow(10_000):04d}"
    return upn.calc_check_digit(rest) + rest


def fresh_surname() -> str:
    return "Demo" + "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(5))


def scenarios(today: date) -> list[Scenario]:
    yesterday = (today - timedelta(days=1)).isoformat()
    family = fresh_surname()
    pupil = {
        "upn": fresh_upn(),
        "name": {"forenames": "Amelia", "surname": family},
        "date_of_birth": "2014-03-02",
        "gender": "F",
        "address": {"lines": ["1 Mill Street"], "town": "Crewe", "postcode": "CW1 2BJ"},
    }
    parent = {
        "name": {"forenames": "Jo", "surname": family},
        "relationship": "mother",
        "emergency_phones": ["07700 900123"],
        "lives_with_pupil": True,
    }
    at_risk = {"forenames": "Tom", "surname": fresh_surname()}
    seen_at = {"lines": ["4 Canal Street"], "town": "Crewe", "postcode": "CW1 3AB"}
    return [
        Scenario(
            "A school deletes a pupil who stopped attending (ground i)",
            f"/intake/schools/{URN}/deletion-returns",
            {
                "pupil": pupil,
                "parents": [parent],
                "ground": "i",
                "deletion_date": yesterday,
                "reasonable_enquiries_on": yesterday,
            },
            ("tracing.check-requested",),
        ),
        Scenario(
            "A school deletes a pupil who moved to another school (ground a)",
            f"/intake/schools/{URN}/deletion-returns",
            {
                "pupil": {
                    **pupil,
                    "upn": fresh_upn(),
                    "name": {"forenames": "Ben", "surname": family},
                },
                "parents": [parent],
                "ground": "a",
                "deletion_date": yesterday,
                "destination_school": {"urn": NEW_URN},
            },
            ("eligibility.not-cme",),
        ),
        Scenario(
            "The public report a child at risk of harm (no date of birth)",
            "/intake/concerns",
            {
                "child": {"name": at_risk, "approximate_age": 11, "address": seen_at},
                "concern": "Not at school for weeks; seen with older men late at night.",
                "risk_indicators": ["sexual-exploitation"],
            },
            ("police-notifier.alert-acknowledged",),
            key="public",
        ),
        Scenario(
            "That child is admitted to a school (new-pupil return)",
            f"/intake/schools/{NEW_URN}/admission-returns",
            {
                "pupil": {
                    "name": at_risk,
                    "date_of_birth": "2014-09-09",
                    "gender": "M",
                    "address": seen_at,
                },
                "admission_date": today.isoformat(),
            },
            ("police-notifier.alert-cancelled",),
            key="new school",
        ),
    ]


class EventTap:
    """Every event on the hub's exchange, grouped by correlation id."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.changed = asyncio.Event()

    async def on_message(self, message: AbstractIncomingMessage) -> None:
        self.events.append(json.loads(message.body))
        self.changed.set()

    def chain_of(self, reference: str) -> list[dict[str, Any]]:
        """The events caused by a submission, and the events about the cases they touched
        (a police cancellation belongs to its alert's chain but is about the same case)."""
        first = next(
            (
                e
                for e in self.events
                if e["payload"].get("reference") == reference and e["type"].startswith("intake.")
            ),
            None,
        )
        if first is None:
            return []
        chain = [e for e in self.events if e["correlation_id"] == first["correlation_id"]]
        case_ids = {e["payload"]["case_id"] for e in chain if "case_id" in e["payload"]}
        return [
            e
            for e in self.events
            if e in chain
            or (
                e["payload"].get("case_id") in case_ids
                and e["occurred_at"] >= chain[-1]["occurred_at"]
            )
        ]

    async def wait_for_chain(
        self, reference: str, done_when: tuple[str, ...], within_s: float
    ) -> list[dict[str, Any]]:
        deadline = asyncio.get_running_loop().time() + within_s
        while not set(done_when) <= {e["type"] for e in self.chain_of(reference)}:
            self.changed.clear()
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                break
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except TimeoutError:
                break
        return self.chain_of(reference)


def describe(event: dict[str, Any]) -> str:
    """One line an officer would understand, without names or other personal data."""
    p, kind = event["payload"], event["type"].split(".", 1)[1]
    lines: dict[str, Callable[[], str]] = {
        "roll-off-notified": lambda: (
            f"deletion return from school {p['school_urn']}, ground {p['ground']}"
        ),
        "admission-notified": lambda: f"new-pupil return from school {p['school_urn']}",
        "concern-reported": lambda: (
            f"concern by {p['channel']}, risk: {', '.join(p['risk_indicators']) or 'none'}"
        ),
        "cme-identified": lambda: f"missing education (age: {p['age_status']})",
        "not-cme": lambda: f"not missing education: {p['explanation']}",
        "back-on-roll": lambda: f"back on roll at school {p['school_urn']}",
        "case-opened": lambda: (
            f"case opened, trace by {p['trace_by']}" + (" (urgent)" if p["urgent"] else "")
        ),
        "check-requested": lambda: f"{p['kind']} check requested",
        "police-alert-requested": lambda: (
            f"{p['priority']} police alert requested (risk {p['risk_level']})"
        ),
        "social-care-referral-recorded": lambda: "referred to children's social care (MASH)",
        "alert-sent": lambda: f"alert delivered to {p['force']} police",
        "alert-acknowledged": lambda: (
            f"{p['force']} police acknowledged (ref {p.get('police_reference') or '-'})"
        ),
        "alert-failed": lambda: f"alert failed: {p['reason']}",
        "alert-cancelled": lambda: f"alert cancelled with {p['force']} police ({p['outcome']})",
        "case-closed": lambda: f"case closed: {p['outcome']}",
    }
    return lines.get(kind, lambda: "")()


async def keys() -> dict[str, dict[str, str]]:
    """API keys for the demo's schools (a key per run; principals are kept)."""
    async with opened() as identity:
        return {
            "school": await _key(identity, URN),
            "new school": await _key(identity, NEW_URN),
            "public": {},
        }


async def _key(identity: Identity, urn: str) -> dict[str, str]:
    principal = f"school:{urn}"
    if principal not in {r.principal.id for r in await identity.records()}:
        await identity.add_principal(principal, f"Demo school {urn}", [principal])
    return {"Authorization": f"Bearer {await identity.issue_key(principal)}"}


async def run_demo(hub_url: str, police_port: int, echo: Print, within_s: float = 30.0) -> int:
    settings = HubSettings()
    tap = EventTap()
    connection = await aio_pika.connect_robust(settings.amqp_url)
    channel = await connection.channel()
    queue = await channel.declare_queue(exclusive=True, auto_delete=True)
    await queue.bind(await channel.get_exchange(f"{settings.namespace}.events"), "#")
    await queue.consume(tap.on_message, no_ack=True)
    headers = await keys()
    failures = 0
    async with (
        running_police_standin(
            (DEVELOPMENT_SECRET,), mode="callback", hub_url=hub_url, port=police_port
        ) as police,
        httpx.AsyncClient(base_url=hub_url, timeout=30) as client,
    ):
        for number, scenario in enumerate(scenarios(date.today()), start=1):
            echo(f"\n{number}. {scenario.title}")
            response = await client.post(
                scenario.path, json=scenario.body, headers=headers[scenario.key]
            )
            if response.status_code >= 300:
                echo(f"   refused ({response.status_code}): {response.text}")
                failures += 1
                continue
            reference = response.json()["reference"]
            echo(f"   reference {reference}")
            chain = await tap.wait_for_chain(reference, scenario.done_when, within_s)
            for event in chain:
                producer, kind = event["type"].split(".", 1)
                echo(f"   {producer:<16} {kind:<30} {describe(event)}")
            if not set(scenario.done_when) <= {e["type"] for e in chain}:
                echo(f"   (still waiting for {', '.join(scenario.done_when)} after {within_s}s)")
                failures += 1
        counts = police.counts()
        echo(
            f"\nThe stand-in police received {counts['alert']} alert(s), "
            f"{counts['cancellation']} cancellation(s), {counts['duplicate']} duplicate(s), "
            f"and acknowledged by signed callback {counts['callbacks']} time(s)."
        )
    await connection.close()
    return failures
