"""The hub's message catalogue: every message model it can read, by (type, version)."""

from __future__ import annotations

from schemas import v1
from schemas.registry import Registry

CATALOGUE = Registry(v1.ALL)
