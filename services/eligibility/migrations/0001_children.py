"""eligibility: children, enrolments (roll index), EHE register, decisions.

Revision ID: eligibility_0001
Revises:
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from adapters.store.columns import BigId, UtcDateTime

revision: str = "eligibility_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("eligibility",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "children",
        sa.Column("child_id", sa.Uuid, primary_key=True),
        sa.Column("upn", sa.String(13)),
        sa.Column("match_key", sa.String(300)),
        sa.Column("date_of_birth", sa.Date),
        sa.Column("postcode", sa.String(8)),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_children_upn", "children", ["upn"])
    op.create_index("ix_children_match_key", "children", ["match_key"])
    op.create_table(
        "enrolments",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("child_id", sa.Uuid, sa.ForeignKey("children.child_id"), nullable=False),
        sa.Column("urn", sa.String(6), nullable=False),
        sa.Column("on_roll_from", sa.Date),
        sa.Column("off_roll_on", sa.Date),
        sa.Column("source_reference", sa.String(64), nullable=False),
    )
    op.create_index("ix_enrolments_child_id", "enrolments", ["child_id"])
    op.create_table(
        "ehe_register",
        sa.Column("child_id", sa.Uuid, sa.ForeignKey("children.child_id"), primary_key=True),
        sa.Column("notified_on", sa.Date, nullable=False),
        sa.Column("source_reference", sa.String(64), nullable=False),
    )
    op.create_table(
        "decisions",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("reference", sa.String(64), nullable=False),
        sa.Column("child_id", sa.Uuid, sa.ForeignKey("children.child_id"), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("is_cme", sa.Boolean, nullable=False),
        sa.Column("reason", sa.String(60)),
        sa.Column("age_status", sa.String(40), nullable=False),
        sa.Column("criteria", sa.JSON, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("decided_at", UtcDateTime, nullable=False),
        sa.Column("open", sa.Boolean, nullable=False),
        sa.Column("closed_at", UtcDateTime),
        sa.Column("closed_by_reference", sa.String(64)),
    )
    op.create_index("ix_decisions_child_id", "decisions", ["child_id"])
    op.create_index("ix_decisions_open", "decisions", ["child_id", "open"])


def downgrade() -> None:
    for table in ("decisions", "ehe_register", "enrolments", "children"):
        op.drop_table(table)
