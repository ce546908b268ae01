"""eligibility's tables: child records, the roll index, the EHE register and decisions."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
)

from adapters.store.columns import BigId, UtcDateTime

metadata = MetaData()

children = Table(
    "children",
    metadata,
    Column("child_id", Uuid, primary_key=True),
    Column("upn", String(13), index=True),
    Column("match_key", String(300), index=True),
    Column("date_of_birth", Date),
    Column("postcode", String(8)),
    Column("details", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

enrolments = Table(
    "enrolments",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("child_id", Uuid, ForeignKey("children.child_id"), nullable=False, index=True),
    Column("urn", String(6), nullable=False),
    Column("on_roll_from", Date),
    Column("off_roll_on", Date),
    Column("source_reference", String(64), nullable=False),
)

ehe_register = Table(
    "ehe_register",
    metadata,
    Column("child_id", Uuid, ForeignKey("children.child_id"), primary_key=True),
    Column("notified_on", Date, nullable=False),
    Column("source_reference", String(64), nullable=False),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("reference", String(64), nullable=False),
    Column("child_id", Uuid, ForeignKey("children.child_id"), nullable=False, index=True),
    Column("source", String(20), nullable=False),
    Column("is_cme", Boolean, nullable=False),
    Column("reason", String(60)),
    Column("age_status", String(40), nullable=False),
    Column("criteria", JSON, nullable=False),
    Column("explanation", Text, nullable=False),
    Column("decided_at", UtcDateTime, nullable=False),
    Column("open", Boolean, nullable=False),
    Column("closed_at", UtcDateTime),
    Column("closed_by_reference", String(64)),
)
Index("ix_decisions_open", decisions.c.child_id, decisions.c.open)
