"""Messaging tables: outbox, inbox, timers.

Revision ID: messaging_0001
Revises:
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from adapters.store.columns import BigId, UtcDateTime

revision: str = "messaging_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("messaging",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("message_id", sa.Uuid, nullable=False, unique=True),
        sa.Column("routing_key", sa.String(200), nullable=False),
        sa.Column("message_type", sa.String(200), nullable=False),
        sa.Column("correlation_id", sa.Uuid, nullable=False),
        sa.Column("occurred_at", UtcDateTime, nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("published_at", UtcDateTime),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", UtcDateTime, nullable=False),
        sa.Column("last_error", sa.Text),
    )
    pending = sa.text("published_at IS NULL")
    op.create_index(
        "ix_outbox_pending",
        "outbox",
        ["next_attempt_at", "id"],
        postgresql_where=pending,
        sqlite_where=pending,
    )
    op.create_index("ix_outbox_published_at", "outbox", ["published_at"])
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(100), primary_key=True),
        sa.Column("message_id", sa.Uuid, primary_key=True),
        sa.Column("message_type", sa.String(200), nullable=False),
        sa.Column("handled_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "timers",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(200), nullable=False, unique=True),
        sa.Column("kind", sa.String(100), nullable=False),
        sa.Column("due_at", UtcDateTime, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("fired_at", UtcDateTime),
        sa.Column("cancelled_at", UtcDateTime),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
    )
    due = sa.text("fired_at IS NULL AND cancelled_at IS NULL")
    op.create_index("ix_timers_due", "timers", ["due_at"], postgresql_where=due, sqlite_where=due)


def downgrade() -> None:
    op.drop_table("timers")
    op.drop_table("inbox")
    op.drop_table("outbox")
