"""tracing: cases, referrals, checks, timeline, alerts, audit.

Revision ID: tracing_0001
Revises:
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from adapters.store.columns import BigId, UtcDateTime

revision: str = "tracing_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("tracing",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("case_id", sa.Uuid, primary_key=True),
        sa.Column("child_id", sa.Uuid, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("urgent", sa.Boolean, nullable=False),
        sa.Column("risk_indicators", sa.JSON, nullable=False),
        sa.Column("opened_at", UtcDateTime, nullable=False),
        sa.Column("trace_by", sa.Date, nullable=False),
        sa.Column("escalated_at", UtcDateTime),
        sa.Column("lost_pupil_upload_requested_at", UtcDateTime),
        sa.Column("assigned_to", sa.String(120)),
        sa.Column("outcome", sa.String(40)),
        sa.Column("closed_at", UtcDateTime),
        sa.Column("correlation_id", sa.Uuid, nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
    )
    op.create_index("ix_cases_child_id", "cases", ["child_id"])
    op.create_index("ix_cases_status_trace_by", "cases", ["status", "trace_by"])
    op.create_table(
        "referrals",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.Uuid, sa.ForeignKey("cases.case_id"), nullable=False),
        sa.Column("reference", sa.String(64), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("received_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_referrals_case_id", "referrals", ["case_id"])
    op.create_table(
        "checks",
        sa.Column("check_id", sa.Uuid, primary_key=True),
        sa.Column("case_id", sa.Uuid, sa.ForeignKey("cases.case_id"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("performer", sa.String(20), nullable=False),
        sa.Column("target", sa.JSON, nullable=False),
        sa.Column("requested_at", UtcDateTime, nullable=False),
        sa.Column("answer_by", sa.Date),
        sa.Column("result", sa.String(40)),
        sa.Column("note", sa.Text),
        sa.Column("recorded_by", sa.String(120)),
        sa.Column("recorded_at", UtcDateTime),
    )
    op.create_index("ix_checks_case_id", "checks", ["case_id"])
    op.create_table(
        "timeline",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.Uuid, sa.ForeignKey("cases.case_id"), nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("event", sa.String(80), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    op.create_index("ix_timeline_case_id", "timeline", ["case_id"])
    op.create_table(
        "alerts",
        sa.Column("alert_request_id", sa.Uuid, primary_key=True),
        sa.Column("case_id", sa.Uuid, sa.ForeignKey("cases.case_id"), nullable=False),
        sa.Column("priority", sa.String(20), nullable=False),
        sa.Column("risk_level", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("police_reference", sa.String(100)),
        sa.Column("requested_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_alerts_case_id", "alerts", ["case_id"])
    op.create_table(
        "audit",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.Column("principal", sa.String(120), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("what", sa.String(200), nullable=False),
        sa.Column("case_id", sa.Uuid),
    )
    op.create_index("ix_audit_case_id", "audit", ["case_id"])


def downgrade() -> None:
    for table in ("audit", "alerts", "timeline", "checks", "referrals", "cases"):
        op.drop_table(table)
