"""What each case outcome does, and the details an officer must give with it: a data table.

The reasoning for each row is in docs/tracing-rules.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from schemas.v1.common import CaseOutcome

URN = re.compile(r"^\d{6}$")
LA_CODE = re.compile(r"^\d{3}$")


@dataclass(frozen=True)
class OutcomeEffect:
    """The effect of recording one outcome on a case."""

    closes: bool  # the case ends
    requests_transfer: bool  # tell the other LA (dfe-exchange transfer)
    needs_school_urn: bool
    needs_destination_la: bool


_O = CaseOutcome

OUTCOME_EFFECTS: Mapping[CaseOutcome, OutcomeEffect] = MappingProxyType(
    {
        _O.BACK_IN_SCHOOL: OutcomeEffect(True, False, True, False),
        _O.MOVED_TO_ANOTHER_LA: OutcomeEffect(True, True, False, True),
        _O.ELECTIVELY_HOME_EDUCATED: OutcomeEffect(True, False, False, False),
        _O.LEFT_THE_COUNTRY: OutcomeEffect(True, False, False, False),
        _O.DIED: OutcomeEffect(True, False, False, False),
        _O.UNTRACED: OutcomeEffect(False, False, False, False),
    }
)
"""Case outcome -> its effect (every outcome has a row)."""

SCHOOL_URN_ALLOWED = frozenset({_O.BACK_IN_SCHOOL, _O.MOVED_TO_ANOTHER_LA})
"""Outcomes that may name the school the child is on roll at (required for back-in-school)."""
DESTINATION_LA_ALLOWED = frozenset({_O.MOVED_TO_ANOTHER_LA})
"""Outcomes that may name the LA the child moved to (required for moved-to-another-la)."""


def check_outcome(
    outcome: CaseOutcome, *, school_urn: str | None, destination_la: str | None, home_la_code: str
) -> list[str]:
    """Problems with recording `outcome` with these details, each naming the field; [] is fine.

    Blank details count as not given.
    """
    return [
        *school_urn_problems(outcome, blank_to_none(school_urn)),
        *destination_la_problems(outcome, blank_to_none(destination_la), home_la_code),
    ]


def blank_to_none(value: str | None) -> str | None:
    return (value or "").strip() or None


def only_for(field: str, outcome: CaseOutcome, allowed: frozenset[CaseOutcome]) -> str:
    outcomes = ", ".join(repr(o.value) for o in CaseOutcome if o in allowed)
    return f"{field}: not used for outcome {outcome.value!r} (only for {outcomes})"


def school_urn_problems(outcome: CaseOutcome, school_urn: str | None) -> list[str]:
    if school_urn is None:
        needed = OUTCOME_EFFECTS[outcome].needs_school_urn
        return [f"school_urn: required for outcome {outcome.value!r}"] if needed else []
    if outcome not in SCHOOL_URN_ALLOWED:
        return [only_for("school_urn", outcome, SCHOOL_URN_ALLOWED)]
    if not URN.match(school_urn):
        return [f"school_urn: {school_urn!r} is not a URN (6 digits)"]
    return []


def destination_la_problems(
    outcome: CaseOutcome, destination_la: str | None, home_la_code: str
) -> list[str]:
    if destination_la is None:
        needed = OUTCOME_EFFECTS[outcome].needs_destination_la
        return [f"destination_la: required for outcome {outcome.value!r}"] if needed else []
    if outcome not in DESTINATION_LA_ALLOWED:
        return [only_for("destination_la", outcome, DESTINATION_LA_ALLOWED)]
    if not LA_CODE.match(destination_la):
        return [f"destination_la: {destination_la!r} is not an LA code (3 digits)"]
    if destination_la == home_la_code.strip():
        return [
            f"destination_la: {destination_la} is this LA; outcome {outcome.value!r} needs "
            "another LA"
        ]
    return []
