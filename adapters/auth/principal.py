"""A caller and what it may do.

Scopes: ``school:<URN>`` (post returns for that school only), ``police:<force>`` (its own
alerts), ``la:<code>`` (another local authority), ``officer`` (CME officers), ``admin``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    id: str
    name: str
    scopes: frozenset[str]

    @property
    def is_officer(self) -> bool:
        return "officer" in self.scopes or self.is_admin

    @property
    def is_admin(self) -> bool:
        return "admin" in self.scopes

    def may_act_for_school(self, urn: str) -> bool:
        return f"school:{urn}" in self.scopes or self.is_admin

    def schools(self) -> list[str]:
        return sorted(s.removeprefix("school:") for s in self.scopes if s.startswith("school:"))
