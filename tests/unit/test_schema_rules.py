"""Cross-field rules of the v1 messages: only unconditional facts, each naming field and rule."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import pytest
from pydantic import BaseModel, ValidationError

from schemas import v1
from schemas.catalogue import CATALOGUE
from schemas.registry import MessageParseError
from schemas.v1.common import (
    DELETION_GROUND_DESCRIPTIONS,
    DeletionGround,
    SchoolRef,
)

NOW = datetime(2024, 9, 5, 9, 30, tzinfo=UTC)


def roll_off(**changes: Any) -> dict[str, Any]:
    return {
        "reference": "RO-2024-000001",
        "school_urn": "100000",
        "pupil": {
            "name": {"forenames": "Amelia", "surname": "Smith"},
            "date_of_birth": "2014-03-02",
        },
        "ground": "g",
        "deletion_date": "2024-09-03",
        "received_at": NOW.isoformat(),
        "channel": "school-return",
    } | changes


def rejection(model: type[BaseModel], data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return str(caught.value)


def test_deletion_grounds_are_the_letters_a_to_o_each_with_its_meaning() -> None:
    assert [g.value for g in DeletionGround] == list("abcdefghijklmno")
    assert set(DELETION_GROUND_DESCRIPTIONS) == set(DeletionGround)
    assert "20 or more school days" in DeletionGround("i").description
    assert DeletionGround.__doc__ is not None
    assert "o: permanently excluded" in DeletionGround.__doc__


def test_deletion_return_on_ground_a_must_name_the_destination_school() -> None:
    message = rejection(v1.RollOffNotified, roll_off(ground="a"))
    assert "destination_school is required for ground 'a'" in message
    assert "registered at another school" in message


def test_deletion_return_on_ground_a_with_a_destination_school_is_accepted() -> None:
    data = roll_off(ground="a", destination_school={"name": "Nantwich Academy"})
    assert v1.RollOffNotified.model_validate(data).destination_school == SchoolRef(
        name="Nantwich Academy"
    )


@pytest.mark.parametrize("ground", ["h", "i"])
def test_deletion_return_on_ground_h_or_i_needs_the_date_of_reasonable_enquiries(
    ground: str,
) -> None:
    message = rejection(v1.RollOffNotified, roll_off(ground=ground))
    assert f"reasonable_enquiries_on is required for ground '{ground}'" in message
    assert "reasonable enquiries" in message


@pytest.mark.parametrize("ground", ["h", "i"])
def test_deletion_return_on_ground_h_or_i_with_enquiries_date_is_accepted(ground: str) -> None:
    data = roll_off(ground=ground, reasonable_enquiries_on="2024-07-01")
    assert v1.RollOffNotified.model_validate(data).ground == DeletionGround(ground)


@pytest.mark.parametrize("ground", list("bcdefgjklmno"))
def test_other_grounds_need_neither_destination_nor_enquiries(ground: str) -> None:
    assert v1.RollOffNotified.model_validate(roll_off(ground=ground)).ground.value == ground


def test_deletion_return_cannot_have_attendance_after_the_deletion() -> None:
    message = rejection(v1.RollOffNotified, roll_off(last_attendance_date="2024-09-04"))
    assert "last_attendance_date must not be after deletion_date" in message


def test_deletion_return_rule_breach_reaches_the_reader_as_a_parse_error() -> None:
    body = {
        "message_id": str(uuid4()),
        "type": "intake.roll-off-notified",
        "version": 1,
        "occurred_at": NOW.isoformat(),
        "correlation_id": str(uuid4()),
        "producer": "intake",
        "payload": roll_off(ground="a"),
    }
    with pytest.raises(MessageParseError) as caught:
        CATALOGUE.parse(json.dumps(body))
    assert "destination_school is required for ground 'a'" in caught.value.reason
    assert "Smith" not in caught.value.reason


def test_concern_with_only_where_seen_and_the_concern_is_accepted() -> None:
    concern = v1.ConcernReported.model_validate(
        {
            "reference": "CR-2024-000009",
            "channel": "web-form",
            "where_seen": "A girl of about 12 outside the shops on Mill Street, school hours",
            "concern": "She is there every weekday and never seems to go to school",
            "received_at": NOW.isoformat(),
        }
    )
    assert concern.child.name.surname is None
    assert concern.child.date_of_birth is None
    assert concern.reporter is None


def test_concern_with_a_partial_name_and_address_and_no_postcode_is_accepted() -> None:
    concern = v1.ConcernReported.model_validate(
        {
            "reference": "CR-2024-000010",
            "channel": "phone",
            "child": {
                "name": {"forenames": "Jay"},
                "address": {"lines": ["the flats by the park"]},
            },
            "concern": "Not seen at school since Easter",
            "received_at": NOW.isoformat(),
        }
    )
    assert concern.child.address is not None
    assert concern.child.address.postcode is None


def test_a_school_needs_a_urn_or_a_name() -> None:
    assert "a school needs a urn or a name" in rejection(SchoolRef, {"la_code": "895"})


def check(**changes: Any) -> dict[str, Any]:
    return {
        "check_id": str(uuid4()),
        "case_id": str(uuid4()),
        "kind": "last-school",
        "child": {"name": {"surname": "Smith"}},
        "answer_by": "2024-09-12",
    } | changes


@pytest.mark.parametrize("kind", ["last-school", "destination-school", "siblings-schools"])
def test_school_check_must_name_the_school(kind: str) -> None:
    message = rejection(v1.CheckRequested, check(kind=kind))
    assert f"target_school is required for a '{kind}' check" in message


def test_other_la_check_must_name_the_la() -> None:
    message = rejection(v1.CheckRequested, check(kind="other-la"))
    assert "target_la_code is required for a 'other-la' check" in message


@pytest.mark.parametrize("kind", ["health", "housing", "council-tax", "lost-pupil-database"])
def test_agency_checks_need_no_target(kind: str) -> None:
    assert v1.CheckRequested.model_validate(check(kind=kind)).kind.value == kind


def test_cme_identified_cannot_carry_a_failed_test() -> None:
    data = {
        "reference": "RO-2024-000001",
        "child_id": str(uuid4()),
        "source": "roll-off",
        "criteria": [
            {"criterion": "compulsory-school-age", "outcome": "unknown", "reason": "No DOB"},
            {"criterion": "not-on-roll", "outcome": "not-met", "reason": "On roll"},
        ],
        "age_status": "unknown",
        "child": {},
    }
    message = rejection(v1.CmeIdentified, data)
    assert "criteria: not-on-roll is not-met" in message


def test_cme_identified_with_age_unknown_is_accepted() -> None:
    data = {
        "reference": "CR-2024-000001",
        "child_id": str(uuid4()),
        "source": "concern",
        "criteria": [
            {"criterion": "compulsory-school-age", "outcome": "unknown", "reason": "No DOB"},
        ],
        "age_status": "unknown",
        "child": {},
    }
    assert v1.CmeIdentified.model_validate(data).age_status.value == "unknown"


def test_roll_query_answer_left_needs_the_leaving_date() -> None:
    data = {
        "query_id": str(uuid4()),
        "check_id": str(uuid4()),
        "case_id": str(uuid4()),
        "school_urn": "100000",
        "answer": "left",
        "answered_by": "Office",
        "answered_at": NOW.isoformat(),
    }
    assert "left_on is required when answer is 'left'" in rejection(v1.RollQueryAnswered, data)
    assert v1.RollQueryAnswered.model_validate(data | {"left_on": "2024-07-19"}).left_on == date(
        2024, 7, 19
    )


@pytest.mark.parametrize(
    ("missing", "rule"),
    [("upn", "pupil.upn is required"), ("date_of_birth", "pupil.date_of_birth is required")],
)
def test_lost_pupil_upload_needs_upn_and_date_of_birth(missing: str, rule: str) -> None:
    pupil = {
        "upn": "B801200005001",
        "name": {"forenames": "Amelia", "surname": "Smith"},
        "date_of_birth": "2014-03-02",
    }
    del pupil[missing]
    data = {"upload_id": str(uuid4()), "case_id": str(uuid4()), "pupil": pupil}
    assert rule in rejection(v1.LostPupilUploadRequested, data)


def test_lost_pupil_uploaded_is_always_destination_unknown() -> None:
    data = {
        "upload_id": str(uuid4()),
        "case_id": str(uuid4()),
        "ctf_file_name": "x.xml",
        "document_qualifier": "partial",
        "uploaded_at": NOW.isoformat(),
    }
    uploaded = v1.LostPupilUploaded.model_validate(data)
    assert (uploaded.dest_la, uploaded.dest_estab) == ("XXX", "XXXX")
    assert "'XXX'" in rejection(v1.LostPupilUploaded, data | {"dest_la": "895"})
