"""Every catalogue message survives the wire, matches its published schema, and reads tolerantly."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import jsonschema
import pytest

from schemas import v1
from schemas.catalogue import CATALOGUE
from schemas.envelope import Envelope, Payload, new_envelope
from schemas.export import published_dir, schema_path
from schemas.registry import MessageParseError, encode
from schemas.v1.common import (
    Address,
    AlertPriority,
    Carer,
    CaseOutcome,
    CheckKind,
    ChildDetails,
    CmeCriterion,
    CriterionOutcome,
    DeletionGround,
    Gender,
    LaContact,
    NotCmeReason,
    PartialName,
    PersonName,
    PoliceRiskLevel,
    Pupil,
    ReportChannel,
    RiskIndicator,
    SchoolRef,
    Sibling,
    TransferPupil,
)
from schemas.v1.eligibility import AgeStatus, CriterionResult, ReferralSource
from schemas.v1.intake import Reporter
from schemas.v1.police_notifier import AlertFailureReason
from schemas.v1.school_liaison import RollAnswer, SchoolNoticeKind
from schemas.v1.tracing import PoliceAlertChild, RollCheckChild

NOW = datetime(2024, 9, 5, 9, 30, 15, 123456, tzinfo=UTC)
CASE_ID = UUID("6f1c2a44-0b0e-4c55-9a57-2d1d8f0b6a01")
CHILD_ID = UUID("0b7b0f7e-3f55-4f5a-8d7e-9a1c3a8e2b02")
REQUEST_ID = UUID("a3d9c1f0-5e2b-4c7d-8f1a-6b4e2d9c0e03")
OTHER_ID = UUID("c5e8f2a1-7d3b-4e6f-9a0c-1b2d3e4f5a04")

ADDRESS = Address(lines=("12 Market Street",), town="Crewe", postcode="cw1 2bj")
SCHOOL = SchoolRef(urn="100000", name="Crewe Primary School", la_code="895")
NAME = PersonName(forenames="Amelia", surname="Smith", middle_names="Rose")
CARER = Carer(
    name=PersonName(forenames="Jo", surname="Smith"),
    relationship="mother",
    address=ADDRESS,
    emergency_phones=("01270 555 0100",),
    lives_with_pupil=True,
)
PUPIL = Pupil(
    upn="B801200005001",
    name=NAME,
    date_of_birth=date(2014, 3, 2),
    gender=Gender.FEMALE,
    address=ADDRESS,
)
CHILD = ChildDetails(
    upn="B801200005001",
    name=PartialName(forenames="Amelia", surname="Smith"),
    date_of_birth=date(2014, 3, 2),
    gender=Gender.FEMALE,
    address=ADDRESS,
    last_known_school=SCHOOL,
)
SIBLING = Sibling(name=PartialName(forenames="Leo"), approximate_age=7, relationship="brother")
TRANSFER_PUPIL = TransferPupil(
    upn="B801200005001",
    name=NAME,
    date_of_birth=date(2014, 3, 2),
    gender=Gender.FEMALE,
    address=ADDRESS,
    phones=("01270 555 0100",),
    contacts=(CARER,),
)
CONTACT = LaContact(name="CME team", phone="01270 555 0199", email="cme@example.gov.uk")
CRITERIA = (
    CriterionResult(
        criterion=CmeCriterion.COMPULSORY_SCHOOL_AGE, outcome=CriterionOutcome.MET, reason="Aged 10"
    ),
    CriterionResult(
        criterion=CmeCriterion.NOT_ON_ROLL,
        outcome=CriterionOutcome.MET,
        reason="On no roll in the index",
    ),
    CriterionResult(
        criterion=CmeCriterion.NOT_EDUCATED_ELSEWHERE,
        outcome=CriterionOutcome.UNKNOWN,
        reason="No EHE notice",
    ),
)

EXAMPLES: tuple[Payload, ...] = (
    v1.RollOffNotified(
        reference="RO-2024-000001",
        school_urn="100000",
        pupil=PUPIL,
        parents=(CARER,),
        future_address=ADDRESS,
        future_address_from=date(2024, 9, 1),
        future_carer=CARER.name,
        destination_school=SCHOOL,
        destination_start_date=date(2024, 9, 4),
        ground=DeletionGround.CONTINUOUSLY_ABSENT,
        deletion_date=date(2024, 9, 3),
        last_attendance_date=date(2024, 6, 1),
        reasonable_enquiries_on=date(2024, 7, 1),
        received_at=NOW,
        channel=ReportChannel.SCHOOL_RETURN,
    ),
    v1.AdmissionNotified(
        reference="NP-2024-000001",
        school_urn="100001",
        pupil=PUPIL,
        parents=(CARER,),
        admission_date=date(2024, 9, 4),
        previous_school=SCHOOL,
        received_at=NOW,
        channel=ReportChannel.API,
    ),
    v1.ConcernReported(
        reference="CR-2024-000001",
        channel=ReportChannel.WEB_FORM,
        child=CHILD,
        where_seen="Near the park",
        concern="Not in school for weeks",
        risk_indicators=(RiskIndicator.HARM,),
        other_children=(SIBLING,),
        reporter=Reporter(name="A Neighbour", phone="01270 555 0111"),
        received_at=NOW,
    ),
    v1.CmeIdentified(
        reference="RO-2024-000001",
        child_id=CHILD_ID,
        source=ReferralSource.ROLL_OFF,
        criteria=CRITERIA,
        age_status=AgeStatus.OF_AGE,
        child=CHILD,
        carers=(CARER,),
        future_address=ADDRESS,
        destination_school=SCHOOL,
        deletion_ground=DeletionGround.CONTINUOUSLY_ABSENT,
        risk_indicators=(RiskIndicator.MISSING_FROM_HOME,),
        siblings=(SIBLING,),
    ),
    v1.NotCme(
        reference="CR-2024-000002",
        child_id=CHILD_ID,
        reason=NotCmeReason.ON_ROLL,
        criteria=CRITERIA,
        explanation="On roll at Crewe Primary School",
    ),
    v1.BackOnRoll(
        child_id=CHILD_ID,
        school_urn="100001",
        admission_date=date(2024, 9, 4),
        reference="NP-2024-000001",
    ),
    v1.CaseOpened(
        case_id=CASE_ID,
        child_id=CHILD_ID,
        reference="RO-2024-000001",
        opened_at=NOW,
        trace_by=date(2024, 9, 19),
        urgent=False,
    ),
    v1.CheckRequested(
        check_id=OTHER_ID,
        case_id=CASE_ID,
        kind=CheckKind.LAST_SCHOOL,
        target_school=SCHOOL,
        child=RollCheckChild(
            upn="B801200005001", name=PartialName(surname="Smith"), date_of_birth=date(2014, 3, 2)
        ),
        answer_by=date(2024, 9, 12),
    ),
    v1.PoliceAlertRequested(
        alert_request_id=REQUEST_ID,
        case_id=CASE_ID,
        priority=AlertPriority.URGENT,
        risk_level=PoliceRiskLevel.HIGH,
        risk_indicators=(RiskIndicator.SEXUAL_EXPLOITATION,),
        reason="Risk of exploitation",
        child=PoliceAlertChild(
            name=CHILD.name,
            date_of_birth=date(2014, 3, 2),
            last_known_address=ADDRESS,
            photo_reference="PHOTO-1",
        ),
        la_contact=CONTACT,
    ),
    v1.PoliceAlertUpdateRequested(
        alert_request_id=REQUEST_ID,
        case_id=CASE_ID,
        priority=AlertPriority.ROUTINE,
        risk_level=PoliceRiskLevel.LOW,
        reason="Seen with family",
    ),
    v1.TransferRequested(
        transfer_id=OTHER_ID,
        case_id=CASE_ID,
        destination_la="330",
        pupil=TRANSFER_PUPIL,
        last_school=SCHOOL,
        notes="Family moved to Birmingham",
        la_contact=CONTACT,
    ),
    v1.LostPupilUploadRequested(
        upload_id=OTHER_ID,
        case_id=CASE_ID,
        pupil=TRANSFER_PUPIL,
        last_school=SCHOOL,
    ),
    v1.SocialCareReferralRecorded(
        case_id=CASE_ID,
        child_id=CHILD_ID,
        referred_at=NOW,
        mash_reference="MASH-77",
        risk_indicators=(RiskIndicator.ABUSE,),
    ),
    v1.SiblingReferred(
        reference="SB-2024-000001",
        case_id=CASE_ID,
        child=SIBLING,
        risk_indicators=(RiskIndicator.HARM,),
    ),
    v1.CaseClosed(
        case_id=CASE_ID,
        child_id=CHILD_ID,
        outcome=CaseOutcome.BACK_IN_SCHOOL,
        closed_at=NOW,
        school_urn="100001",
    ),
    v1.AlertSent(
        alert_id=OTHER_ID,
        alert_request_id=REQUEST_ID,
        case_id=CASE_ID,
        force="cheshire",
        sent_at=NOW,
    ),
    v1.AlertAcknowledged(
        alert_id=OTHER_ID,
        alert_request_id=REQUEST_ID,
        case_id=CASE_ID,
        force="cheshire",
        police_reference="LOG-123",
        acknowledged_at=NOW,
    ),
    v1.AlertFailed(
        alert_request_id=REQUEST_ID,
        case_id=CASE_ID,
        reason=AlertFailureReason.NOT_ACKNOWLEDGED,
        detail="No answer in 2 hours",
        failed_at=NOW,
    ),
    v1.AlertCancelled(
        alert_id=OTHER_ID,
        alert_request_id=REQUEST_ID,
        case_id=CASE_ID,
        force="cheshire",
        outcome=CaseOutcome.BACK_IN_SCHOOL,
        cancelled_at=NOW,
    ),
    v1.TransferSent(transfer_id=OTHER_ID, case_id=CASE_ID, destination_la="330", sent_at=NOW),
    v1.TransferReceived(
        reference="TR-2024-000001",
        source_la="330",
        their_reference="BHM-99",
        pupil=TRANSFER_PUPIL,
        last_school=SCHOOL,
        sender_contact=CONTACT,
        received_at=NOW,
    ),
    v1.TransferAcknowledged(
        transfer_id=OTHER_ID,
        case_id=CASE_ID,
        destination_la="330",
        their_reference="BHM-100",
        acknowledged_at=NOW,
    ),
    v1.LostPupilUploaded(
        upload_id=OTHER_ID,
        case_id=CASE_ID,
        ctf_file_name="8952000_CTF_XXXXXXX_001.xml",
        document_qualifier="partial",
        uploaded_at=NOW,
    ),
    v1.RollQuerySent(
        query_id=OTHER_ID,
        check_id=REQUEST_ID,
        case_id=CASE_ID,
        school_urn="100000",
        sent_at=NOW,
        answer_by=date(2024, 9, 12),
    ),
    v1.RollQueryAnswered(
        query_id=OTHER_ID,
        check_id=REQUEST_ID,
        case_id=CASE_ID,
        school_urn="100000",
        answer=RollAnswer.LEFT,
        left_on=date(2024, 7, 19),
        answered_by="Office manager",
        answered_at=NOW,
    ),
    v1.SchoolNotified(
        notice_id=OTHER_ID,
        case_id=CASE_ID,
        school_urn="100001",
        kind=SchoolNoticeKind.CASE_CLOSED,
        sent_at=NOW,
    ),
)


def example_id(payload: Payload) -> str:
    return payload.routing_key()


def wire(payload: Payload) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(encode(new_envelope(payload)))
    return data


def test_every_catalogue_message_has_an_example() -> None:
    assert sorted(type(e).__name__ for e in EXAMPLES) == sorted(m.__name__ for m in v1.ALL)


@pytest.mark.parametrize("payload", EXAMPLES, ids=example_id)
def test_message_survives_encode_and_parse_unchanged(payload: Payload) -> None:
    envelope = new_envelope(payload, correlation_id=CASE_ID)
    parsed = CATALOGUE.parse(encode(envelope))
    assert type(parsed.payload) is type(payload)
    assert parsed == envelope


@pytest.mark.parametrize("payload", EXAMPLES, ids=example_id)
def test_message_on_the_wire_matches_its_published_schema(payload: Payload) -> None:
    spec = CATALOGUE.spec(payload.message_type, payload.message_version)
    schema = json.loads(schema_path(published_dir(), spec).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(wire(payload))


@pytest.mark.parametrize("payload", EXAMPLES, ids=example_id)
def test_unknown_fields_are_ignored(payload: Payload) -> None:
    data = wire(payload)
    data["added_by_a_newer_producer"] = True
    data["payload"]["added_by_a_newer_producer"] = {"any": "thing"}
    assert CATALOGUE.parse(json.dumps(data)).payload == payload


def test_unknown_fields_inside_nested_parts_are_ignored() -> None:
    concern = next(e for e in EXAMPLES if isinstance(e, v1.ConcernReported))
    data = wire(concern)
    data["payload"]["child"]["eye_colour"] = "brown"
    data["payload"]["child"]["address"]["uprn"] = "100012345678"
    assert CATALOGUE.parse(json.dumps(data)).payload == concern


@pytest.mark.parametrize(
    ("type_", "version"),
    [("intake.roll-off-notified", 9), ("nobody.made-this-up", 1)],
)
def test_unknown_type_or_version_is_a_parse_error_naming_both(type_: str, version: int) -> None:
    data = wire(EXAMPLES[0]) | {"type": type_, "version": version}
    with pytest.raises(MessageParseError) as caught:
        CATALOGUE.parse(json.dumps(data))
    assert type_ in caught.value.reason
    assert f"version {version}" in caught.value.reason


def test_invalid_payload_error_names_the_field_without_echoing_personal_data() -> None:
    data = wire(EXAMPLES[0])
    data["payload"]["pupil"]["upn"] = "A801200005001"
    with pytest.raises(MessageParseError) as caught:
        CATALOGUE.parse(json.dumps(data))
    assert "payload of intake.roll-off-notified v1 is invalid" in caught.value.reason
    assert "pupil.upn" in caught.value.reason
    assert "Amelia" not in caught.value.reason


def test_parsed_envelope_keeps_its_correlation_chain() -> None:
    cause = new_envelope(EXAMPLES[0], correlation_id=CASE_ID)
    effect = new_envelope(EXAMPLES[3], causation=cause)
    parsed: Envelope[Payload] = CATALOGUE.parse(encode(effect))
    assert (parsed.correlation_id, parsed.causation_id) == (CASE_ID, cause.message_id)
