"""Escalation: the police risk level and urgency of a case, and what its deadline triggers.

Risk indicator -> police risk level (College of Policing APP grading; the highest applies):

| indicator | level | why |
|---|---|---|
| (none) | low | an untraced child with no known concern |
| missing-from-home, other-safeguarding | medium | a concern, but no known immediate danger |
| harm, abuse, sexual-exploitation, trafficking | high | APP "high": real and immediate danger |

This is the LA's view when it asks for an alert; officers can change it afterwards through a
police alert update. Any indicator makes the case urgent: the police are alerted at once,
without waiting for tracing. The reasoning is in docs/tracing-rules.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from schemas.v1.common import AlertPriority, PoliceRiskLevel, RiskIndicator
from services.tracing.rules.calendar import SchoolCalendar

DEFAULT_TRACING_SCHOOL_DAYS = 10
"""School days a case may stay untraced before escalation (DESIGN flow 4; a setting)."""

NO_INDICATOR_RISK = PoliceRiskLevel.LOW

_I = RiskIndicator
_L = PoliceRiskLevel

RISK_LEVEL_OF: Mapping[RiskIndicator, PoliceRiskLevel] = MappingProxyType(
    {
        _I.HARM: _L.HIGH,
        _I.ABUSE: _L.HIGH,
        _I.SEXUAL_EXPLOITATION: _L.HIGH,
        _I.TRAFFICKING: _L.HIGH,
        _I.MISSING_FROM_HOME: _L.MEDIUM,
        _I.OTHER_SAFEGUARDING: _L.MEDIUM,
    }
)
"""Risk indicator -> the police risk level it means on its own (every indicator has a row)."""

RISK_ORDER = tuple(PoliceRiskLevel)
"""Police risk levels, lowest first."""


def risk_level(indicators: Iterable[RiskIndicator]) -> PoliceRiskLevel:
    """The highest level of any indicator; low (an untraced child) with none."""
    levels = [RISK_LEVEL_OF[indicator] for indicator in indicators]
    return max(levels, key=RISK_ORDER.index, default=NO_INDICATOR_RISK)


def is_urgent(indicators: Iterable[RiskIndicator]) -> bool:
    """Any risk-of-harm indicator makes a case urgent: police alert at once (DESIGN flow 3)."""
    return bool(tuple(indicators))


def alert_priority(indicators: Iterable[RiskIndicator]) -> AlertPriority:
    """Urgent with any indicator; routine for a child who could not be traced in time."""
    return AlertPriority.URGENT if is_urgent(indicators) else AlertPriority.ROUTINE


def tracing_deadline(
    opened_on: date, calendar: SchoolCalendar, school_days: int = DEFAULT_TRACING_SCHOOL_DAYS
) -> date:
    """The case's trace-by date: `school_days` school days after the day it opened."""
    return calendar.add_school_days(opened_on, school_days)


@dataclass(frozen=True)
class DeadlineActions:
    """What a case still untraced at its deadline must request."""

    police_alert: bool  # request a routine alert (unless one is already active)
    lost_pupil_upload: bool  # request the CTF upload (needs UPN and DOB)
    missing_for_upload: tuple[str, ...]  # e.g. ("upn",) when the upload cannot be requested yet


def on_deadline(
    *, alert_active: bool, upn: str | None, date_of_birth: date | None, upload_requested: bool
) -> DeadlineActions:
    """A police alert unless one is active; a Lost Pupil Database upload unless already asked.

    The upload is a CTF pupil record, which needs the UPN and date of birth: without them it is
    not requested, and `missing_for_upload` names what an officer must find first.
    """
    missing = () if upload_requested else missing_ctf_essentials(upn, date_of_birth)
    return DeadlineActions(
        police_alert=not alert_active,
        lost_pupil_upload=not upload_requested and not missing,
        missing_for_upload=missing,
    )


def missing_ctf_essentials(upn: str | None, date_of_birth: date | None) -> tuple[str, ...]:
    """The CTF fields a Lost Pupil Database upload needs and the case lacks, by field name."""
    known = {"upn": bool((upn or "").strip()), "date_of_birth": date_of_birth is not None}
    return tuple(field for field, present in known.items() if not present)
