"""An old version is lifted to the newest by upcasters, so handlers see one shape."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from pydantic import Field

from schemas.catalogue import CATALOGUE
from schemas.envelope import Payload, new_envelope
from schemas.registry import MessageParseError, Registry, encode, message
from schemas.v1.common import SchoolRef
from schemas.v1.eligibility import BackOnRoll

CHILD_ID = UUID("0b7b0f7e-3f55-4f5a-8d7e-9a1c3a8e2b02")
V1 = BackOnRoll(
    child_id=CHILD_ID,
    school_urn="100001",
    admission_date=date(2024, 9, 4),
    reference="NP-2024-000001",
)


@message("eligibility.back-on-roll", 2)
class BackOnRollV2(Payload):
    """Test-only v2: the school is a reference that may lack a URN."""

    child_id: UUID = Field(description="Child record.")
    school: SchoolRef = Field(description="School now on roll at.")
    admission_date: date = Field(description="Date admitted.")
    reference: str = Field(description="Source reference.")


def v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    fields = dict(data)
    return fields | {"school": {"urn": fields.pop("school_urn")}}


def registry(*, with_upcaster: bool) -> Registry:
    fresh = Registry([BackOnRoll, BackOnRollV2])
    if with_upcaster:
        fresh.upcaster("eligibility.back-on-roll", 1)(v1_to_v2)
    return fresh


def test_v1_body_is_read_as_the_v2_model() -> None:
    sent = new_envelope(V1)
    parsed = registry(with_upcaster=True).parse(encode(sent))
    assert parsed.payload == BackOnRollV2(
        child_id=CHILD_ID,
        school=SchoolRef(urn="100001"),
        admission_date=date(2024, 9, 4),
        reference="NP-2024-000001",
    )
    assert parsed.version == 2
    assert (parsed.message_id, parsed.correlation_id) == (sent.message_id, sent.correlation_id)


def test_v2_body_is_read_as_is() -> None:
    v2 = BackOnRollV2(
        child_id=CHILD_ID,
        school=SchoolRef(name="Nantwich Academy"),
        admission_date=date(2024, 9, 4),
        reference="NP-2024-000001",
    )
    assert registry(with_upcaster=True).parse(encode(new_envelope(v2))).payload == v2


def test_missing_upcaster_is_a_parse_error_naming_the_step() -> None:
    with pytest.raises(MessageParseError) as caught:
        registry(with_upcaster=False).parse(encode(new_envelope(V1)))
    assert caught.value.reason == "no upcaster from eligibility.back-on-roll v1 to v2"


def test_upcaster_output_is_validated_against_the_newer_model() -> None:
    broken = Registry([BackOnRoll, BackOnRollV2])
    broken.upcaster("eligibility.back-on-roll", 1)(lambda data: data)
    with pytest.raises(MessageParseError) as caught:
        broken.parse(encode(new_envelope(V1)))
    assert "payload of eligibility.back-on-roll v2 is invalid" in caught.value.reason
    assert "school" in caught.value.reason


def test_test_only_v2_does_not_leak_into_the_hub_catalogue() -> None:
    assert CATALOGUE.latest("eligibility.back-on-roll").model is BackOnRoll
    assert CATALOGUE.parse(encode(new_envelope(V1))).payload == V1
