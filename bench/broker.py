"""The hub's broker adapter against plain aio-pika, on the real broker, with the same durability.

Run::

    .venv/bin/python -m bench.broker [--messages N] [--size BYTES] [--window W]
                                     [--prefetch P] [--json OUT]

Method
------
Each run creates a throwaway namespace ``bench<uuid>``: a durable topic exchange and one quorum
queue per scenario, declared by the adapter's own ``build_topology`` + ``declare_topology``, so
both sides meet exactly the production queue arguments (``x-queue-type=quorum``, at-least-once
dead-lettering, ``x-delivery-limit``, ``x-overflow=reject-publish``). Both sides use a robust
connection of their own, persistent messages with the same AMQP properties, publisher confirms,
``mandatory`` with returns raised, a publish timeout, manual acks and the same prefetch. Only the
code between the caller and aio-pika differs:

publish
    N messages of ``--size`` bytes of JSON, at most ``--window`` unconfirmed at once
    (``asyncio.Semaphore`` + ``gather``). Ours: ``Publisher.publish(OutgoingMessage(...))``;
    plain: ``exchange.publish(aio_pika.Message(...), mandatory=True)``. A message's latency runs
    from getting a window slot to its confirm (the caller's window is the same size as the
    Publisher's own, so the Publisher's semaphore never makes anyone wait).
consume
    a queue pre-filled with N messages (unmeasured) is drained. Ours: ``Consumer`` with a no-op
    processor; plain: ``queue.consume`` + ``message.ack()``. Timed from opening the consumer
    to the N-th message reaching the handler.
pipeline
    four stages; each consumes its queue and publishes (confirmed) to the next stage's routing
    key, then acks its input. Ours: a ``Consumer`` + ``Publisher`` per stage; plain: a consume
    channel + confirm channel per stage. The driver publishes to stage 1 keeping ``--window``
    messages in the pipeline (closed loop); stage 4 measures end-to-end latency from a
    timestamp in the body. The same pipeline with one message in flight gives the unloaded
    latency of four hops.

Every scenario is warmed up on both sides (unmeasured), then measured ``--repeats`` times with
ours and plain taking turns to go first, after ``--pause`` seconds of quiet; the table shows the
median run, the min-max spread, the median of each run's latency percentiles, and the CPU time
the benchmark process spent per message (user + system, all of it the client's: the adapter,
aio-pika, aiormq, pamqp and the event loop). On a shared machine CPU per message moves much less
than messages per second, so it is the better gauge of what the adapter itself costs.

Queues are checked empty (or full) between runs. The namespace is deleted at the end, also on
error or Ctrl-C, retrying while the broker restarts; ``--delete-namespace bench<uuid>`` removes
what a killed run left. Nothing here asserts on timing.

Modules: ``bench.harness`` (configuration, message shapes, timing, the namespace),
``bench.scenarios`` (each scenario, ours and plain), ``bench.report`` (statistics, table, JSON).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import aio_pika
import aiormq
from aio_pika.abc import AbstractRobustConnection

from adapters.broker.connection import connect, declare_topology, delete_topology
from adapters.broker.topology import Topology
from bench.harness import DEFAULT_URL, NAMESPACE_PREFIX, Config, Env, bench_topology
from bench.report import Comparison, RunResult, SideSummary, render_environment, render_table
from bench.scenarios import Scenario, scenarios

CLEAN_UP_ATTEMPTS = 60  # one a second


# --- measuring ---------------------------------------------------------------------------------


async def measure(env: Env, scenario: Scenario) -> Comparison:
    warmup = min(env.config.warmup, scenario.messages)
    progress(f"{scenario.title}: warm-up ({warmup} messages per side)")
    await scenario.ours(env, warmup)
    await scenario.plain(env, warmup)
    runs: dict[str, list[RunResult]] = {"ours": [], "plain": []}
    for repeat in range(env.config.repeats):
        order = ("ours", "plain") if repeat % 2 == 0 else ("plain", "ours")
        for side in order:
            runner = scenario.ours if side == "ours" else scenario.plain
            await asyncio.sleep(env.config.pause)  # let the broker finish the last run's work
            result = await runner(env, scenario.messages)
            runs[side].append(result)
            progress(f"{scenario.title}: run {repeat + 1} {side}: {result.rate:,.0f} msg/s")
    return Comparison(
        scenario.name,
        scenario.title,
        SideSummary(runs["ours"]),
        SideSummary(runs["plain"]),
        scenario.with_latency,
    )


def progress(text: str) -> None:
    print(f"  .. {text}", file=sys.stderr, flush=True)


# --- environment description and output ----------------------------------------------------


def broker_version(connection: AbstractRobustConnection) -> str:
    transport = connection.transport
    if transport is None:
        return "unknown"
    properties = transport.connection.server_properties
    product, version = properties.get("product", "?"), properties.get("version", "?")
    return f"{_text(product)} {_text(version)}"


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def environment(env: Env, load_before: tuple[float, ...]) -> dict[str, Any]:
    config = env.config
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "broker": env.broker,
        "namespace": env.topology.namespace,
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "aio-pika": metadata.version("aio-pika"),
        "aiormq": metadata.version("aiormq"),
        "pamqp": metadata.version("pamqp"),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "messages": config.messages,
        "pipeline_messages": config.pipeline_messages,
        "latency_messages": config.latency_messages,
        "size_bytes": config.size,
        "window": config.window,
        "prefetch": config.prefetch,
        "repeats": config.repeats,
        "warmup_messages": config.warmup,
        "pause_s": config.pause,
    }


def write_json(path: Path, meta: dict[str, Any], comparisons: Sequence[Comparison]) -> None:
    document = {"environment": meta, "results": {c.name: c.as_json() for c in comparisons}}
    path.write_text(json.dumps(document, indent=2) + "\n")


# --- running --------------------------------------------------------------------------------


async def run(config: Config) -> None:
    load_before = os.getloadavg()
    topology = bench_topology(f"{NAMESPACE_PREFIX}{uuid.uuid4().hex[:12]}")
    admin = await connect(config.url, name="bench admin")
    connections: list[AbstractRobustConnection] = [admin]
    try:
        await declare_topology(admin, topology)
        progress(f"namespace {topology.namespace} declared on {config.url.split('@')[-1]}")
        ours = await connect(config.url, name="bench ours")
        connections.append(ours)
        plain = await aio_pika.connect_robust(
            config.url, client_properties={"connection_name": "bench plain"}
        )
        connections.append(plain)
        env = Env(config, topology, ours, plain, admin, broker_version(admin))
        comparisons = [await measure(env, scenario) for scenario in scenarios(config)]
        meta = environment(env, load_before)
        print(render_environment(meta), end="\n\n")
        print(render_table(comparisons))
        if config.json_out is not None:
            write_json(config.json_out, meta, comparisons)
    finally:
        await clean_up(config.url, topology, connections)


async def clean_up(
    url: str, topology: Topology, connections: Sequence[AbstractRobustConnection]
) -> None:
    """Close everything, then delete the namespace on a fresh connection.

    The broker is shared: someone else's test may be restarting it, so keep trying for a while,
    and if that fails say how to delete the namespace by hand.
    """
    for connection in connections:
        try:
            await connection.close()
        except Exception as error:  # noqa: BLE001 - keep going: the namespace must go
            progress(f"closing a connection failed: {error!r}")
    failure: Exception | None = None
    for _ in range(CLEAN_UP_ATTEMPTS):
        try:
            await delete_namespace(url, topology.namespace)
        except (aiormq.exceptions.AMQPError, OSError) as error:
            failure = error
            await asyncio.sleep(1.0)
        else:
            progress(f"deleted namespace {topology.namespace}")
            return
    progress(
        f"could not delete namespace {topology.namespace} ({failure!r}); run "
        f".venv/bin/python -m bench.broker --delete-namespace {topology.namespace}"
    )


async def delete_namespace(url: str, namespace: str) -> None:
    if not namespace.startswith(NAMESPACE_PREFIX):
        raise SystemExit(f"refusing to delete {namespace!r}: not a benchmark namespace")
    connection = await connect(url, name="bench clean-up")
    try:
        await delete_topology(connection, bench_topology(namespace))
    finally:
        await connection.close()


def parse_args(argv: Sequence[str] | None = None) -> Config:
    parser = argparse.ArgumentParser(
        prog="python -m bench.broker",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--url", default=DEFAULT_URL, help="AMQP URL (default: $AMQP_URL or local)")
    parser.add_argument("--messages", type=int, default=20_000, help="publish/consume messages")
    parser.add_argument("--size", type=int, default=1024, help="JSON body size in bytes")
    parser.add_argument("--window", type=int, default=256, help="unconfirmed publishes at once")
    parser.add_argument("--prefetch", type=int, default=16, help="consumer prefetch")
    parser.add_argument("--repeats", type=int, default=3, help="measured runs per side")
    parser.add_argument("--warmup", type=int, default=2_000, help="warm-up messages per side")
    parser.add_argument("--pipeline-messages", type=int, default=5_000, help="loaded pipeline")
    parser.add_argument("--latency-messages", type=int, default=1_000, help="1-in-flight pipeline")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds of quiet before a run")
    parser.add_argument(
        "--only",
        nargs="+",
        default=["publish", "consume", "pipeline", "latency"],
        choices=["publish", "consume", "pipeline", "latency"],
    )
    parser.add_argument("--json", type=Path, default=None, help="also write results as JSON")
    parser.add_argument(
        "--delete-namespace",
        metavar="NAMESPACE",
        help="only delete the queues and exchange a killed run left behind, then exit",
    )
    args = parser.parse_args(argv)
    return Config(
        url=args.url,
        messages=args.messages,
        size=args.size,
        window=args.window,
        prefetch=args.prefetch,
        repeats=args.repeats,
        warmup=args.warmup,
        pipeline_messages=args.pipeline_messages,
        latency_messages=args.latency_messages,
        pause=args.pause,
        delete_namespace=args.delete_namespace,
        scenarios=tuple(args.only),
        json_out=args.json,
    )


def main(argv: Sequence[str] | None = None) -> None:
    config = parse_args(argv)
    if config.delete_namespace is not None:
        asyncio.run(delete_namespace(config.url, config.delete_namespace))
    else:
        asyncio.run(run(config))


if __name__ == "__main__":
    main()
