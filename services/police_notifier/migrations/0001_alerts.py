"""police-notifier: alerts, deliveries, used acknowledgement signatures, closed cases.

Revision ID: police_notifier_0001
Revises:
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from adapters.store.columns import BigId, UtcDateTime

revision: str = "police_notifier_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("police_notifier",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("alert_id", sa.Uuid, primary_key=True),
        sa.Column("alert_request_id", sa.Uuid, nullable=False, unique=True),
        sa.Column("case_id", sa.Uuid, nullable=False),
        sa.Column("correlation_id", sa.Uuid, nullable=False),
        sa.Column("force", sa.String(40)),
        sa.Column("priority", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("content", sa.JSON, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("resends", sa.Integer, nullable=False),
        sa.Column("police_reference", sa.String(100)),
        sa.Column("escalated", sa.Boolean, nullable=False),
        sa.Column("outcome", sa.String(40)),
        sa.Column("requested_at", UtcDateTime, nullable=False),
        sa.Column("sent_at", UtcDateTime),
        sa.Column("acknowledged_at", UtcDateTime),
        sa.Column("cancelled_at", UtcDateTime),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_alerts_case_id", "alerts", ["case_id"])
    op.create_table(
        "deliveries",
        sa.Column("delivery_id", BigId, primary_key=True, autoincrement=True),
        sa.Column("alert_id", sa.Uuid, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False, unique=True),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("due_at", UtcDateTime, nullable=False),
        sa.Column("claimed_until", UtcDateTime),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("delivered_at", UtcDateTime),
        sa.Column("failure_reported", sa.Boolean, nullable=False),
    )
    op.create_index("ix_deliveries_alert", "deliveries", ["alert_id", "delivery_id"])
    op.create_index(
        "ix_deliveries_due",
        "deliveries",
        ["due_at"],
        postgresql_where=sa.text("state = 'pending'"),
        sqlite_where=sa.text("state = 'pending'"),
    )
    op.create_table(
        "used_signatures",
        sa.Column("signature", sa.String(64), primary_key=True),
        sa.Column("alert_id", sa.Uuid, nullable=False),
        sa.Column("signed_at", sa.BigInteger, nullable=False),
        sa.Column("used_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_used_signatures_signed_at", "used_signatures", ["signed_at"])
    op.create_table(
        "closed_cases",
        sa.Column("case_id", sa.Uuid, primary_key=True),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("closed_at", UtcDateTime, nullable=False),
    )


def downgrade() -> None:
    for table in ("closed_cases", "used_signatures", "deliveries", "alerts"):
        op.drop_table(table)
