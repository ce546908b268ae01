"""The tracing plan: the checks a newly identified CME child's case starts with.

In order:

1. `last-school` (school-liaison), when the last school is known;
2. `destination-school` (school-liaison), when a destination school is named and is not the
   last school;
3. `other-la` (dfe-exchange), when the destination is in another LA;
4. `siblings-schools` (school-liaison), one per distinct school among the siblings' known schools,
   in the order the siblings are named;
5. the officer checks (by default health, housing, council tax, social care, other schools in
   the area), in `CheckKind` order whatever order they are configured in.

`lost-pupil-database` is never planned at opening: it is an escalation at the deadline. The
reasoning is in docs/tracing-rules.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from schemas.v1.common import CheckKind, SchoolRef


class Performer(StrEnum):
    """Who carries out a check: a service by message, or an officer by hand."""

    SCHOOL_LIAISON = "school-liaison"
    DFE_EXCHANGE = "dfe-exchange"
    OFFICER = "officer"


_K = CheckKind
_P = Performer

PERFORMER_OF: Mapping[CheckKind, Performer] = MappingProxyType(
    {
        _K.LAST_SCHOOL: _P.SCHOOL_LIAISON,
        _K.DESTINATION_SCHOOL: _P.SCHOOL_LIAISON,
        _K.OTHER_SCHOOLS_IN_AREA: _P.OFFICER,
        _K.SIBLINGS_SCHOOLS: _P.SCHOOL_LIAISON,
        _K.OTHER_LA: _P.DFE_EXCHANGE,
        _K.HEALTH: _P.OFFICER,
        _K.HOUSING: _P.OFFICER,
        _K.COUNCIL_TAX: _P.OFFICER,
        _K.SOCIAL_CARE: _P.OFFICER,
        _K.LOST_PUPIL_DATABASE: _P.DFE_EXCHANGE,
    }
)
"""Check kind -> who performs it (every kind has a row)."""

OFFICER_CHECK_KINDS = frozenset(k for k, p in PERFORMER_OF.items() if p is Performer.OFFICER)
"""The kinds that may be configured as officer checks: they need no school or LA target."""

DEFAULT_OFFICER_CHECKS = (
    CheckKind.HEALTH,
    CheckKind.HOUSING,
    CheckKind.COUNCIL_TAX,
    CheckKind.SOCIAL_CARE,
    CheckKind.OTHER_SCHOOLS_IN_AREA,
)


@dataclass(frozen=True)
class PlannedCheck:
    """One check in a case's plan."""

    kind: CheckKind
    performer: Performer
    target_school: SchoolRef | None = None
    target_la_code: str | None = None
    sibling_index: int | None = None  # which sibling, for siblings-schools checks


@dataclass(frozen=True)
class PlanInput:
    """What the plan depends on, taken from the cme-identified message and the settings."""

    last_known_school: SchoolRef | None
    destination_school: SchoolRef | None
    destination_la_code: str | None  # when known (e.g. from a destination school's LA code)
    sibling_schools: tuple[SchoolRef | None, ...]  # one entry per sibling named (None: unknown)
    home_la_code: str  # this LA


def normalised_name(name: str) -> str:
    return " ".join(name.casefold().split())


def same_school(a: SchoolRef, b: SchoolRef) -> bool:
    """By URN when either has one; otherwise by name (case and spacing aside), within one LA.

    A URN on one side and only a name on the other is not the same school, nor are two schools
    of the same name in different LAs ("St Mary's" is everywhere): asking twice is better than
    not asking.
    """
    if a.urn is not None or b.urn is not None:
        return a.urn == b.urn
    if a.la_code is not None and b.la_code is not None and a.la_code != b.la_code:
        return False
    return normalised_name(a.name or "") == normalised_name(b.name or "")


def destination_la(plan: PlanInput) -> str | None:
    """The destination LA: as given, else the destination school's LA code, else unknown."""
    if plan.destination_la_code is not None:
        return plan.destination_la_code
    return plan.destination_school.la_code if plan.destination_school is not None else None


def school_checks(plan: PlanInput) -> Iterator[PlannedCheck]:
    last, destination = plan.last_known_school, plan.destination_school
    if last is not None:
        yield PlannedCheck(_K.LAST_SCHOOL, _P.SCHOOL_LIAISON, target_school=last)
    if destination is not None and (last is None or not same_school(last, destination)):
        yield PlannedCheck(_K.DESTINATION_SCHOOL, _P.SCHOOL_LIAISON, target_school=destination)


def other_la_checks(plan: PlanInput) -> Iterator[PlannedCheck]:
    la_code = destination_la(plan)
    if la_code is not None and la_code != plan.home_la_code:
        yield PlannedCheck(_K.OTHER_LA, _P.DFE_EXCHANGE, target_la_code=la_code)


def sibling_checks(plan: PlanInput) -> Iterator[PlannedCheck]:
    asked: list[SchoolRef] = []
    for index, school in enumerate(plan.sibling_schools):
        if school is None or any(same_school(school, other) for other in asked):
            continue
        asked.append(school)
        yield PlannedCheck(
            _K.SIBLINGS_SCHOOLS, _P.SCHOOL_LIAISON, target_school=school, sibling_index=index
        )


def officer_checks_in_order(kinds: Iterable[CheckKind]) -> tuple[CheckKind, ...]:
    """The configured officer checks, once each, in `CheckKind` order; others are refused."""
    allowed = ", ".join(k.value for k in CheckKind if k in OFFICER_CHECK_KINDS)
    chosen = frozenset(kinds)
    if wrong := sorted(str(kind) for kind in chosen if kind not in OFFICER_CHECK_KINDS):
        raise ValueError(
            f"officer_checks: {', '.join(wrong)} cannot be an officer check "
            f"(officer checks: {allowed})"
        )
    return tuple(kind for kind in CheckKind if kind in chosen)


def tracing_plan(
    plan: PlanInput, *, officer_checks: Iterable[CheckKind] = DEFAULT_OFFICER_CHECKS
) -> tuple[PlannedCheck, ...]:
    """The checks to start a case with, in the order of the module docstring, no duplicates."""
    officer = tuple(PlannedCheck(k, _P.OFFICER) for k in officer_checks_in_order(officer_checks))
    return (*school_checks(plan), *other_la_checks(plan), *sibling_checks(plan), *officer)
