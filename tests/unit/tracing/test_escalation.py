"""Escalation: police risk level, urgency, the tracing deadline, and what the deadline triggers."""

from __future__ import annotations

from datetime import date
from itertools import combinations, product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas.v1.common import AlertPriority, PoliceRiskLevel, RiskIndicator
from services.tracing.rules.escalation import (
    DEFAULT_TRACING_SCHOOL_DAYS,
    RISK_LEVEL_OF,
    DeadlineActions,
    alert_priority,
    is_urgent,
    on_deadline,
    risk_level,
    tracing_deadline,
)
from tests.unit.tracing.strategies import TERM_CALENDAR, WEEKDAY_CALENDAR

R = RiskIndicator
L = PoliceRiskLevel
UPN = "B801200005001"
DOB = date(2015, 5, 5)

EXPECTED_LEVEL = {
    R.HARM: L.HIGH,
    R.ABUSE: L.HIGH,
    R.SEXUAL_EXPLOITATION: L.HIGH,
    R.TRAFFICKING: L.HIGH,
    R.MISSING_FROM_HOME: L.MEDIUM,
    R.OTHER_SAFEGUARDING: L.MEDIUM,
}
ALL_SETS = [
    frozenset(chosen)
    for size in range(len(RiskIndicator) + 1)
    for chosen in combinations(RiskIndicator, size)
]
"""Every set of risk indicators (64)."""


@pytest.mark.parametrize("indicator", list(RiskIndicator))
def test_every_indicator_has_its_risk_level(indicator: RiskIndicator) -> None:
    assert RISK_LEVEL_OF[indicator] is EXPECTED_LEVEL[indicator]
    assert risk_level([indicator]) is EXPECTED_LEVEL[indicator]


def test_an_untraced_child_with_no_indicator_is_low_risk() -> None:
    assert risk_level([]) is L.LOW


@pytest.mark.parametrize("indicators", ALL_SETS, ids=lambda s: "+".join(sorted(s)) or "none")
def test_the_highest_level_of_any_indicator_applies(indicators: frozenset[RiskIndicator]) -> None:
    levels = {EXPECTED_LEVEL[i] for i in indicators}
    expected = L.HIGH if L.HIGH in levels else L.MEDIUM if L.MEDIUM in levels else L.LOW
    assert risk_level(indicators) is expected
    assert risk_level(sorted(indicators, reverse=True)) is expected


@pytest.mark.parametrize("indicators", ALL_SETS, ids=lambda s: "+".join(sorted(s)) or "none")
def test_any_indicator_makes_a_case_urgent(indicators: frozenset[RiskIndicator]) -> None:
    assert is_urgent(indicators) is bool(indicators)
    assert is_urgent(iter(indicators)) is bool(indicators)
    expected = AlertPriority.URGENT if indicators else AlertPriority.ROUTINE
    assert alert_priority(indicators) is expected


def test_an_urgent_case_is_never_below_medium_risk() -> None:
    for indicators in ALL_SETS:
        if is_urgent(indicators):
            assert risk_level(indicators) in {L.MEDIUM, L.HIGH}


# --- the tracing deadline -----------------------------------------------------------------------


def test_the_default_deadline_is_ten_school_days() -> None:
    assert DEFAULT_TRACING_SCHOOL_DAYS == 10
    assert tracing_deadline(date(2026, 10, 19), TERM_CALENDAR) == date(2026, 11, 9)
    assert tracing_deadline(date(2026, 10, 19), WEEKDAY_CALENDAR) == date(2026, 11, 2)


def test_the_deadline_length_is_configurable() -> None:
    assert tracing_deadline(date(2026, 10, 19), TERM_CALENDAR, 5) == date(2026, 11, 2)


# --- what the deadline triggers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("alert_active", "upn", "dob", "upload_requested"),
    list(product([True, False], [UPN, None], [DOB, None], [True, False])),
)
def test_on_deadline(
    alert_active: bool, upn: str | None, dob: date | None, upload_requested: bool
) -> None:
    missing = tuple(
        field
        for field, value in (("upn", upn), ("date_of_birth", dob))
        if value is None and not upload_requested
    )
    assert on_deadline(
        alert_active=alert_active, upn=upn, date_of_birth=dob, upload_requested=upload_requested
    ) == DeadlineActions(
        police_alert=not alert_active,
        lost_pupil_upload=not upload_requested and not missing,
        missing_for_upload=missing,
    )


def test_an_untraced_child_with_upn_and_dob_gets_an_alert_and_an_upload() -> None:
    actions = on_deadline(alert_active=False, upn=UPN, date_of_birth=DOB, upload_requested=False)
    assert actions == DeadlineActions(True, True, ())


def test_without_a_upn_the_upload_waits_and_says_why() -> None:
    actions = on_deadline(alert_active=True, upn="  ", date_of_birth=None, upload_requested=False)
    assert actions == DeadlineActions(False, False, ("upn", "date_of_birth"))


@given(st.booleans(), st.none() | st.just(UPN), st.none() | st.just(DOB), st.booleans())
def test_the_deadline_never_repeats_a_request(
    alert_active: bool, upn: str | None, dob: date | None, upload_requested: bool
) -> None:
    actions = on_deadline(
        alert_active=alert_active, upn=upn, date_of_birth=dob, upload_requested=upload_requested
    )
    assert not (alert_active and actions.police_alert)
    assert not (upload_requested and actions.lost_pupil_upload)
    assert not (actions.lost_pupil_upload and actions.missing_for_upload)
