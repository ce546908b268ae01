"""police-notifier's tables: alerts, their deliveries (the durable to-do of HTTP sends), the
signatures of acknowledgements already used (replay protection) and closed cases."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
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

alerts = Table(
    "alerts",
    metadata,
    Column("alert_id", Uuid, primary_key=True),
    Column("alert_request_id", Uuid, nullable=False, unique=True),
    Column("case_id", Uuid, nullable=False, index=True),
    Column("correlation_id", Uuid, nullable=False),
    Column("force", String(40)),
    Column("priority", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("content", JSON, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("resends", Integer, nullable=False),
    Column("police_reference", String(100)),
    Column("escalated", Boolean, nullable=False),
    Column("outcome", String(40)),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime),
    Column("acknowledged_at", UtcDateTime),
    Column("cancelled_at", UtcDateTime),
    Column("updated_at", UtcDateTime, nullable=False),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("delivery_id", BigId, primary_key=True, autoincrement=True),
    Column("alert_id", Uuid, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("idempotency_key", String(200), nullable=False, unique=True),
    Column("body", LargeBinary, nullable=False),
    Column("state", String(20), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("claimed_until", UtcDateTime),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("delivered_at", UtcDateTime),
    Column("failure_reported", Boolean, nullable=False),
)
Index("ix_deliveries_alert", deliveries.c.alert_id, deliveries.c.delivery_id)
Index(
    "ix_deliveries_due",
    deliveries.c.due_at,
    postgresql_where=deliveries.c.state == "pending",
    sqlite_where=deliveries.c.state == "pending",
)

used_signatures = Table(
    "used_signatures",
    metadata,
    Column("signature", String(64), primary_key=True),
    Column("alert_id", Uuid, nullable=False),
    Column("signed_at", BigInteger, nullable=False, index=True),
    Column("used_at", UtcDateTime, nullable=False),
)

closed_cases = Table(
    "closed_cases",
    metadata,
    Column("case_id", Uuid, primary_key=True),
    Column("outcome", String(40), nullable=False),
    Column("closed_at", UtcDateTime, nullable=False),
)
