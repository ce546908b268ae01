"""Webhook signatures: HMAC-SHA256 over timestamp and body, freshness, rotation."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.webhooks.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignatureError,
    SignatureProblem,
    sign,
    verify,
)

SECRET = b"a-shared-secret-of-reasonable-length"
NOW = 1_767_225_600.0
BODY = b'{"alert_id":"5b0a","type":"alert"}'


def refused(
    problem: SignatureProblem, headers: dict[str, str], body: bytes = BODY, window_s: float = 300
) -> None:
    with pytest.raises(SignatureError) as error:
        verify(SECRET, headers, body, now=NOW, window_s=window_s)
    assert error.value.problem is problem


def test_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    headers = sign(SECRET, BODY, now=NOW)
    expected = hmac.new(SECRET, b"1767225600." + BODY, hashlib.sha256).hexdigest()
    assert headers == {TIMESTAMP_HEADER: "1767225600", SIGNATURE_HEADER: f"v1={expected}"}


def test_signed_request_verifies_and_names_its_signature() -> None:
    headers = sign(SECRET, BODY, now=NOW)
    verified = verify(SECRET, headers, BODY, now=NOW + 5)
    assert verified.timestamp == 1_767_225_600
    assert f"v1={verified.signature}" == headers[SIGNATURE_HEADER]
    assert verified.secret_index == 0


def test_header_names_are_case_insensitive() -> None:
    headers = {k.lower(): v for k, v in sign(SECRET, BODY, now=NOW).items()}
    assert verify(SECRET, headers, BODY, now=NOW).timestamp == int(NOW)


def test_upper_case_hex_is_the_same_signature() -> None:
    headers = sign(SECRET, BODY, now=NOW)
    upper = {**headers, SIGNATURE_HEADER: "v1=" + headers[SIGNATURE_HEADER][3:].upper()}
    assert verify(SECRET, upper, BODY, now=NOW).signature == headers[SIGNATURE_HEADER][3:]


def test_signature_made_with_another_secret_is_refused() -> None:
    refused(SignatureProblem.MISMATCH, sign(b"someone-else", BODY, now=NOW))


def test_tampered_body_is_refused() -> None:
    refused(
        SignatureProblem.MISMATCH, sign(SECRET, BODY, now=NOW), BODY.replace(b"alert", b"alarm")
    )


def test_timestamp_changed_after_signing_is_refused() -> None:
    headers = {**sign(SECRET, BODY, now=NOW), TIMESTAMP_HEADER: str(int(NOW) + 1)}
    refused(SignatureProblem.MISMATCH, headers)


def test_signature_older_than_the_window_is_refused() -> None:
    refused(SignatureProblem.TOO_OLD, sign(SECRET, BODY, now=NOW - 301))
    assert verify(SECRET, sign(SECRET, BODY, now=NOW - 300), BODY, now=NOW)


def test_signature_from_too_far_in_the_future_is_refused() -> None:
    refused(SignatureProblem.IN_FUTURE, sign(SECRET, BODY, now=NOW + 301))
    assert verify(SECRET, sign(SECRET, BODY, now=NOW + 300), BODY, now=NOW)


def test_window_is_configurable() -> None:
    refused(SignatureProblem.TOO_OLD, sign(SECRET, BODY, now=NOW - 31), window_s=30)


@pytest.mark.parametrize("missing", [TIMESTAMP_HEADER, SIGNATURE_HEADER])
def test_missing_header_is_refused(missing: str) -> None:
    headers = sign(SECRET, BODY, now=NOW)
    del headers[missing]
    refused(SignatureProblem.MISSING, headers)


@pytest.mark.parametrize(
    ("header", "value"),
    [
        (TIMESTAMP_HEADER, "yesterday"),
        (TIMESTAMP_HEADER, "-1767225600"),
        (TIMESTAMP_HEADER, "1767225600.5"),
        (SIGNATURE_HEADER, "deadbeef"),
        (SIGNATURE_HEADER, "v0=" + "0" * 64),
        (SIGNATURE_HEADER, "v1=" + "0" * 63),
        (SIGNATURE_HEADER, "v1=" + "g" * 64),
        (SIGNATURE_HEADER, "v1=" + "0" * 64 + ",v1=" + "1" * 64),
    ],
)
def test_malformed_header_is_refused(header: str, value: str) -> None:
    refused(SignatureProblem.MALFORMED, {**sign(SECRET, BODY, now=NOW), header: value})


def test_rotation_accepts_old_and_new_secrets_and_says_which() -> None:
    new, old = b"new-secret", b"old-secret"
    assert verify([new, old], sign(new, BODY, now=NOW), BODY, now=NOW).secret_index == 0
    assert verify([new, old], sign(old, BODY, now=NOW), BODY, now=NOW).secret_index == 1
    with pytest.raises(SignatureError):
        verify([new, old], sign(b"retired", BODY, now=NOW), BODY, now=NOW)


def test_no_secret_to_verify_with_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="no verification secret"):
        verify([], sign(SECRET, BODY, now=NOW), BODY, now=NOW)
    with pytest.raises(ValueError, match="cannot be empty"):
        sign(b"", BODY, now=NOW)


@given(secret=st.binary(min_size=1, max_size=64), body=st.binary(max_size=2048))
def test_any_body_signed_with_any_secret_verifies(secret: bytes, body: bytes) -> None:
    assert verify(secret, sign(secret, body, now=NOW), body, now=NOW).timestamp == int(NOW)


@given(
    body=st.binary(min_size=1, max_size=512),
    data=st.data(),
)
def test_any_single_byte_change_to_the_body_is_refused(body: bytes, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(body) - 1))
    replacement = data.draw(st.integers(0, 255).filter(lambda b: b != body[position]))
    tampered = body[:position] + bytes([replacement]) + body[position + 1 :]
    with pytest.raises(SignatureError) as error:
        verify(SECRET, sign(SECRET, body, now=NOW), tampered, now=NOW)
    assert error.value.problem is SignatureProblem.MISMATCH
