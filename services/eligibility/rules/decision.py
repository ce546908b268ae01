"""Is a reported child missing education? The decision as a pure function of the known facts.

Order of precedence (`PRECEDENCE`: the first that applies gives the reason; the reasoning is in
docs/eligibility-rules.md):

1. a deletion ground that settles the decision (a, c, d, e, f, j, k, l: see `grounds`);
2. a pupil leaving the school's most senior year at the end of the school year;
3. a failed CME test, in the order of `FAILED_TEST_PRECEDENCE`: on roll, then educated
   elsewhere, then age;
4. a concern or transfer-in about a child living outside the LA's area;
5. otherwise the child is CME (tests may be unknown, e.g. no date of birth, but none failed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from schemas.v1.common import CmeCriterion, CriterionOutcome, DeletionGround, NotCmeReason
from schemas.v1.eligibility import AgeStatus, CriterionResult, ReferralSource
from services.eligibility.rules.criteria import age_test, elsewhere_test, result, roll_test
from services.eligibility.rules.grounds import GROUND_EFFECTS, ground_phrase
from services.eligibility.rules.roll import Enrolment
from services.eligibility.rules.school_age import AgeRule, age_status

__all__ = [
    "AREA_CHECKED_SOURCES",
    "FAILED_TEST_PRECEDENCE",
    "PRECEDENCE",
    "Decision",
    "Enrolment",
    "Facts",
    "decide",
]

FAILED_TEST_PRECEDENCE = (
    CmeCriterion.NOT_ON_ROLL,
    CmeCriterion.NOT_EDUCATED_ELSEWHERE,
    CmeCriterion.COMPULSORY_SCHOOL_AGE,
)
"""When several tests fail, the first here gives the reason."""

AREA_CHECKED_SOURCES = frozenset({ReferralSource.CONCERN, ReferralSource.TRANSFER_IN})
"""Sources for which a child known to live outside the area is not this LA's CME case."""

_REASON_OF_FAILED_TEST = {
    CmeCriterion.NOT_ON_ROLL: NotCmeReason.ON_ROLL,
    CmeCriterion.NOT_EDUCATED_ELSEWHERE: NotCmeReason.ELECTIVELY_HOME_EDUCATED,
}
_REASON_OF_AGE_STATUS = {
    AgeStatus.BELOW: NotCmeReason.BELOW_COMPULSORY_SCHOOL_AGE,
    AgeStatus.ABOVE: NotCmeReason.ABOVE_COMPULSORY_SCHOOL_AGE,
}


@dataclass(frozen=True)
class Facts:
    """What is known about a reported child, as of the day the decision is about."""

    source: ReferralSource
    as_of: date  # the deletion date, or the day the concern was received
    date_of_birth: date | None
    ground: DeletionGround | None = None  # for roll-off notices
    deleting_school_urn: str | None = None
    destination_school_urn: str | None = None  # named on a ground a/c/d return
    destination_start_date: date | None = None
    senior_year_leaver: bool = False
    enrolments: tuple[Enrolment, ...] = ()  # every known enrolment of this child, anywhere
    ehe_notified_on: date | None = None  # on the EHE register since
    in_area: bool | None = None  # None = not known


@dataclass(frozen=True)
class Decision:
    """Whether the child is CME, the main reason if not, and each test with its reason."""

    is_cme: bool
    reason: NotCmeReason | None  # None iff is_cme
    age_status: AgeStatus
    criteria: tuple[CriterionResult, ...]  # every CmeCriterion once, in declaration order
    explanation: str  # one sentence an officer reads

    def __post_init__(self) -> None:
        if (self.reason is None) != self.is_cme:
            raise ValueError("reason: given exactly when the child is not CME")
        if tuple(r.criterion for r in self.criteria) != tuple(CmeCriterion):
            raise ValueError("criteria: each CME test exactly once, in CmeCriterion order")

    def criterion(self, which: CmeCriterion) -> CriterionResult:
        """The result of one test."""
        return next(r for r in self.criteria if r.criterion is which)


class NotCmeVerdict(NamedTuple):
    reason: NotCmeReason
    explanation: str


Results = Mapping[CmeCriterion, CriterionResult]
Verdict = NotCmeVerdict | None


def decide(facts: Facts, *, age_rule: AgeRule = AgeRule.STATUTORY) -> Decision:
    """Decide whether the child is missing education (precedence: see the module docstring)."""
    status = age_status(facts.date_of_birth, facts.as_of, age_rule)
    results = evaluate_tests(facts, status, age_rule)
    criteria = tuple(results[c] for c in CmeCriterion)
    verdict = first_verdict(facts, results, status)
    if verdict is None:
        return Decision(True, None, status, criteria, cme_explanation(facts, results))
    return Decision(False, verdict.reason, status, criteria, verdict.explanation)


