"""Case outcomes: what each does, and the details it needs."""

from __future__ import annotations

import pytest

from schemas.v1.common import CaseOutcome
from services.tracing.rules.outcomes import (
    DESTINATION_LA_ALLOWED,
    OUTCOME_EFFECTS,
    SCHOOL_URN_ALLOWED,
    OutcomeEffect,
    check_outcome,
)

C = CaseOutcome
HOME = "895"
URN = "100001"
OTHER_LA = "383"

EXPECTED_EFFECTS = {
    #                                closes  transfer  needs URN  needs LA
    C.BACK_IN_SCHOOL: OutcomeEffect(True, False, True, False),
    C.MOVED_TO_ANOTHER_LA: OutcomeEffect(True, True, False, True),
    C.ELECTIVELY_HOME_EDUCATED: OutcomeEffect(True, False, False, False),
    C.LEFT_THE_COUNTRY: OutcomeEffect(True, False, False, False),
    C.DIED: OutcomeEffect(True, False, False, False),
    C.UNTRACED: OutcomeEffect(False, False, False, False),
}


@pytest.mark.parametrize("outcome", list(CaseOutcome))
def test_every_outcome_has_its_effect(outcome: CaseOutcome) -> None:
    assert OUTCOME_EFFECTS[outcome] == EXPECTED_EFFECTS[outcome]


@pytest.mark.parametrize("outcome", list(CaseOutcome))
def test_a_detail_an_outcome_needs_is_one_it_accepts(outcome: CaseOutcome) -> None:
    effect = OUTCOME_EFFECTS[outcome]
    assert not effect.needs_school_urn or outcome in SCHOOL_URN_ALLOWED
    assert not effect.needs_destination_la or outcome in DESTINATION_LA_ALLOWED
    assert not effect.requests_transfer or effect.needs_destination_la


def test_untraced_is_the_only_outcome_that_leaves_the_case_open() -> None:
    assert [o for o in CaseOutcome if not OUTCOME_EFFECTS[o].closes] == [C.UNTRACED]


# --- every outcome with every combination of details --------------------------------------------

URN_CHOICES = {"none": None, "urn": URN}
LA_CHOICES = {"none": None, "other": OTHER_LA, "home": HOME}


def expected_problems(outcome: CaseOutcome, urn: str, la: str) -> list[str]:
    name = repr(outcome.value)
    problems = []
    if urn == "none" and outcome is C.BACK_IN_SCHOOL:
        problems.append(f"school_urn: required for outcome {name}")
    if urn == "urn" and outcome not in {C.BACK_IN_SCHOOL, C.MOVED_TO_ANOTHER_LA}:
        problems.append(
            f"school_urn: not used for outcome {name} "
            "(only for 'back-in-school', 'moved-to-another-la')"
        )
    if la == "none" and outcome is C.MOVED_TO_ANOTHER_LA:
        problems.append(f"destination_la: required for outcome {name}")
    if la != "none" and outcome is not C.MOVED_TO_ANOTHER_LA:
        problems.append(
            f"destination_la: not used for outcome {name} (only for 'moved-to-another-la')"
        )
    if la == "home" and outcome is C.MOVED_TO_ANOTHER_LA:
        problems.append(f"destination_la: 895 is this LA; outcome {name} needs another LA")
    return problems


@pytest.mark.parametrize(
    ("outcome", "urn", "la"),
    [(o, u, la) for o in CaseOutcome for u in URN_CHOICES for la in LA_CHOICES],
)
def test_check_outcome(outcome: CaseOutcome, urn: str, la: str) -> None:
    problems = check_outcome(
        outcome, school_urn=URN_CHOICES[urn], destination_la=LA_CHOICES[la], home_la_code=HOME
    )
    assert problems == expected_problems(outcome, urn, la)


def test_back_in_school_with_a_urn_is_fine() -> None:
    assert (
        check_outcome(C.BACK_IN_SCHOOL, school_urn=URN, destination_la=None, home_la_code=HOME)
        == []
    )


def test_moved_to_another_la_may_name_the_new_school() -> None:
    problems = check_outcome(
        C.MOVED_TO_ANOTHER_LA, school_urn="200002", destination_la=OTHER_LA, home_la_code=HOME
    )
    assert problems == []


def test_blank_details_count_as_not_given() -> None:
    assert check_outcome(C.DIED, school_urn=" ", destination_la="", home_la_code=HOME) == []
    assert check_outcome(
        C.BACK_IN_SCHOOL, school_urn="", destination_la=None, home_la_code=HOME
    ) == ["school_urn: required for outcome 'back-in-school'"]


@pytest.mark.parametrize(
    ("outcome", "urn", "la", "problem"),
    [
        (C.BACK_IN_SCHOOL, "12345", None, "school_urn: '12345' is not a URN (6 digits)"),
        (C.MOVED_TO_ANOTHER_LA, None, "38", "destination_la: '38' is not an LA code (3 digits)"),
    ],
)
def test_malformed_details_are_named(
    outcome: CaseOutcome, urn: str | None, la: str | None, problem: str
) -> None:
    assert check_outcome(outcome, school_urn=urn, destination_la=la, home_la_code=HOME) == [problem]
