"""The urgent path: a risk-of-harm concern POSTed to intake until the signed alert reaches the
police, measured while schools keep posting deletion returns at a steady rate.

The whole hub runs as a real ``cmehub run`` process (on PostgreSQL, or SQLite with
``--database sqlite``); this process plays the schools (background load), the public (the
concerns being timed) and the police (the stand-in endpoint on loopback, which verifies each
signature and answers at once). A concern's latency is from just before its POST until the
stand-in received its alert: intake, eligibility, tracing and police-notifier, four hops
through the broker, three database transactions and a signed HTTPS-style webhook.

    .venv/bin/python -m bench.urgent --json bench/results/urgent.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from bench.intake import DEFAULT_AMQP, DEFAULT_PG, deletion_return, school_key
from bench.report import percentile
from cmehub.standins.police import RunningStandin, running_police_standin
from tests.support.police import one_force_env
from tests.support.process import HubProcess, free_port, hub_process

SECRET = b"bench-police-secret-of-at-least-32-bytes"


def concern(n: int) -> dict[str, Any]:
    return {
        "child": {
            "name": {"forenames": "Urgent", "surname": f"Bench{n:05d}"},
            "approximate_age": 12,
            "address": {"lines": ["4 Canal Street"], "postcode": "CW1 3AB"},
        },
        "concern": "Seen with older men late at night; not at school.",
        "risk_indicators": ["sexual-exploitation"],
    }


def alert_times(police: RunningStandin) -> dict[str, float]:
    """When each child's alert arrived, by the surname the bench gave it."""
    return {
        r.body["child"]["name"]["surname"]: r.received_at
        for r in police.received
        if r.kind.value == "alert" and r.body is not None
    }


async def background(client: httpx.AsyncClient, rate: float, stop: asyncio.Event) -> int:
    """Deletion returns at ``rate`` per second until stopped; returns how many were answered."""
    sent, start, pending = 0, time.monotonic(), set()
    while not stop.is_set():
        await asyncio.sleep(max(0.0, start + sent / rate - time.monotonic()))
        task = asyncio.create_task(
            client.post("/intake/schools/100000/deletion-returns", json=deletion_return(sent))
        )
        pending.add(task)
        task.add_done_callback(pending.discard)
        sent += 1
    await asyncio.gather(*pending, return_exceptions=True)
    return sent


async def timed_concerns(
    public: httpx.AsyncClient, police: RunningStandin, count: int, interval: float
) -> list[float]:
    sent: dict[str, float] = {}
    for n in range(count):
        sent[f"Bench{n:05d}"] = time.time()
        response = await public.post("/intake/concerns", json=concern(n))
        response.raise_for_status()
        await asyncio.sleep(interval)
    await police.wait_for(kind="alert", count=count, within_s=120)
    arrived = alert_times(police)
    return [(arrived[name] - at) * 1000 for name, at in sent.items()]


async def measure(
    hub: HubProcess, police: RunningStandin, args: argparse.Namespace
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {school_key(hub)}"}
    async with (
        httpx.AsyncClient(base_url=hub.url, headers=headers, timeout=60) as schools,
        httpx.AsyncClient(base_url=hub.url, timeout=60) as public,
    ):
        stop = asyncio.Event()
        load = asyncio.create_task(background(schools, args.background_rate, stop))
        await asyncio.sleep(2)  # the background load reaches its steady state first
        latencies = await timed_concerns(public, police, args.concerns, args.interval)
        stop.set()
        returns = await load
    return {
        "concerns": args.concerns,
        "background_returns_per_s": args.background_rate,
        "background_returns_sent": returns,
        **{f"p{p}_ms": round(percentile(latencies, p), 1) for p in (50, 95, 99)},
        "max_ms": round(max(latencies), 1),
        "min_ms": round(min(latencies), 1),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="bench-urgent-"))
    database = (
        f"sqlite+aiosqlite:///{folder / 'data'}" if args.database == "sqlite" else args.pg_url
    )
    police_port = free_port()
    with hub_process(
        args.amqp_url,
        database,
        folder,
        CMEHUB_LOG_FORMAT="json",
        **one_force_env(f"http://127.0.0.1:{police_port}/alerts", SECRET),
        CMEHUB_INTAKE_PUBLIC_RATE="1000000/1",
    ) as hub:
        hub.start()
        print(f"hub ready at {hub.url} on {args.database}; measuring", flush=True)
        return asyncio.run(measure_with_police(hub, police_port, args))


async def measure_with_police(
    hub: HubProcess, police_port: int, args: argparse.Namespace
) -> dict[str, Any]:
    async with running_police_standin((SECRET,), mode="response", port=police_port) as police:
        return await measure(hub, police, args)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.urgent",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--concerns", type=int, default=100)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between concerns")
    parser.add_argument(
        "--background-rate", type=float, default=20.0, help="deletion returns per second meanwhile"
    )
    parser.add_argument("--amqp-url", default=DEFAULT_AMQP)
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = {
        "environment": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_before": os.getloadavg(),
        },
        "settings": {k: str(v) for k, v in vars(args).items() if k != "json"},
        "result": run(args),
    }
    print(json.dumps(result["result"], indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
