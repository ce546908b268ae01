"""One database per service: a SQLite file in the data folder, or a PostgreSQL schema.

``DATABASE_URL`` names either a PostgreSQL server (``postgresql+asyncpg://…/db``: each service
gets the schema ``<namespace>_<service>`` in that database) or a folder for SQLite files
(``sqlite+aiosqlite:///data``: each service gets ``data/<namespace>.<service>.sqlite3``).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

SQLITE_BUSY_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class DatabaseLocation:
    url: URL
    schema: str | None

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"


def locate(database_url: str, service: str, namespace: str) -> DatabaseLocation:
    """Where one service's tables live, from the hub-wide ``DATABASE_URL``."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        folder = Path(url.database or "data")
        file = folder / f"{namespace}.{service}.sqlite3"
        return DatabaseLocation(url.set(drivername="sqlite+aiosqlite", database=str(file)), None)
    if backend == "postgresql":
        schema = f"{namespace}_{service}".replace("-", "_").replace(".", "_")
        return DatabaseLocation(url.set(drivername="postgresql+asyncpg"), schema)
    raise ValueError(f"DATABASE_URL must be sqlite or postgresql, not {backend!r}")


def create_engine(location: DatabaseLocation, **options: Any) -> AsyncEngine:
    if location.is_sqlite:
        Path(location.url.database or ".").parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(location.url, **options)
        _serialise_sqlite_writes(engine)
        return engine
    server_settings = {"search_path": location.schema or "public", "timezone": "UTC"}
    return create_async_engine(
        location.url,
        connect_args={"server_settings": server_settings},
        pool_pre_ping=True,
        **options,
    )


async def ensure_schema(location: DatabaseLocation) -> None:
    """Create the service's PostgreSQL schema if it is missing (SQLite: nothing to do)."""
    if location.schema is None:
        return
    engine = create_async_engine(location.url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{location.schema}"'))
    finally:
        await engine.dispose()


async def drop_schema(location: DatabaseLocation) -> None:
    """Remove a service's data entirely (tests and throwaway namespaces)."""
    if location.schema is None:
        await asyncio.to_thread(_remove_sqlite_files, Path(location.url.database or ""))
        return
    engine = create_async_engine(location.url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA IF EXISTS "{location.schema}" CASCADE'))
    finally:
        await engine.dispose()


def _remove_sqlite_files(path: Path) -> None:
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        file.unlink(missing_ok=True)


def _serialise_sqlite_writes(engine: AsyncEngine) -> None:
    """WAL, a busy timeout and BEGIN IMMEDIATE: writers queue instead of failing with SQLITE_BUSY.

    A deferred transaction that reads and then writes can deadlock with another writer, and
    SQLite's busy handler does not resolve that; taking the write lock at BEGIN avoids it.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
