"""Alembic migrations for one service database: the shared messaging tables plus its own.

The messaging tables (branch ``messaging``) live in ``adapters/store/migrations/versions``;
a service's own tables live in ``services/<name>/migrations`` as a branch labelled with the
service name. ``upgrade`` brings every branch to its head.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(service_locations: Iterable[Path] = (), *, messaging: bool = True) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    locations = [*([MIGRATIONS / "versions"] if messaging else []), *service_locations]
    config.set_main_option("version_locations", ":".join(str(p) for p in locations))
    return config


async def upgrade(
    engine: AsyncEngine, service_locations: Iterable[Path] = (), *, messaging: bool = True
) -> None:
    """Bring the database to the head of every branch (``messaging``: the outbox, inbox and
    timer tables every service has; off for databases that are not a service's)."""
    config = alembic_config(service_locations, messaging=messaging)
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade, config)


def _upgrade(connection: Connection, config: Config) -> None:
    config.attributes["connection"] = connection
    command.upgrade(config, "heads")
