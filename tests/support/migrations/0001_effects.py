"""Effects table of the test sink service.

Revision ID: sink_0001
Revises:
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "sink_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("sink",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "effects",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("message_id", sa.Uuid, nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("consumer", sa.String(50), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("effects")
