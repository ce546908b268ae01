"""Checks that must have a result before an officer contacts the child's parents or carers.

The team always makes checks before contacting the family (DOMAIN.md). A required check blocks
contact only when it is in the case's plan (no last-school check is possible when no school is
known) and has no result yet. The reasoning is in docs/tracing-rules.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from schemas.v1.common import CheckKind

DEFAULT_REQUIRED_BEFORE_CONTACT = frozenset(
    {CheckKind.LAST_SCHOOL, CheckKind.SOCIAL_CARE, CheckKind.HEALTH}
)


def missing_before_contact(
    required: Iterable[CheckKind], done: Iterable[CheckKind], planned: Iterable[CheckKind]
) -> tuple[CheckKind, ...]:
    """The required, planned checks with no result yet, in `CheckKind` order; () allows contact."""
    blocking = frozenset(required) & frozenset(planned) - frozenset(done)
    return tuple(kind for kind in CheckKind if kind in blocking)


def refusal_message(missing: Iterable[CheckKind]) -> str:
    """E.g. "Record the results of these checks before contacting the family: last-school"."""
    kinds = ", ".join(dict.fromkeys(str(kind) for kind in missing))
    if not kinds:
        raise ValueError("missing: no check is missing, so contact is not refused")
    return f"Record the results of these checks before contacting the family: {kinds}"
