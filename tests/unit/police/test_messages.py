"""What the police are sent: only what they need to act, under stable names."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from adapters.police.messages import (
    alert_message,
    cancellation_message,
    decode,
    encode,
    idempotency_key,
)
from adapters.police.translate import alert_content, update_message
from schemas.v1.common import AlertPriority, CaseOutcome, PoliceRiskLevel
from schemas.v1.tracing import PoliceAlertUpdateRequested
from tests.unit.police.requests import alert_request

ALERT_ID = uuid.UUID("5b0a3c9e-8d1f-4a51-9c52-0c7e3f1a2b44")
AT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def test_alert_carries_the_child_risk_reason_contact_and_ids_only() -> None:
    request = alert_request()
    body = json.loads(encode(alert_message(ALERT_ID, 1, AT, alert_content(request), resent=False)))
    assert set(body) == {
        "type", "version", "alert_id", "revision", "issued_at", "resent",
        "priority", "risk_level", "risk_indicators", "reason", "child", "la_contact",
    }  # fmt: skip
    assert set(body["child"]) == {
        "name", "date_of_birth", "approximate_age", "gender", "last_known_address",
        "description", "photo_reference",
    }  # fmt: skip
    assert (body["risk_level"], body["risk_indicators"]) == ("high", ["sexual-exploitation"])
    assert body["alert_id"] == str(ALERT_ID)
    assert str(request.case_id) not in json.dumps(body)
    assert str(request.alert_request_id) not in json.dumps(body)


def test_messages_round_trip_by_type() -> None:
    content = alert_content(alert_request())
    update = update_message(
        ALERT_ID,
        2,
        AT,
        PoliceAlertUpdateRequested(
            alert_request_id=uuid.uuid4(),
            case_id=uuid.uuid4(),
            priority=AlertPriority.URGENT,
            risk_level=PoliceRiskLevel.MEDIUM,
            reason="Seen in Crewe; risk lower.",
        ),
    )
    for message in (
        alert_message(ALERT_ID, 1, AT, content, resent=False),
        update,
        cancellation_message(ALERT_ID, 3, AT, CaseOutcome.BACK_IN_SCHOOL),
    ):
        assert decode(encode(message)) == message


def test_idempotency_key_names_alert_type_and_revision() -> None:
    message = cancellation_message(ALERT_ID, 3, AT, CaseOutcome.BACK_IN_SCHOOL)
    assert idempotency_key(message) == f"{ALERT_ID}:cancellation:3"


def test_cancellation_says_why_in_plain_words_for_every_outcome() -> None:
    for outcome in CaseOutcome:
        message = cancellation_message(ALERT_ID, 2, AT, outcome)
        assert message.outcome is outcome
        assert message.reason.endswith(".")
