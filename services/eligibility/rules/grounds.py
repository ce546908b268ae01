"""What each reg 9(1) deletion ground means for the CME decision: a data table.

A ground either settles the decision on its own (the school's return says where the pupil's
education continues, or why it ends), or leaves it to the three CME tests. The reasoning for
each row is in docs/eligibility-rules.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from schemas.v1.common import CmeCriterion, DeletionGround, NotCmeReason


@dataclass(frozen=True)
class GroundEffect:
    """The effect of one deletion ground on the decision."""

    label: str
    """The ground in a few plain words, for explanations."""
    settles: NotCmeReason | None = None
    """The reason the ground alone makes the child not CME; None: evaluate the three tests."""
    fails: CmeCriterion | None = None
    """The CME test the ground shows is not met, if any."""

    def __post_init__(self) -> None:
        if self.fails is not None and self.settles is None:
            raise ValueError("fails: only a ground that settles the decision fails a test")


_G = DeletionGround
_R = NotCmeReason
_C = CmeCriterion

GROUND_EFFECTS: Mapping[DeletionGround, GroundEffect] = MappingProxyType(
    {
        _G.REGISTERED_AT_ANOTHER_SCHOOL: GroundEffect(
            "registered at another school", _R.ON_ROLL, _C.NOT_ON_ROLL
        ),
        _G.NURSERY_NOT_CONTINUING: GroundEffect("nursery pupil not continuing into reception"),
        _G.DUAL_REGISTRATION_ENDED: GroundEffect(
            "dual registration ended", _R.ON_ROLL, _C.NOT_ON_ROLL
        ),
        _G.ATTENDANCE_ORDER_AMENDED: GroundEffect(
            "school attendance order amended to name another school", _R.ON_ROLL, _C.NOT_ON_ROLL
        ),
        _G.ATTENDANCE_ORDER_REVOKED: GroundEffect(
            "school attendance order revoked", _R.EDUCATED_ELSEWHERE, _C.NOT_EDUCATED_ELSEWHERE
        ),
        _G.ELECTIVE_HOME_EDUCATION: GroundEffect(
            "parent notified the school in writing of elective home education",
            _R.ELECTIVELY_HOME_EDUCATED,
            _C.NOT_EDUCATED_ELSEWHERE,
        ),
        _G.NO_LONGER_WITHIN_REASONABLE_DISTANCE: GroundEffect(
            "no longer lives within reasonable distance of the school"
        ),
        _G.NOT_RETURNED_AFTER_LEAVE: GroundEffect("did not return after leave of absence"),
        _G.CONTINUOUSLY_ABSENT: GroundEffect(
            "continuously absent for 20 or more school days without authorisation"
        ),
        _G.DETAINED: GroundEffect(
            "detained under a sentence of detention",
            _R.EDUCATED_ELSEWHERE,
            _C.NOT_EDUCATED_ELSEWHERE,
        ),
        _G.DIED: GroundEffect("died", _R.DIED),
        _G.OVER_COMPULSORY_SCHOOL_AGE: GroundEffect(
            "will be over compulsory school age and is not continuing into the sixth form",
            _R.ABOVE_COMPULSORY_SCHOOL_AGE,
            _C.COMPULSORY_SCHOOL_AGE,
        ),
        _G.BOARDING_FEES_UNPAID: GroundEffect("boarder whose boarding fees are unpaid"),
        _G.CEASED_AT_INDEPENDENT_OR_NON_MAINTAINED_SPECIAL: GroundEffect(
            "ceased to be a pupil at an independent or non-maintained special school"
        ),
        _G.PERMANENTLY_EXCLUDED: GroundEffect(
            "permanently excluded, so the LA must arrange alternative provision"
        ),
    }
)
"""reg 9(1) ground -> its effect on the CME decision (every ground has a row)."""


def ground_phrase(ground: DeletionGround) -> str:
    """E.g. "deletion ground k: died"."""
    return f"deletion ground {ground.value}: {GROUND_EFFECTS[ground].label}"
