"""The three CME tests, each evaluated on its own facts into a result an officer can read.

Reasons name schools by URN and give dates; they carry no names or other personal details.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from schemas.v1.common import CmeCriterion, CriterionOutcome
from schemas.v1.eligibility import AgeStatus, CriterionResult
from services.eligibility.rules.roll import Enrolment, enrolments_on
from services.eligibility.rules.school_age import (
    CSA_END_AGE,
    CSA_START_AGE,
    AgeRule,
    age_in_years,
    compulsory_school_age,
)

_OUTCOME_OF_AGE_STATUS = {
    AgeStatus.OF_AGE: CriterionOutcome.MET,
    AgeStatus.BELOW: CriterionOutcome.NOT_MET,
    AgeStatus.ABOVE: CriterionOutcome.NOT_MET,
    AgeStatus.UNKNOWN: CriterionOutcome.UNKNOWN,
}


def result(criterion: CmeCriterion, outcome: CriterionOutcome, reason: str) -> CriterionResult:
    return CriterionResult(criterion=criterion, outcome=outcome, reason=reason)


def age_test(
    date_of_birth: date | None, on: date, status: AgeStatus, rule: AgeRule
) -> CriterionResult:
    """Test 1, of compulsory school age; `status` is `age_status(date_of_birth, on, rule)`."""
    if date_of_birth is None:
        reason = "Date of birth not known, so the age cannot be checked yet"
    elif rule is AgeRule.SIMPLE_BAND:
        reason = _simple_band_reason(date_of_birth, on, status)
    else:
        reason = _statutory_reason(date_of_birth, on, status)
    return result(CmeCriterion.COMPULSORY_SCHOOL_AGE, _OUTCOME_OF_AGE_STATUS[status], reason)


def _statutory_reason(date_of_birth: date, on: date, status: AgeStatus) -> str:
    csa = compulsory_school_age(date_of_birth)
    if status is AgeStatus.BELOW:
        return f"Below compulsory school age on {on}: it starts on {csa.starts}"
    if status is AgeStatus.ABOVE:
        return f"Above compulsory school age on {on}: it ended on {csa.ends}"
    return f"Of compulsory school age on {on} (from {csa.starts} to {csa.ends})"


def _simple_band_reason(date_of_birth: date, on: date, status: AgeStatus) -> str:
    where = {AgeStatus.BELOW: "below", AgeStatus.ABOVE: "above"}.get(status, "within")
    band = f"the {CSA_START_AGE} to {CSA_END_AGE} age band"
    return f"Aged {age_in_years(date_of_birth, on)} on {on}, {where} {band}"


def roll_test(
    enrolments: Iterable[Enrolment], on: date, *, excluding_urn: str | None = None
) -> CriterionResult:
    """Test 2, not on a school roll anywhere (`excluding_urn`: the deleting school)."""
    current = enrolments_on(enrolments, on, excluding_urn=excluding_urn)
    if current:
        latest = current[0]
        return result(
            CmeCriterion.NOT_ON_ROLL,
            CriterionOutcome.NOT_MET,
            f"On roll at URN {latest.urn} since {latest.on_roll_from}",
        )
    other = " other" if excluding_urn is not None else ""
    return result(
        CmeCriterion.NOT_ON_ROLL,
        CriterionOutcome.MET,
        f"Not on the roll of any{other} school in the index on {on}",
    )


def elsewhere_test(ehe_notified_on: date | None, on: date) -> CriterionResult:
    """Test 3, not educated elsewhere: on the EHE register on `on` (notified by then) fails it."""
    if ehe_notified_on is not None and ehe_notified_on <= on:
        return result(
            CmeCriterion.NOT_EDUCATED_ELSEWHERE,
            CriterionOutcome.NOT_MET,
            f"Electively home educated: on the EHE register since {ehe_notified_on}",
        )
    return result(
        CmeCriterion.NOT_EDUCATED_ELSEWHERE,
        CriterionOutcome.MET,
        f"Not on the elective home education register on {on}",
    )
