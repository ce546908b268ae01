"""intake's tables: a receipt for every submission, with the original as received."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Uuid,
)

from adapters.store.columns import BigId, UtcDateTime

metadata = MetaData()

batches = Table(
    "batches",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("reference", String(40), nullable=False, unique=True),
    Column("principal_id", String(120), nullable=False),
    Column("school_urn", String(6), nullable=False),
    Column("idempotency_key", String(200)),
    Column("fingerprint", String(64), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("original", LargeBinary, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("accepted", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("results", JSON, nullable=False),
)
Index("ux_batches_idempotency", batches.c.principal_id, batches.c.idempotency_key, unique=True)

submissions = Table(
    "submissions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("reference", String(40), nullable=False, unique=True),
    Column("kind", String(40), nullable=False),
    Column("channel", String(40), nullable=False),
    Column("principal_id", String(120)),
    Column("school_urn", String(6)),
    Column("batch_id", BigId, ForeignKey("batches.id")),
    Column("idempotency_key", String(200)),
    Column("fingerprint", String(64), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("original", LargeBinary, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("message_id", Uuid, nullable=False),
    Column("warnings", JSON, nullable=False),
)
Index(
    "ux_submissions_idempotency",
    submissions.c.principal_id,
    submissions.c.idempotency_key,
    unique=True,
)
