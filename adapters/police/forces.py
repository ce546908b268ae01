"""Which police force an alert goes to: a table of forces and routing by postcode area.

A force covers postcode *areas*, the leading letters of a postcode's outward code
("CW1 2BJ" -> "CW", "M1 1AE" -> "M"). A postcode that is missing, malformed or in an area
no force claims goes to the home force (the LA's own). Routing is pure; loading the table
(from JSON, secrets from environment variables) is in ``adapters.police.force_config``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

_FORCE_NAME = re.compile(r"[a-z0-9-]{2,40}")


class NoForce(LookupError):
    """The force table is empty: there is nowhere to send an alert."""


@dataclass(frozen=True)
class Force:
    """A force's webhook endpoint and shared secrets: the first signs, every one verifies
    (so a secret can be rotated without refusing the force's callbacks meanwhile)."""

    name: str
    endpoint: str
    secrets: tuple[bytes, ...] = field(repr=False)
    postcode_areas: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not _FORCE_NAME.fullmatch(self.name):
            raise ValueError(f"force name {self.name!r}: 2-40 lower-case letters, digits or -")
        if not self.secrets or not all(self.secrets):
            raise ValueError(f"force {self.name!r} needs at least one non-empty secret")
        bad = sorted(a for a in self.postcode_areas if not re.fullmatch(r"[A-Z]{1,2}", a))
        if bad:
            raise ValueError(f"force {self.name!r}: postcode areas are 1-2 capitals, not {bad}")

    @property
    def signing_secret(self) -> bytes:
        return self.secrets[0]


@dataclass(frozen=True)
class ForceTable:
    """Every force the hub can alert; ``home`` is the LA's own force (the fallback)."""

    home: str
    forces: Mapping[str, Force]
    by_area: Mapping[str, Force] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.forces and self.home not in self.forces:
            raise ValueError(f"home force {self.home!r} is not in the force table")
        claimed: dict[str, Force] = {}
        for force in self.forces.values():
            for area in force.postcode_areas:
                if area in claimed:
                    raise ValueError(
                        f"postcode area {area} is claimed by both {claimed[area].name!r} and "
                        f"{force.name!r}"
                    )
                claimed[area] = force
        object.__setattr__(self, "by_area", claimed)

    def get(self, name: str) -> Force | None:
        return self.forces.get(name)

    def all_secrets(self) -> tuple[bytes, ...]:
        return tuple(secret for force in self.forces.values() for secret in force.secrets)


_AREA = re.compile(r"^[A-Z]+")


def postcode_area(postcode: str | None) -> str | None:
    """The area of a postcode (or of an outward code alone): its leading letters.

    Case and spaces do not matter: "cw12bj", "CW1 2BJ" and "CW1" are all area "CW".
    """
    if postcode is None:
        return None
    area = _AREA.match(postcode.strip().upper())
    return area[0] if area else None


def route(postcode: str | None, table: ForceTable) -> Force:
    """The force for a child's last known postcode; the home force when it is unknown."""
    if not table.forces:
        raise NoForce("the police force table is empty")
    area = postcode_area(postcode)
    return table.by_area.get(area or "", table.forces[table.home])
