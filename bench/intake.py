"""Intake throughput and latency: deletion returns over HTTP through to the published event.

A real ``cmehub run intake`` process (its own namespace, on SQLite and/or PostgreSQL) is driven
over loopback HTTP by this process, which also listens on the events exchange with a private
queue and notes when each return's ``intake.roll-off-notified`` event arrives. So every number
includes the whole path: HTTP, authentication, validation, the receipt and outbox rows in one
transaction, the relay's confirmed publish, and the broker.

- throughput: ``--requests`` returns sent by ``--concurrency`` clients as fast as intake answers
  (closed loop); returns/s from the first request to the last event.
- latency: returns sent at a steady ``--rate`` for ``--duration`` seconds (open loop: a slow
  answer does not slow the sender); per return, the time to the HTTP answer and to the event.

    .venv/bin/python -m bench.intake --database both --json bench/results/intake.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import aio_pika
import httpx
from aio_pika.abc import AbstractIncomingMessage

from bench.report import percentile
from tests.support.process import HubProcess, hub_process

URN = "100000"
DEFAULT_AMQP = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
DEFAULT_PG = os.environ.get("DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


@dataclass
class Arrivals:
    """When each reference's event was seen on the exchange (monotonic seconds)."""

    at: dict[str, float] = field(default_factory=dict)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def on_message(self, message: AbstractIncomingMessage) -> None:
        self.at[json.loads(message.body)["payload"]["reference"]] = time.monotonic()
        self.changed.set()

    async def all_of(self, references: Sequence[str], timeout: float = 300.0) -> None:
        deadline = time.monotonic() + timeout
        while not all(r in self.at for r in references):
            self.changed.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                missing = sum(r not in self.at for r in references)
                raise TimeoutError(f"{missing} events never arrived")
            await asyncio.wait_for(self.changed.wait(), remaining)


@dataclass(frozen=True)
class Sent:
    reference: str
    sent: float
    answered: float


def deletion_return(n: int) -> dict[str, Any]:
    yesterday = date.today() - timedelta(days=1)
    return {
        "pupil": {
            "name": {"forenames": f"Pupil{n}", "surname": "Bench"},
            "date_of_birth": "2014-03-02",
            "gender": "U",
            "address": {"lines": [f"{n} Mill Street"], "postcode": "CW1 2BJ"},
        },
        "parents": [
            {
                "name": {"forenames": "Parent", "surname": "Bench"},
                "relationship": "mother",
                "emergency_phones": ["07700 900123"],
                "lives_with_pupil": True,
            }
        ],
        "ground": "i",
        "deletion_date": yesterday.isoformat(),
        "reasonable_enquiries_on": yesterday.isoformat(),
    }


async def post(client: httpx.AsyncClient, n: int) -> Sent:
    sent = time.monotonic()
    response = await client.post(f"/intake/schools/{URN}/deletion-returns", json=deletion_return(n))
    response.raise_for_status()
    return Sent(response.json()["reference"], sent, time.monotonic())


async def throughput(
    client: httpx.AsyncClient, arrivals: Arrivals, requests: int, concurrency: int
) -> dict[str, float]:
    numbers = iter(range(requests))
    sent: list[Sent] = []

    async def worker() -> None:
        for n in numbers:
            sent.append(await post(client, n))

    started = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    answered = time.monotonic()
    await arrivals.all_of([s.reference for s in sent])
    finished = max(arrivals.at[s.reference] for s in sent)
    return {
        "requests": requests,
        "concurrency": concurrency,
        "answered_per_s": round(requests / (answered - started), 1),
        "end_to_end_per_s": round(requests / (finished - started), 1),
    }


async def steady(
    client: httpx.AsyncClient, arrivals: Arrivals, rate: float, duration: float
) -> dict[str, float]:
    count = int(rate * duration)
    start = time.monotonic()

    async def at_its_time(n: int) -> Sent:
        await asyncio.sleep(max(0.0, start + n / rate - time.monotonic()))
        return await post(client, 1_000_000 + n)

    sent = await asyncio.gather(*(at_its_time(n) for n in range(count)))
    await arrivals.all_of([s.reference for s in sent])
    answer_ms = [(s.answered - s.sent) * 1000 for s in sent]
    event_ms = [(arrivals.at[s.reference] - s.sent) * 1000 for s in sent]
    return {
        "rate_per_s": rate,
        "requests": count,
        **{f"answer_p{p}_ms": round(percentile(answer_ms, p), 1) for p in (50, 95, 99)},
        **{f"event_p{p}_ms": round(percentile(event_ms, p), 1) for p in (50, 95, 99)},
        "event_max_ms": round(max(event_ms), 1),
    }


def school_key(hub: HubProcess) -> str:
    added = hub.cli("principals", "add-school", URN, "--name", "Bench School")
    key = re.search(r"cmeh_[0-9a-f]{16}_\S{43}", added.stdout)
    if key is None:
        raise RuntimeError(f"could not create the school's key: {added.stderr}")
    return key[0]


async def listen(hub: HubProcess, arrivals: Arrivals) -> aio_pika.abc.AbstractRobustConnection:
    connection = await aio_pika.connect_robust(hub.env["AMQP_URL"])
    channel = await connection.channel()
    queue = await channel.declare_queue(exclusive=True, auto_delete=True)
    exchange = await channel.get_exchange(f"{hub.env['CMEHUB_NAMESPACE']}.events")
    await queue.bind(exchange, routing_key="intake.roll-off-notified.*")
    await queue.consume(arrivals.on_message, no_ack=True)
    return connection


async def measure(hub: HubProcess, args: argparse.Namespace) -> dict[str, Any]:
    arrivals = Arrivals()
    connection = await listen(hub, arrivals)
    headers = {"Authorization": f"Bearer {school_key(hub)}"}
    limits = httpx.Limits(max_connections=max(args.concurrency, 64))
    async with httpx.AsyncClient(
        base_url=hub.url, headers=headers, limits=limits, timeout=60
    ) as client:
        await throughput(client, arrivals, 100, args.concurrency)  # warm-up
        results = {
            "throughput": await throughput(client, arrivals, args.requests, args.concurrency),
            "steady": await steady(client, arrivals, args.rate, args.duration),
        }
    await connection.close()
    return results


def run_on(database: str, args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="bench-intake-"))
    url = f"sqlite+aiosqlite:///{folder / 'data'}" if database == "sqlite" else args.pg_url
    with hub_process(args.amqp_url, url, folder, CMEHUB_LOG_FORMAT="json") as hub:
        hub.start("intake")
        print(f"[{database}] intake ready at {hub.url}; measuring", flush=True)
        return asyncio.run(measure(hub, args))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.intake",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rate", type=float, default=50.0, help="steady rate, returns/s")
    parser.add_argument("--duration", type=float, default=20.0, help="steady run, seconds")
    parser.add_argument("--amqp-url", default=DEFAULT_AMQP)
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    report = {
        "environment": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_before": os.getloadavg(),
        },
        "settings": {k: v for k, v in vars(args).items() if k not in {"json"}},
        "results": {database: run_on(database, args) for database in databases},
    }
    report["settings"] = {k: str(v) for k, v in report["settings"].items()}
    print(json.dumps(report["results"], indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