def evaluate_tests(
    facts: Facts, status: AgeStatus, age_rule: AgeRule
) -> dict[CmeCriterion, CriterionResult]:
    """The three tests from the facts; a settling ground's failed test replaces its own."""
    results = {
        CmeCriterion.COMPULSORY_SCHOOL_AGE: age_test(
            facts.date_of_birth, facts.as_of, status, age_rule
        ),
        CmeCriterion.NOT_ON_ROLL: roll_test(
            facts.enrolments, facts.as_of, excluding_urn=deleting_school(facts)
        ),
        CmeCriterion.NOT_EDUCATED_ELSEWHERE: elsewhere_test(facts.ehe_notified_on, facts.as_of),
    }
    if facts.ground is not None and (failed := GROUND_EFFECTS[facts.ground].fails) is not None:
        explanation = ground_explanation(facts.ground, facts)
        results[failed] = result(failed, CriterionOutcome.NOT_MET, explanation)
    return results


def deleting_school(facts: Facts) -> str | None:
    """The school whose own enrolment does not count as "on roll" (roll-offs only)."""
    return facts.deleting_school_urn if facts.source is ReferralSource.ROLL_OFF else None


def settled_by_ground(facts: Facts, _results: Results, _status: AgeStatus) -> Verdict:
    """A ground that by itself shows the child's education continues or has ended."""
    if facts.ground is None or (reason := GROUND_EFFECTS[facts.ground].settles) is None:
        return None
    return NotCmeVerdict(reason, ground_explanation(facts.ground, facts))


def senior_year_leaver(facts: Facts, _results: Results, _status: AgeStatus) -> Verdict:
    """Leaving the most senior year at the end of the school year (reg 13(4): no return due)."""
    if not facts.senior_year_leaver:
        return None
    return NotCmeVerdict(
        NotCmeReason.SENIOR_YEAR_LEAVER,
        "Left the school's most senior year at the end of the school year",
    )


def failed_test(_facts: Facts, results: Results, status: AgeStatus) -> Verdict:
    """The first failed CME test in `FAILED_TEST_PRECEDENCE`."""
    for criterion in FAILED_TEST_PRECEDENCE:
        if results[criterion].outcome is CriterionOutcome.NOT_MET:
            reason = _REASON_OF_FAILED_TEST.get(criterion) or _REASON_OF_AGE_STATUS[status]
            return NotCmeVerdict(reason, results[criterion].reason)
    return None


def outside_area(facts: Facts, _results: Results, _status: AgeStatus) -> Verdict:
    """A concern or transfer-in about a child known to live in another LA's area."""
    if facts.in_area is not False or facts.source not in AREA_CHECKED_SOURCES:
        return None
    return NotCmeVerdict(
        NotCmeReason.NOT_IN_AREA,
        "Lives outside this LA's area; the LA where the child lives is responsible",
    )


PRECEDENCE: tuple[Callable[[Facts, Results, AgeStatus], Verdict], ...] = (
    settled_by_ground,
    senior_year_leaver,
    failed_test,
    outside_area,
)
"""The reasons a child is not CME, in order: the first that applies is the decision's reason."""


def first_verdict(facts: Facts, results: Results, status: AgeStatus) -> Verdict:
    verdicts = (rule(facts, results, status) for rule in PRECEDENCE)
    return next((v for v in verdicts if v is not None), None)


def ground_explanation(ground: DeletionGround, facts: Facts) -> str:
    """The sentence for a deletion ground; for a/c/d it names where the pupil is on roll."""
    phrase = ground_phrase(ground)
    if GROUND_EFFECTS[ground].settles is NotCmeReason.ON_ROLL:
        return f"On roll at {destination(facts)} ({phrase})"
    return phrase[0].upper() + phrase[1:]


def destination(facts: Facts) -> str:
    """E.g. "URN 100002 from 2025-09-03", or "another school" when no URN is known."""
    school = (
        f"URN {facts.destination_school_urn}" if facts.destination_school_urn else "another school"
    )
    start = facts.destination_start_date
    return school if start is None else f"{school} from {start}"


def cme_explanation(facts: Facts, results: Results) -> str:
    unknown = [r.reason for r in results.values() if r.outcome is CriterionOutcome.UNKNOWN]
    if unknown:
        details = "; ".join(reason[0].lower() + reason[1:] for reason in unknown)
        sentence = f"May be missing education on {facts.as_of}: no test failed, but {details}"
    else:
        sentence = (
            f"Missing education on {facts.as_of}: of compulsory school age, "
            "on no school roll and not educated elsewhere"
        )
    return sentence if facts.ground is None else f"{sentence} ({ground_phrase(facts.ground)})"
