"""intake: batches and submissions (receipts).

Revision ID: intake_0001
Revises:
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from adapters.store.columns import BigId, UtcDateTime

revision: str = "intake_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("intake",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "batches",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("reference", sa.String(40), nullable=False, unique=True),
        sa.Column("principal_id", sa.String(120), nullable=False),
        sa.Column("school_urn", sa.String(6), nullable=False),
        sa.Column("idempotency_key", sa.String(200)),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("original", sa.LargeBinary, nullable=False),
        sa.Column("received_at", UtcDateTime, nullable=False),
        sa.Column("accepted", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Integer, nullable=False),
        sa.Column("results", sa.JSON, nullable=False),
    )
    op.create_index(
        "ux_batches_idempotency", "batches", ["principal_id", "idempotency_key"], unique=True
    )
    op.create_table(
        "submissions",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("reference", sa.String(40), nullable=False, unique=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("principal_id", sa.String(120)),
        sa.Column("school_urn", sa.String(6)),
        sa.Column("batch_id", BigId, sa.ForeignKey("batches.id")),
        sa.Column("idempotency_key", sa.String(200)),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("original", sa.LargeBinary, nullable=False),
        sa.Column("received_at", UtcDateTime, nullable=False),
        sa.Column("message_id", sa.Uuid, nullable=False),
        sa.Column("warnings", sa.JSON, nullable=False),
    )
    op.create_index(
        "ux_submissions_idempotency",
        "submissions",
        ["principal_id", "idempotency_key"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_table("submissions")
    op.drop_table("batches")
