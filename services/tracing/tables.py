"""tracing's tables: cases, their checks and timeline, police alerts as tracing sees them, and
the audit log of every read and write of case data."""

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

cases = Table(
    "cases",
    metadata,
    Column("case_id", Uuid, primary_key=True),
    Column("child_id", Uuid, nullable=False, index=True),
    Column("status", String(20), nullable=False),
    Column("urgent", Boolean, nullable=False),
    Column("risk_indicators", JSON, nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("trace_by", Date, nullable=False),
    Column("escalated_at", UtcDateTime),
    Column("lost_pupil_upload_requested_at", UtcDateTime),
    Column("assigned_to", String(120)),
    Column("outcome", String(40)),
    Column("closed_at", UtcDateTime),
    Column("correlation_id", Uuid, nullable=False),
    Column("details", JSON, nullable=False),
)
Index("ix_cases_status_trace_by", cases.c.status, cases.c.trace_by)

referrals = Table(
    "referrals",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("case_id", Uuid, ForeignKey("cases.case_id"), nullable=False, index=True),
    Column("reference", String(64), nullable=False),
    Column("source", String(20), nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
)

checks = Table(
    "checks",
    metadata,
    Column("check_id", Uuid, primary_key=True),
    Column("case_id", Uuid, ForeignKey("cases.case_id"), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("performer", String(20), nullable=False),
    Column("target", JSON, nullable=False),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("answer_by", Date),
    Column("result", String(40)),
    Column("note", Text),
    Column("recorded_by", String(120)),
    Column("recorded_at", UtcDateTime),
)

timeline = Table(
    "timeline",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("case_id", Uuid, ForeignKey("cases.case_id"), nullable=False, index=True),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(120), nullable=False),
    Column("event", String(80), nullable=False),
    Column("summary", Text, nullable=False),
    Column("detail", JSON, nullable=False),
)

alerts = Table(
    "alerts",
    metadata,
    Column("alert_request_id", Uuid, primary_key=True),
    Column("case_id", Uuid, ForeignKey("cases.case_id"), nullable=False, index=True),
    Column("priority", String(20), nullable=False),
    Column("risk_level", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("police_reference", String(100)),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

audit = Table(
    "audit",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime, nullable=False),
    Column("principal", String(120), nullable=False),
    Column("action", String(20), nullable=False),
    Column("what", String(200), nullable=False),
    Column("case_id", Uuid, index=True),
)
