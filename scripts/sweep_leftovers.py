"""Remove what interrupted test and benchmark runs left on the local broker and database.

A namespace counts as abandoned when none of its queues has a consumer. Its queues (each
quorum queue holds file handles on the broker) and exchange are deleted, and its PostgreSQL
schemas dropped. Run by .ci/run before the suite; safe to run by hand. Needs the local
``rabbitmqctl`` (to list queues) and AMQP_URL / DATABASE_URL.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
from collections import defaultdict

import aio_pika
import asyncpg

LEFTOVER = re.compile(r"^(t[0-9a-f]{12}|bench[0-9a-f]{6,})\.")


def leftover_queues() -> tuple[dict[str, list[str]], set[str]]:
    """(abandoned namespaces with their queues, namespaces still in use)."""
    listed = subprocess.run(
        ["rabbitmqctl", "-q", "list_queues", "name", "consumers"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    queues: dict[str, list[str]] = defaultdict(list)
    consumers: dict[str, int] = defaultdict(int)
    for line in listed.splitlines():
        name, _, count = line.rpartition("\t")
        if (match := LEFTOVER.match(name)) and count.isdigit():
            queues[match[1]].append(name)
            consumers[match[1]] += int(count)
    abandoned = {ns: names for ns, names in queues.items() if consumers[ns] == 0}
    return abandoned, set(queues) - set(abandoned)


async def sweep(amqp_url: str, database_url: str) -> None:
    leftovers, in_use = leftover_queues()
    connection = await aio_pika.connect(amqp_url)
    channel = await connection.channel()
    for namespace, names in leftovers.items():
        for name in names:
            await channel.queue_delete(name)
        await channel.exchange_delete(f"{namespace}.events")
    await connection.close()
    schemas = 0
    if database_url.startswith("postgresql"):
        schemas = await _drop_schemas(database_url, keep=in_use)
    print(
        f"sweep: removed {len(leftovers)} abandoned namespace(s) "
        f"({sum(map(len, leftovers.values()))} queues) and {schemas} schema(s)"
    )


async def _drop_schemas(database_url: str, *, keep: set[str]) -> int:
    """Drop leftover namespaces' schemas: a namespace with no queues left is no longer used."""
    database = await asyncpg.connect(database_url.replace("postgresql+asyncpg", "postgresql"))
    try:
        rows = await database.fetch("SELECT schema_name FROM information_schema.schemata")
        doomed = [
            r["schema_name"]
            for r in rows
            if LEFTOVER.match(r["schema_name"].replace("_", ".", 1))
            and r["schema_name"].split("_", 1)[0] not in keep
        ]
        for schema in doomed:
            await database.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        return len(doomed)
    finally:
        await database.close()


if __name__ == "__main__":
    asyncio.run(sweep(os.environ["AMQP_URL"], os.environ.get("DATABASE_URL", "")))
