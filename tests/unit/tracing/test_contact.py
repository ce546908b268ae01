"""Checks that must have a result before an officer contacts the family."""

from __future__ import annotations

from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas.v1.common import CheckKind
from services.tracing.rules.contact import (
    DEFAULT_REQUIRED_BEFORE_CONTACT,
    missing_before_contact,
    refusal_message,
)

K = CheckKind
KIND_SETS = st.frozensets(st.sampled_from(list(CheckKind)))


def test_by_default_last_school_social_care_and_health_come_before_contact() -> None:
    assert {K.LAST_SCHOOL, K.SOCIAL_CARE, K.HEALTH} == DEFAULT_REQUIRED_BEFORE_CONTACT


@pytest.mark.parametrize(
    ("kind", "required", "planned", "done"),
    list(product(CheckKind, [True, False], [True, False], [True, False])),
)
def test_a_check_blocks_contact_only_when_required_planned_and_without_a_result(
    kind: CheckKind, required: bool, planned: bool, done: bool
) -> None:
    missing = missing_before_contact(
        required=[kind] if required else [],
        done=[kind] if done else [],
        planned=[kind] if planned else [],
    )
    assert missing == ((kind,) if required and planned and not done else ())


def test_no_last_school_check_is_needed_when_no_school_is_known() -> None:
    planned = [K.HEALTH, K.HOUSING, K.SOCIAL_CARE]
    done = [K.SOCIAL_CARE, K.HEALTH]
    assert missing_before_contact(DEFAULT_REQUIRED_BEFORE_CONTACT, done, planned) == ()


def test_missing_checks_come_in_check_kind_order() -> None:
    missing = missing_before_contact(
        [K.SOCIAL_CARE, K.HEALTH, K.LAST_SCHOOL], [], [K.HEALTH, K.SOCIAL_CARE, K.LAST_SCHOOL]
    )
    assert missing == (K.LAST_SCHOOL, K.HEALTH, K.SOCIAL_CARE)


@given(KIND_SETS, KIND_SETS, KIND_SETS)
def test_missing_is_required_and_planned_less_done(
    required: frozenset[CheckKind], done: frozenset[CheckKind], planned: frozenset[CheckKind]
) -> None:
    missing = missing_before_contact(required, done, planned)
    assert set(missing) == (required & planned) - done
    assert list(missing) == sorted(missing, key=list(CheckKind).index)


@given(KIND_SETS, KIND_SETS, KIND_SETS)
def test_missing_does_not_depend_on_the_order_of_its_inputs(
    required: frozenset[CheckKind], done: frozenset[CheckKind], planned: frozenset[CheckKind]
) -> None:
    forwards = missing_before_contact(sorted(required), sorted(done), sorted(planned))
    backwards = missing_before_contact(
        sorted(required, reverse=True), sorted(done, reverse=True), sorted(planned, reverse=True)
    )
    assert forwards == backwards


def test_refusal_message_lists_the_missing_checks() -> None:
    assert refusal_message([K.LAST_SCHOOL, K.HEALTH]) == (
        "Record the results of these checks before contacting the family: last-school, health"
    )


def test_refusal_message_names_each_check_once() -> None:
    assert refusal_message([K.HEALTH, K.HEALTH]).endswith(": health")


def test_refusal_message_needs_a_missing_check() -> None:
    with pytest.raises(ValueError, match=r"missing: no check is missing"):
        refusal_message([])
