"""The messaging tables every service database has: outbox, inbox and timers."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
)

from adapters.store.columns import BigId, UtcDateTime

metadata = MetaData()

outbox = Table(
    "outbox",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("message_id", Uuid, nullable=False, unique=True),
    Column("routing_key", String(200), nullable=False),
    Column("message_type", String(200), nullable=False),
    Column("correlation_id", Uuid, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("published_at", UtcDateTime),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("last_error", Text),
)
Index(
    "ix_outbox_pending",
    outbox.c.next_attempt_at,
    outbox.c.id,
    postgresql_where=outbox.c.published_at.is_(None),
    sqlite_where=outbox.c.published_at.is_(None),
)
Index("ix_outbox_published_at", outbox.c.published_at)

inbox = Table(
    "inbox",
    metadata,
    Column("consumer", String(100), primary_key=True),
    Column("message_id", Uuid, primary_key=True),
    Column("message_type", String(200), nullable=False),
    Column("handled_at", UtcDateTime, nullable=False),
)

timers = Table(
    "timers",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("kind", String(100), nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("data", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("fired_at", UtcDateTime),
    Column("cancelled_at", UtcDateTime),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
)
Index(
    "ix_timers_due",
    timers.c.due_at,
    postgresql_where=timers.c.fired_at.is_(None) & timers.c.cancelled_at.is_(None),
    sqlite_where=timers.c.fired_at.is_(None) & timers.c.cancelled_at.is_(None),
)
