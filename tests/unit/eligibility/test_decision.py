"""The CME decision: deletion grounds, the three tests, and the order of precedence."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas.v1.common import ChildDetails, CmeCriterion, CriterionOutcome, DeletionGround
from schemas.v1.common import NotCmeReason as Reason
from schemas.v1.eligibility import AgeStatus, CmeIdentified, NotCme, ReferralSource
from services.eligibility.rules.decision import Decision, Enrolment, Facts, decide
from services.eligibility.rules.grounds import GROUND_EFFECTS
from services.eligibility.rules.school_age import AgeRule
from tests.unit.eligibility.strategies import DATES_OF_BIRTH

G = DeletionGround
AS_OF = date(2025, 10, 1)
OF_CSA = date(2015, 5, 5)  # aged 10 on AS_OF
BELOW_CSA = date(2021, 5, 5)  # aged 4
ABOVE_CSA = date(2009, 5, 5)  # aged 16; CSA ended 27 Jun 2025
DELETING_URN = "100001"


def roll_off(ground: DeletionGround | None = G.CONTINUOUSLY_ABSENT, **changes: Any) -> Facts:
    facts = Facts(
        source=ReferralSource.ROLL_OFF,
        as_of=AS_OF,
        date_of_birth=OF_CSA,
        ground=ground,
        deleting_school_urn=DELETING_URN,
    )
    return replace(facts, **changes)


def concern(**changes: Any) -> Facts:
    return replace(
        Facts(source=ReferralSource.CONCERN, as_of=AS_OF, date_of_birth=OF_CSA), **changes
    )


def outcomes(decision: Decision) -> dict[CmeCriterion, CriterionOutcome]:
    return {r.criterion: r.outcome for r in decision.criteria}


# --- every deletion ground, for a child of compulsory school age --------------------------------

EXPECTED_BY_GROUND: dict[DeletionGround, Reason | None] = {
    G.REGISTERED_AT_ANOTHER_SCHOOL: Reason.ON_ROLL,
    G.NURSERY_NOT_CONTINUING: None,
    G.DUAL_REGISTRATION_ENDED: Reason.ON_ROLL,
    G.ATTENDANCE_ORDER_AMENDED: Reason.ON_ROLL,
    G.ATTENDANCE_ORDER_REVOKED: Reason.EDUCATED_ELSEWHERE,
    G.ELECTIVE_HOME_EDUCATION: Reason.ELECTIVELY_HOME_EDUCATED,
    G.NO_LONGER_WITHIN_REASONABLE_DISTANCE: None,
    G.NOT_RETURNED_AFTER_LEAVE: None,
    G.CONTINUOUSLY_ABSENT: None,
    G.DETAINED: Reason.EDUCATED_ELSEWHERE,
    G.DIED: Reason.DIED,
    G.OVER_COMPULSORY_SCHOOL_AGE: Reason.ABOVE_COMPULSORY_SCHOOL_AGE,
    G.BOARDING_FEES_UNPAID: None,
    G.CEASED_AT_INDEPENDENT_OR_NON_MAINTAINED_SPECIAL: None,
    G.PERMANENTLY_EXCLUDED: None,
}
"""None: the child is CME."""


def test_expectations_and_the_ground_table_cover_all_fifteen_grounds() -> None:
    assert set(EXPECTED_BY_GROUND) == set(DeletionGround) == set(GROUND_EFFECTS)
    assert len(DeletionGround) == 15


@pytest.mark.parametrize("ground", list(DeletionGround))
def test_each_ground_for_a_child_of_csa(ground: DeletionGround) -> None:
    decision = decide(roll_off(ground))
    assert decision.reason is EXPECTED_BY_GROUND[ground]
    assert decision.is_cme is (EXPECTED_BY_GROUND[ground] is None)
    assert decision.age_status is AgeStatus.OF_AGE


@pytest.mark.parametrize("ground", list(DeletionGround))
def test_a_ground_that_fails_a_test_marks_that_test_not_met(ground: DeletionGround) -> None:
    decision = decide(roll_off(ground))
    failed = {c for c, outcome in outcomes(decision).items() if outcome is CriterionOutcome.NOT_MET}
    fails = GROUND_EFFECTS[ground].fails
    assert failed == (set() if fails is None else {fails})


@pytest.mark.parametrize(
    "ground",
    [G.REGISTERED_AT_ANOTHER_SCHOOL, G.DUAL_REGISTRATION_ENDED, G.ATTENDANCE_ORDER_AMENDED],
)
def test_destination_ground_names_the_destination_urn_and_start_date(
    ground: DeletionGround,
) -> None:
    decision = decide(
        roll_off(ground, destination_school_urn="100002", destination_start_date=date(2025, 10, 6))
    )
    assert decision.explanation.startswith("On roll at URN 100002 from 2025-10-06")
    assert f"deletion ground {ground.value}" in decision.explanation
    assert decision.criterion(CmeCriterion.NOT_ON_ROLL).reason == decision.explanation


def test_destination_ground_without_a_urn_says_another_school() -> None:
    decision = decide(roll_off(G.REGISTERED_AT_ANOTHER_SCHOOL))
    assert decision.explanation == (
        "On roll at another school (deletion ground a: registered at another school)"
    )


def test_destination_ground_with_a_start_date_but_no_urn() -> None:
    facts = roll_off(G.REGISTERED_AT_ANOTHER_SCHOOL, destination_start_date=date(2025, 11, 3))
    assert decide(facts).explanation.startswith("On roll at another school from 2025-11-03")


def test_died_explanation() -> None:
    assert decide(roll_off(G.DIED)).explanation == "Deletion ground k: died"


def test_permanent_exclusion_is_cme_and_says_the_la_must_arrange_provision() -> None:
    decision = decide(roll_off(G.PERMANENTLY_EXCLUDED))
    assert decision.is_cme
    assert "alternative provision" in decision.explanation


def test_ground_over_csa_settles_even_before_csa_has_ended() -> None:
    facts = roll_off(G.OVER_COMPULSORY_SCHOOL_AGE, as_of=date(2025, 6, 20), date_of_birth=ABOVE_CSA)
    decision = decide(facts)
    assert decision.reason is Reason.ABOVE_COMPULSORY_SCHOOL_AGE
    assert decision.age_status is AgeStatus.OF_AGE  # computed from the date of birth


def test_nursery_leaver_below_csa_is_not_cme() -> None:
    decision = decide(roll_off(G.NURSERY_NOT_CONTINUING, date_of_birth=BELOW_CSA))
    assert decision.reason is Reason.BELOW_COMPULSORY_SCHOOL_AGE


# --- senior-year leavers and precedence among the settling reasons ------------------------------


def test_senior_year_leaver_is_not_cme() -> None:
    decision = decide(roll_off(G.NO_LONGER_WITHIN_REASONABLE_DISTANCE, senior_year_leaver=True))
    assert decision.reason is Reason.SENIOR_YEAR_LEAVER


def test_senior_year_leaver_without_a_ground_is_not_cme() -> None:
    assert decide(roll_off(None, senior_year_leaver=True)).reason is Reason.SENIOR_YEAR_LEAVER


def test_a_settling_ground_beats_senior_year_leaver() -> None:
    assert decide(roll_off(G.DIED, senior_year_leaver=True)).reason is Reason.DIED


def test_senior_year_leaver_beats_a_failed_test() -> None:
    facts = roll_off(G.CONTINUOUSLY_ABSENT, senior_year_leaver=True, date_of_birth=ABOVE_CSA)
    assert decide(facts).reason is Reason.SENIOR_YEAR_LEAVER


# --- test 1: compulsory school age --------------------------------------------------------------


def test_unknown_date_of_birth_is_never_a_rejection() -> None:
    decision = decide(concern(date_of_birth=None))
    assert decision.is_cme
    assert decision.age_status is AgeStatus.UNKNOWN
    assert outcomes(decision)[CmeCriterion.COMPULSORY_SCHOOL_AGE] is CriterionOutcome.UNKNOWN
    assert decision.explanation.startswith("May be missing education on 2025-10-01")
    assert "date of birth not known" in decision.explanation


def test_below_csa_is_not_cme() -> None:
    decision = decide(concern(date_of_birth=BELOW_CSA))
    assert decision.reason is Reason.BELOW_COMPULSORY_SCHOOL_AGE
    assert (
        decision.explanation == "Below compulsory school age on 2025-10-01: it starts on 2026-08-31"
    )


def test_above_csa_is_not_cme() -> None:
    decision = decide(concern(date_of_birth=ABOVE_CSA))
    assert decision.reason is Reason.ABOVE_COMPULSORY_SCHOOL_AGE
    assert (
        decision.explanation == "Above compulsory school age on 2025-10-01: it ended on 2025-06-27"
    )


def test_of_csa_reason_gives_the_csa_dates_not_the_date_of_birth() -> None:
    reason = decide(concern()).criterion(CmeCriterion.COMPULSORY_SCHOOL_AGE).reason
    assert reason == "Of compulsory school age on 2025-10-01 (from 2020-08-31 to 2031-06-27)"
    assert str(OF_CSA) not in reason


def test_simple_band_counts_a_16_year_old_past_the_leaving_date_as_of_age() -> None:
    facts = concern(date_of_birth=date(2009, 7, 15))  # CSA ended 27 Jun 2025; aged 16
    assert decide(facts).reason is Reason.ABOVE_COMPULSORY_SCHOOL_AGE
    decision = decide(facts, age_rule=AgeRule.SIMPLE_BAND)
    assert decision.is_cme
    assert decision.criterion(CmeCriterion.COMPULSORY_SCHOOL_AGE).reason == (
        "Aged 16 on 2025-10-01, within the 5 to 16 age band"
    )


# --- test 2: not on a school roll ---------------------------------------------------------------


def test_on_roll_elsewhere_is_not_cme_and_names_the_school() -> None:
    enrolment = Enrolment("100003", on_roll_from=date(2025, 9, 3), off_roll_on=None)
    decision = decide(concern(enrolments=(enrolment,)))
    assert decision.reason is Reason.ON_ROLL
    assert decision.explanation == "On roll at URN 100003 since 2025-09-03"


def test_enrolment_ending_on_the_day_is_off_roll() -> None:
    enrolment = Enrolment("100003", date(2024, 9, 3), off_roll_on=AS_OF)
    assert decide(concern(enrolments=(enrolment,))).is_cme


def test_enrolment_starting_after_the_day_does_not_count() -> None:
    enrolment = Enrolment("100003", date(2025, 10, 2), off_roll_on=None)
    assert decide(concern(enrolments=(enrolment,))).is_cme


def test_enrolment_starting_on_the_day_counts() -> None:
    enrolment = Enrolment("100003", AS_OF, off_roll_on=None)
    assert decide(concern(enrolments=(enrolment,))).reason is Reason.ON_ROLL


def test_deleting_schools_own_enrolment_is_ignored_for_its_roll_off() -> None:
    own = Enrolment(DELETING_URN, date(2020, 9, 3), off_roll_on=None)
    decision = decide(roll_off(enrolments=(own,)))
    assert decision.is_cme
    assert decision.criterion(CmeCriterion.NOT_ON_ROLL).reason == (
        "Not on the roll of any other school in the index on 2025-10-01"
    )


def test_the_same_enrolment_counts_for_a_concern() -> None:
    own = Enrolment(DELETING_URN, date(2020, 9, 3), off_roll_on=None)
    facts = concern(enrolments=(own,), deleting_school_urn=DELETING_URN)
    assert decide(facts).reason is Reason.ON_ROLL


def test_most_recent_enrolment_is_named_when_on_two_rolls() -> None:
    enrolments = (
        Enrolment("100003", date(2023, 9, 4), None),
        Enrolment("100004", date(2025, 9, 3), None),
    )
    assert decide(concern(enrolments=enrolments)).explanation == (
        "On roll at URN 100004 since 2025-09-03"
    )


# --- test 3: not educated elsewhere -------------------------------------------------------------


def test_on_ehe_register_by_the_day_is_not_cme() -> None:
    decision = decide(concern(ehe_notified_on=AS_OF))
    assert decision.reason is Reason.ELECTIVELY_HOME_EDUCATED
    assert decision.explanation == "Electively home educated: on the EHE register since 2025-10-01"


def test_ehe_notified_after_the_day_does_not_count() -> None:
    assert decide(concern(ehe_notified_on=date(2025, 10, 2))).is_cme


def test_ehe_register_makes_a_roll_off_not_cme_whatever_the_ground() -> None:
    facts = roll_off(G.CONTINUOUSLY_ABSENT, ehe_notified_on=date(2025, 9, 20))
    assert decide(facts).reason is Reason.ELECTIVELY_HOME_EDUCATED


# --- precedence among failed tests --------------------------------------------------------------

ON_ROLL_NOW = (Enrolment("100003", date(2025, 9, 3), None),)


def test_on_roll_beats_ehe_and_age() -> None:
    facts = concern(enrolments=ON_ROLL_NOW, ehe_notified_on=AS_OF, date_of_birth=ABOVE_CSA)
    decision = decide(facts)
    assert decision.reason is Reason.ON_ROLL
    assert set(outcomes(decision).values()) == {CriterionOutcome.NOT_MET}


def test_ehe_beats_age() -> None:
    facts = concern(ehe_notified_on=AS_OF, date_of_birth=BELOW_CSA)
    assert decide(facts).reason is Reason.ELECTIVELY_HOME_EDUCATED


# --- outside the area ---------------------------------------------------------------------------


@pytest.mark.parametrize("source", [ReferralSource.CONCERN, ReferralSource.TRANSFER_IN])
def test_concern_or_transfer_about_a_child_outside_the_area_is_not_cme(
    source: ReferralSource,
) -> None:
    decision = decide(concern(source=source, in_area=False))
    assert decision.reason is Reason.NOT_IN_AREA
    assert "outside this LA's area" in decision.explanation


@pytest.mark.parametrize("source", [ReferralSource.ROLL_OFF, ReferralSource.SIBLING])
def test_roll_off_and_sibling_are_not_rejected_for_living_outside_the_area(
    source: ReferralSource,
) -> None:
    assert decide(concern(source=source, in_area=False)).is_cme


def test_area_not_known_is_not_a_rejection() -> None:
    assert decide(concern(in_area=None)).is_cme


def test_a_failed_test_beats_outside_the_area() -> None:
    facts = concern(in_area=False, enrolments=ON_ROLL_NOW)
    assert decide(facts).reason is Reason.ON_ROLL


# --- the CME explanation ------------------------------------------------------------------------


def test_cme_explanation_when_every_test_is_met() -> None:
    assert decide(concern()).explanation == (
        "Missing education on 2025-10-01: of compulsory school age, on no school roll and "
        "not educated elsewhere"
    )


def test_cme_explanation_names_the_ground() -> None:
    explanation = decide(roll_off(G.NOT_RETURNED_AFTER_LEAVE)).explanation
    assert explanation.endswith("(deletion ground h: did not return after leave of absence)")


# --- the Decision value -------------------------------------------------------------------------


def test_decision_refuses_a_reason_on_a_cme_decision() -> None:
    decision = decide(concern())
    with pytest.raises(ValueError, match="reason"):
        replace(decision, reason=Reason.ON_ROLL)


def test_decision_refuses_a_not_cme_decision_without_a_reason() -> None:
    decision = decide(concern())
    with pytest.raises(ValueError, match="reason"):
        replace(decision, is_cme=False)


def test_decision_refuses_missing_or_repeated_criteria() -> None:
    decision = decide(concern())
    with pytest.raises(ValueError, match="criteria"):
        replace(decision, criteria=decision.criteria[:2])
    with pytest.raises(ValueError, match="criteria"):
        replace(decision, criteria=(*decision.criteria[:2], decision.criteria[0]))


# --- properties over any facts ------------------------------------------------------------------

DAYS = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
URNS = st.sampled_from(["100001", "100002", "100003"])
ENROLMENTS = st.builds(Enrolment, urn=URNS, on_roll_from=DAYS, off_roll_on=st.none() | DAYS)
FACTS = st.builds(
    Facts,
    source=st.sampled_from(ReferralSource),
    as_of=DAYS,
    date_of_birth=st.none() | DATES_OF_BIRTH,
    ground=st.none() | st.sampled_from(DeletionGround),
    deleting_school_urn=st.none() | URNS,
    destination_school_urn=st.none() | URNS,
    destination_start_date=st.none() | DAYS,
    senior_year_leaver=st.booleans(),
    enrolments=st.lists(ENROLMENTS, max_size=4).map(tuple),
    ehe_notified_on=st.none() | DAYS,
    in_area=st.none() | st.booleans(),
)


@given(FACTS, st.sampled_from(AgeRule))
def test_criteria_list_each_test_exactly_once(facts: Facts, rule: AgeRule) -> None:
    decision = decide(facts, age_rule=rule)
    assert [r.criterion for r in decision.criteria] == list(CmeCriterion)


@given(FACTS, st.sampled_from(AgeRule))
def test_cme_exactly_when_no_reason_and_never_with_a_failed_test(
    facts: Facts, rule: AgeRule
) -> None:
    decision = decide(facts, age_rule=rule)
    failed = CriterionOutcome.NOT_MET in outcomes(decision).values()
    assert (decision.reason is None) is decision.is_cme
    assert not (decision.is_cme and failed)


@given(FACTS, st.sampled_from(AgeRule))
def test_unknown_date_of_birth_alone_never_decides_against_cme(facts: Facts, rule: AgeRule) -> None:
    decision = decide(replace(facts, date_of_birth=None), age_rule=rule)
    assert decision.age_status is AgeStatus.UNKNOWN
    assert decision.reason is not Reason.BELOW_COMPULSORY_SCHOOL_AGE
    if facts.ground is not G.OVER_COMPULSORY_SCHOOL_AGE:
        assert decision.reason is not Reason.ABOVE_COMPULSORY_SCHOOL_AGE


@given(FACTS, st.sampled_from(AgeRule))
def test_every_decision_can_be_published(facts: Facts, rule: AgeRule) -> None:
    decision = decide(facts, age_rule=rule)
    if decision.is_cme:
        CmeIdentified(
            reference="CME-2025-000001",
            child_id=uuid4(),
            source=facts.source,
            criteria=decision.criteria,
            age_status=decision.age_status,
            child=ChildDetails(),
        )
    else:
        assert decision.reason is not None
        NotCme(
            reference="CME-2025-000001",
            child_id=uuid4(),
            reason=decision.reason,
            criteria=decision.criteria,
            explanation=decision.explanation,
        )
