"""The identity database: principals and their API keys."""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, MetaData, String, Table

from adapters.store.columns import UtcDateTime

metadata = MetaData()

principals = Table(
    "principals",
    metadata,
    Column("id", String(120), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("scopes", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("disabled_at", UtcDateTime),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("key_id", String(16), primary_key=True),
    Column("principal_id", String(120), ForeignKey("principals.id"), nullable=False, index=True),
    Column("secret_hash", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
)
