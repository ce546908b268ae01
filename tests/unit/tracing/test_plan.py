"""The tracing plan: which checks a new case starts with, who performs them, in what order."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas.v1.common import CheckKind, PartialName, SchoolRef
from schemas.v1.tracing import CheckRequested, RollCheckChild
from services.tracing.rules.plan import (
    DEFAULT_OFFICER_CHECKS,
    OFFICER_CHECK_KINDS,
    PERFORMER_OF,
    Performer,
    PlanInput,
    PlannedCheck,
    same_school,
    tracing_plan,
)

K = CheckKind
P = Performer
HOME = "895"
LAST = SchoolRef(urn="100001", name="Crewe Primary School", la_code=HOME)
DESTINATION = SchoolRef(urn="200002", name="Leeds Academy", la_code="383")
LOCAL_DESTINATION = SchoolRef(urn="100003", la_code=HOME)
NAMED_ONLY = SchoolRef(name="St Mary's Primary")
SIBLING_SCHOOL = SchoolRef(urn="100004")
OFFICER_IN_KIND_ORDER = tuple(
    PlannedCheck(kind, P.OFFICER) for kind in CheckKind if kind in set(DEFAULT_OFFICER_CHECKS)
)
"""The default officer checks as planned: health, housing, council tax, social care, other schools
in the area, in `CheckKind` order (other-schools-in-area first)."""


def plan_input(
    last: SchoolRef | None = None,
    destination: SchoolRef | None = None,
    destination_la: str | None = None,
    siblings: tuple[SchoolRef | None, ...] = (),
) -> PlanInput:
    return PlanInput(last, destination, destination_la, siblings, HOME)


def kinds(plan: tuple[PlannedCheck, ...]) -> list[CheckKind]:
    return [check.kind for check in plan]


# --- the performer table ----------------------------------------------------------------------

EXPECTED_PERFORMER = {
    K.LAST_SCHOOL: P.SCHOOL_LIAISON,
    K.DESTINATION_SCHOOL: P.SCHOOL_LIAISON,
    K.OTHER_SCHOOLS_IN_AREA: P.OFFICER,
    K.SIBLINGS_SCHOOLS: P.SCHOOL_LIAISON,
    K.OTHER_LA: P.DFE_EXCHANGE,
    K.HEALTH: P.OFFICER,
    K.HOUSING: P.OFFICER,
    K.COUNCIL_TAX: P.OFFICER,
    K.SOCIAL_CARE: P.OFFICER,
    K.LOST_PUPIL_DATABASE: P.DFE_EXCHANGE,
}


@pytest.mark.parametrize("kind", list(CheckKind))
def test_every_check_kind_has_its_performer(kind: CheckKind) -> None:
    assert PERFORMER_OF[kind] is EXPECTED_PERFORMER[kind]


def test_officer_checks_are_the_kinds_an_officer_performs() -> None:
    assert {K.HEALTH, K.HOUSING, K.COUNCIL_TAX, K.SOCIAL_CARE, K.OTHER_SCHOOLS_IN_AREA} == (
        OFFICER_CHECK_KINDS
    )
    assert set(DEFAULT_OFFICER_CHECKS) == OFFICER_CHECK_KINDS


# --- worked plans -------------------------------------------------------------------------------


def test_a_child_with_nothing_known_gets_only_the_officer_checks() -> None:
    assert tracing_plan(plan_input()) == OFFICER_IN_KIND_ORDER


def test_full_plan_in_order() -> None:
    plan = plan_input(LAST, DESTINATION, "383", (SIBLING_SCHOOL, None, NAMED_ONLY))
    assert tracing_plan(plan) == (
        PlannedCheck(K.LAST_SCHOOL, P.SCHOOL_LIAISON, target_school=LAST),
        PlannedCheck(K.DESTINATION_SCHOOL, P.SCHOOL_LIAISON, target_school=DESTINATION),
        PlannedCheck(K.OTHER_LA, P.DFE_EXCHANGE, target_la_code="383"),
        PlannedCheck(K.SIBLINGS_SCHOOLS, P.SCHOOL_LIAISON, SIBLING_SCHOOL, sibling_index=0),
        PlannedCheck(K.SIBLINGS_SCHOOLS, P.SCHOOL_LIAISON, NAMED_ONLY, sibling_index=2),
        *OFFICER_IN_KIND_ORDER,
    )


def test_a_last_school_known_by_name_only_is_asked() -> None:
    assert kinds(tracing_plan(plan_input(last=NAMED_ONLY)))[0] is K.LAST_SCHOOL


def test_a_destination_in_this_la_is_asked_but_no_other_la_is() -> None:
    plan = tracing_plan(plan_input(LAST, LOCAL_DESTINATION, HOME))
    assert kinds(plan)[:2] == [K.LAST_SCHOOL, K.DESTINATION_SCHOOL]
    assert K.OTHER_LA not in kinds(plan)


def test_the_destination_la_comes_from_the_destination_school_when_not_given() -> None:
    plan = tracing_plan(plan_input(destination=DESTINATION))
    assert PlannedCheck(K.OTHER_LA, P.DFE_EXCHANGE, target_la_code="383") in plan


def test_a_given_destination_la_wins_over_the_school_la_code() -> None:
    plan = tracing_plan(plan_input(destination=DESTINATION, destination_la=HOME))
    assert K.OTHER_LA not in kinds(plan)


def test_another_la_without_a_destination_school_is_asked() -> None:
    plan = tracing_plan(plan_input(destination_la="383"))
    assert kinds(plan)[0] is K.OTHER_LA


def test_a_destination_that_is_the_last_school_is_asked_once() -> None:
    same_by_name = SchoolRef(name="  crewe   PRIMARY school ")
    assert kinds(tracing_plan(plan_input(LAST, LAST))).count(K.DESTINATION_SCHOOL) == 0
    plan = tracing_plan(plan_input(SchoolRef(name="Crewe Primary School"), same_by_name))
    assert kinds(plan).count(K.DESTINATION_SCHOOL) == 0


def test_siblings_at_the_same_school_give_one_check_for_the_first_of_them() -> None:
    plan = tracing_plan(plan_input(siblings=(None, SIBLING_SCHOOL, SIBLING_SCHOOL)))
    sibling_checks = [c for c in plan if c.kind is K.SIBLINGS_SCHOOLS]
    assert sibling_checks == [
        PlannedCheck(K.SIBLINGS_SCHOOLS, P.SCHOOL_LIAISON, SIBLING_SCHOOL, sibling_index=1)
    ]


def test_a_sibling_at_the_last_school_is_still_asked_about() -> None:
    plan = tracing_plan(plan_input(last=LAST, siblings=(LAST,)))
    assert kinds(plan)[:2] == [K.LAST_SCHOOL, K.SIBLINGS_SCHOOLS]


def test_the_lost_pupil_database_is_never_planned_at_opening() -> None:
    plan = plan_input(LAST, DESTINATION, "383", (SIBLING_SCHOOL,))
    assert K.LOST_PUPIL_DATABASE not in kinds(tracing_plan(plan))


# --- officer checks -----------------------------------------------------------------------------


def test_officer_checks_are_configurable_and_come_in_check_kind_order() -> None:
    plan = tracing_plan(plan_input(), officer_checks=[K.SOCIAL_CARE, K.HEALTH, K.SOCIAL_CARE])
    assert plan == (PlannedCheck(K.HEALTH, P.OFFICER), PlannedCheck(K.SOCIAL_CARE, P.OFFICER))


def test_officer_checks_may_be_configured_as_plain_strings() -> None:
    from_settings: list[Any] = ["social-care", "health"]
    plan = tracing_plan(plan_input(), officer_checks=from_settings)
    assert plan == (PlannedCheck(K.HEALTH, P.OFFICER), PlannedCheck(K.SOCIAL_CARE, P.OFFICER))
    assert all(type(check.kind) is CheckKind for check in plan)


def test_an_unknown_officer_check_is_refused_with_the_allowed_ones() -> None:
    allowed = "other-schools-in-area, health, housing, council-tax, social-care"
    from_settings: list[Any] = ["bogus"]
    with pytest.raises(
        ValueError, match=rf"bogus cannot be an officer check \(officer checks: {allowed}\)"
    ):
        tracing_plan(plan_input(), officer_checks=from_settings)


def test_no_officer_checks_can_be_configured() -> None:
    assert tracing_plan(plan_input(last=LAST), officer_checks=()) == (
        PlannedCheck(K.LAST_SCHOOL, P.SCHOOL_LIAISON, target_school=LAST),
    )


@pytest.mark.parametrize("kind", sorted(set(CheckKind) - OFFICER_CHECK_KINDS))
def test_a_check_needing_a_target_or_a_service_cannot_be_an_officer_check(
    kind: CheckKind,
) -> None:
    with pytest.raises(ValueError, match=rf"officer_checks: {kind.value} cannot be an officer"):
        tracing_plan(plan_input(), officer_checks=[K.HEALTH, kind])


# --- same school ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (SchoolRef(urn="100001"), SchoolRef(urn="100001", name="Other name"), True),
        (SchoolRef(urn="100001", name="A"), SchoolRef(urn="100002", name="A"), False),
        (SchoolRef(urn="100001", name="A"), SchoolRef(name="A"), False),  # URN on one side only
        (SchoolRef(name="St Mary's"), SchoolRef(name="st  mary's"), True),
        (SchoolRef(name="St Mary's", la_code="895"), SchoolRef(name="St Mary's"), True),
        (
            SchoolRef(name="St Mary's", la_code="895"),
            SchoolRef(name="St Mary's", la_code="383"),
            False,
        ),
        (SchoolRef(name="St Mary's"), SchoolRef(name="St Marys"), False),
    ],
)
def test_same_school(a: SchoolRef, b: SchoolRef, same: bool) -> None:
    assert same_school(a, b) is same
    assert same_school(b, a) is same


# --- properties ---------------------------------------------------------------------------------

SCHOOLS = st.sampled_from(
    [
        LAST,
        DESTINATION,
        LOCAL_DESTINATION,
        NAMED_ONLY,
        SIBLING_SCHOOL,
        SchoolRef(name="st mary's primary", la_code="383"),
        SchoolRef(urn="100001"),
    ]
)
LA_CODES = st.sampled_from([HOME, "383", "201"])
PLAN_INPUTS = st.builds(
    PlanInput,
    last_known_school=st.none() | SCHOOLS,
    destination_school=st.none() | SCHOOLS,
    destination_la_code=st.none() | LA_CODES,
    sibling_schools=st.lists(st.none() | SCHOOLS, max_size=5).map(tuple),
    home_la_code=st.just(HOME),
)
OFFICER_KINDS = st.lists(st.sampled_from(sorted(OFFICER_CHECK_KINDS)))


@given(PLAN_INPUTS, OFFICER_KINDS)
def test_every_planned_check_is_performed_by_its_performer(
    plan: PlanInput, officer: list[CheckKind]
) -> None:
    for check in tracing_plan(plan, officer_checks=officer):
        assert check.performer is PERFORMER_OF[check.kind]
        assert check.kind is not K.LOST_PUPIL_DATABASE


SCHOOL_QUESTIONS = {
    K.LAST_SCHOOL: "child",
    K.DESTINATION_SCHOOL: "child",
    K.SIBLINGS_SCHOOLS: "sibling",
}
"""Last and destination school checks ask a school the same question: is the child there?"""


@given(PLAN_INPUTS, OFFICER_KINDS)
def test_no_school_is_asked_the_same_question_twice(
    plan: PlanInput, officer: list[CheckKind]
) -> None:
    checks = tracing_plan(plan, officer_checks=officer)
    assert len(set(checks)) == len(checks)
    asked = [(SCHOOL_QUESTIONS[c.kind], c.target_school) for c in checks if c.target_school]
    for i, (question, school) in enumerate(asked):
        for other_question, other_school in asked[i + 1 :]:
            assert question != other_question or not same_school(school, other_school)


@given(PLAN_INPUTS)
def test_every_sibling_school_known_is_asked(plan: PlanInput) -> None:
    asked = [c.target_school for c in tracing_plan(plan) if c.kind is K.SIBLINGS_SCHOOLS]
    for school in plan.sibling_schools:
        if school is not None:
            assert any(same_school(school, other) for other in asked if other is not None)


@given(PLAN_INPUTS, st.permutations(sorted(OFFICER_CHECK_KINDS)))
def test_the_plan_does_not_depend_on_the_order_officer_checks_are_configured_in(
    plan: PlanInput, officer: list[CheckKind]
) -> None:
    assert tracing_plan(plan, officer_checks=officer) == tracing_plan(
        plan, officer_checks=officer[::-1]
    )
    assert tracing_plan(plan, officer_checks=officer) == tracing_plan(
        plan, officer_checks=set(officer)
    )


@given(PLAN_INPUTS)
def test_the_plan_follows_the_rules(plan: PlanInput) -> None:
    checks = tracing_plan(plan)
    found = kinds(checks)
    assert (K.LAST_SCHOOL in found) is (plan.last_known_school is not None)
    if plan.destination_school is not None:
        asked = [c.target_school for c in checks[:2] if c.target_school is not None]
        assert any(same_school(plan.destination_school, school) for school in asked)
    la_code = plan.destination_la_code or (
        plan.destination_school and plan.destination_school.la_code
    )
    assert (K.OTHER_LA in found) is (la_code is not None and la_code != HOME)
    siblings = [c for c in checks if c.kind is K.SIBLINGS_SCHOOLS]
    assert all(c.sibling_index is not None for c in siblings)
    indexes = [c.sibling_index for c in siblings if c.sibling_index is not None]
    assert indexes == sorted(indexes)
    assert all(plan.sibling_schools[index] is not None for index in indexes)
    assert checks[len(checks) - len(OFFICER_IN_KIND_ORDER) :] == OFFICER_IN_KIND_ORDER
    assert all(c.sibling_index is None for c in checks if c.kind is not K.SIBLINGS_SCHOOLS)


@given(PLAN_INPUTS)
def test_every_planned_service_check_makes_a_valid_check_requested(plan: PlanInput) -> None:
    for check in tracing_plan(plan):
        if check.performer is P.OFFICER:
            continue
        CheckRequested(
            check_id=uuid4(),
            case_id=uuid4(),
            kind=check.kind,
            target_school=check.target_school,
            target_la_code=check.target_la_code,
            child=RollCheckChild(name=PartialName(forenames="Amelia")),
            answer_by=date(2026, 11, 9),
        )
