"""Domain value types: identifiers, postcodes, phone numbers and UTC times say which rule broke."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from schemas.types import EstabNumber, LaCode, Laestab, PhoneNumber, Postcode, Upn, Urn, UtcDatetime

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
KNOWN_LA_CODES = ["201", "202", "330", "358", "801", "873", "895", "896", "926", "938"]


def check_letter(body: str) -> str:
    """DOMAIN.md: characters 2-13 times their position (2..13), summed, mod 23, as a letter.

    A temporary UPN ends in a letter, which counts as its place in the check-letter alphabet.
    """

    def value(char: str) -> int:
        return int(char) if char.isdigit() else CHECK_LETTERS.index(char)

    return CHECK_LETTERS[sum(pos * value(ch) for pos, ch in enumerate(body, start=2)) % 23]


def valid(annotation: Any, value: object) -> object:
    return TypeAdapter(annotation).validate_python(value)


def rejection(annotation: Any, value: object) -> str:
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(annotation).validate_python(value)
    return str(caught.value)


def test_upn_with_correct_check_letter_is_valid() -> None:
    assert valid(Upn, "B801200005001") == "B801200005001"


def test_upn_is_normalised_to_upper_case_without_spaces() -> None:
    assert valid(Upn, " b801 2000 05001 ") == "B801200005001"


def test_upn_with_wrong_check_letter_names_the_check_letter_rule() -> None:
    message = rejection(Upn, "A801200005001")
    assert "check letter 'A' does not match" in message
    assert "expected 'B'" in message


def test_upn_of_wrong_length_says_a_upn_has_13_characters() -> None:
    assert "a UPN has 13 characters" in rejection(Upn, "B80120000500")


def test_upn_with_unknown_la_code_names_the_la_code() -> None:
    assert "LA code '000' is not an English local authority" in rejection(Upn, "E000200005001")


def test_upn_with_letters_inside_names_the_format() -> None:
    assert "check letter, 11 digits" in rejection(Upn, "X80120000A001")


def test_temporary_upn_ending_in_a_letter_is_valid() -> None:
    body = "89520002401A"
    assert valid(Upn, check_letter(body) + body) == check_letter(body) + body


upn_bodies = st.builds(
    lambda la, estab, year, serial: f"{la}{estab:04d}{year:02d}{serial:03d}",
    st.sampled_from(KNOWN_LA_CODES),
    st.integers(0, 9999),
    st.integers(0, 99),
    st.integers(0, 999),
)


@given(upn_bodies)
def test_any_upn_with_the_computed_check_letter_and_a_known_la_is_valid(body: str) -> None:
    upn = check_letter(body) + body
    assert valid(Upn, upn) == upn


@given(upn_bodies, st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
def test_any_other_check_letter_is_rejected(body: str, letter: str) -> None:
    assume(letter != check_letter(body))
    assert "check letter" in rejection(Upn, letter + body)


@pytest.mark.parametrize("urn", ["100000", " 123456 "])
def test_urn_of_six_digits_is_valid(urn: str) -> None:
    assert valid(Urn, urn) == urn.strip()


@pytest.mark.parametrize("urn", ["10000", "1000000", "10000A", ""])
def test_urn_not_of_six_digits_names_the_pattern(urn: str) -> None:
    assert r"^\d{6}$" in rejection(Urn, urn)


def test_la_code_of_three_digits_is_valid() -> None:
    assert valid(LaCode, "895") == "895"


@pytest.mark.parametrize("code", ["89", "8950", "XXX"])
def test_la_code_not_of_three_digits_names_the_pattern(code: str) -> None:
    assert r"^\d{3}$" in rejection(LaCode, code)


def test_estab_number_and_laestab_have_four_and_seven_digits() -> None:
    assert valid(EstabNumber, "2000") == "2000"
    assert valid(Laestab, "8952000") == "8952000"
    assert r"^\d{4}$" in rejection(EstabNumber, "200")
    assert r"^\d{7}$" in rejection(Laestab, "895200")


@pytest.mark.parametrize(
    ("given_postcode", "normalised"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        ("CW1 2BJ", "CW1 2BJ"),
        (" m1  1ae ", "M1 1AE"),
        ("GIR0AA", "GIR 0AA"),
    ],
)
def test_postcode_is_normalised(given_postcode: str, normalised: str) -> None:
    assert valid(Postcode, given_postcode) == normalised


@pytest.mark.parametrize("postcode", ["CW1", "12345", "CW1 2B", "QW1 2BJ"])
def test_invalid_postcode_says_what_a_postcode_looks_like(postcode: str) -> None:
    assert "not a UK postcode" in rejection(Postcode, postcode)


@pytest.mark.parametrize("phone", ["01270 555 0100", "+44 (0)1270 555010", "07700-900123"])
def test_phone_number_is_kept_as_given(phone: str) -> None:
    assert valid(PhoneNumber, phone) == phone


@pytest.mark.parametrize("phone", ["123456", "call me", "01270 555 0100 ext 2"])
def test_invalid_phone_number_names_the_rule(phone: str) -> None:
    assert "at least 7 digits" in rejection(PhoneNumber, phone)


def test_utc_datetime_is_normalised_to_utc() -> None:
    instant = valid(UtcDatetime, "2024-09-05T10:30:00+01:00")
    assert instant == datetime(2024, 9, 5, 9, 30, tzinfo=UTC)
    assert isinstance(instant, datetime)
    assert instant.tzinfo == UTC


def test_naive_datetime_is_rejected() -> None:
    assert "timezone" in rejection(UtcDatetime, "2024-09-05T10:30:00")
