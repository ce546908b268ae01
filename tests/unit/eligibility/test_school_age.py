"""Compulsory school age (Education Act 1996 s.8) and the seed's simple 5-16 band."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas.v1.eligibility import AgeStatus
from services.eligibility.rules.school_age import (
    PRESCRIBED_DAYS,
    AgeRule,
    CompulsorySchoolAge,
    age_in_years,
    age_status,
    attains_age,
    compulsory_school_age,
    last_friday_of_june,
)
from tests.unit.eligibility.strategies import DATES_OF_BIRTH, DAYS, LEAP_DAY_BIRTHS

ONE_DAY = timedelta(days=1)


# --- the worked examples in DOMAIN.md ---------------------------------------------------------


def test_fifth_birthday_on_10_february_2024_starts_csa_on_31_march_2024() -> None:
    assert compulsory_school_age(date(2019, 2, 10)).starts == date(2024, 3, 31)


def test_born_23_september_2007_ends_csa_on_28_june_2024() -> None:
    assert compulsory_school_age(date(2007, 9, 23)).ends == date(2024, 6, 28)


# --- start: the first prescribed day on or after the 5th birthday ------------------------------


@pytest.mark.parametrize(
    ("date_of_birth", "starts"),
    [
        (date(2019, 1, 1), date(2024, 3, 31)),
        (date(2019, 3, 31), date(2024, 3, 31)),  # the birthday is a prescribed day
        (date(2019, 4, 1), date(2024, 8, 31)),
        (date(2019, 8, 31), date(2024, 8, 31)),
        (date(2019, 9, 1), date(2024, 12, 31)),
        (date(2019, 12, 31), date(2024, 12, 31)),
    ],
)
def test_csa_starts_on_first_prescribed_day_on_or_after_fifth_birthday(
    date_of_birth: date, starts: date
) -> None:
    assert compulsory_school_age(date_of_birth).starts == starts


# --- end: the last Friday in June of the school year in which the child turns 16 ----------------


@pytest.mark.parametrize(
    ("date_of_birth", "ends"),
    [
        (date(2008, 8, 31), date(2024, 6, 28)),  # youngest in the year
        (date(2007, 9, 1), date(2024, 6, 28)),  # oldest in the year
        (date(2008, 9, 1), date(2025, 6, 27)),  # next school year
        (date(2008, 6, 28), date(2024, 6, 28)),  # turns 16 on the leaving date itself
        (date(2008, 7, 15), date(2024, 6, 28)),  # turns 16 after it, before the next year
    ],
)
def test_csa_ends_on_last_friday_of_june_of_the_school_year_the_child_turns_16(
    date_of_birth: date, ends: date
) -> None:
    assert compulsory_school_age(date_of_birth).ends == ends


@pytest.mark.parametrize(
    ("year", "friday"),
    [(2023, date(2023, 6, 30)), (2024, date(2024, 6, 28)), (2025, date(2025, 6, 27))],
)
def test_last_friday_of_june(year: int, friday: date) -> None:
    assert last_friday_of_june(year) == friday


# --- 29 February birthdays: the age is attained on 1 March in a common year ---------------------


def test_leap_day_child_attains_an_age_on_1_march_in_a_common_year() -> None:
    assert attains_age(date(2016, 2, 29), 5) == date(2021, 3, 1)


def test_leap_day_child_attains_an_age_on_29_february_in_a_leap_year() -> None:
    assert attains_age(date(2016, 2, 29), 4) == date(2020, 2, 29)


def test_leap_day_child_is_still_four_on_28_february_and_five_on_1_march() -> None:
    assert age_in_years(date(2016, 2, 29), date(2021, 2, 28)) == 4
    assert age_in_years(date(2016, 2, 29), date(2021, 3, 1)) == 5


def test_leap_day_child_csa_dates() -> None:
    assert compulsory_school_age(date(2016, 2, 29)) == CompulsorySchoolAge(
        starts=date(2021, 3, 31), ends=date(2032, 6, 25)
    )


def test_simple_band_counts_leap_day_child_as_five_from_1_march() -> None:
    born = date(2016, 2, 29)
    assert age_status(born, date(2021, 2, 28), AgeRule.SIMPLE_BAND) is AgeStatus.BELOW
    assert age_status(born, date(2021, 3, 1), AgeRule.SIMPLE_BAND) is AgeStatus.OF_AGE


@given(LEAP_DAY_BIRTHS, st.integers(1, 20))
def test_leap_day_age_is_attained_on_the_day_age_in_years_reaches_it(born: date, age: int) -> None:
    birthday = attains_age(born, age)
    assert age_in_years(born, birthday) == age
    assert age_in_years(born, birthday - ONE_DAY) == age - 1


# --- age_status ---------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", list(AgeRule))
def test_age_is_unknown_without_a_date_of_birth(rule: AgeRule) -> None:
    assert age_status(None, date(2025, 9, 1), rule) is AgeStatus.UNKNOWN


def test_statutory_is_the_default_rule() -> None:
    born = date(2008, 7, 15)  # CSA ended 28 Jun 2024; 16 on 15 Jul 2024
    assert age_status(born, date(2024, 9, 1)) is AgeStatus.ABOVE
    assert age_status(born, date(2024, 9, 1), AgeRule.SIMPLE_BAND) is AgeStatus.OF_AGE


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2024, 2, 9), AgeStatus.BELOW),  # aged 4
        (date(2024, 2, 10), AgeStatus.OF_AGE),  # 5th birthday
        (date(2036, 2, 9), AgeStatus.OF_AGE),  # the day before the 17th birthday
        (date(2036, 2, 10), AgeStatus.ABOVE),  # 17
    ],
)
def test_simple_band_is_aged_5_to_16_inclusive(on: date, expected: AgeStatus) -> None:
    assert age_status(date(2019, 2, 10), on, AgeRule.SIMPLE_BAND) is expected


# --- properties ---------------------------------------------------------------------------------


@given(DATES_OF_BIRTH)
def test_csa_starts_on_a_prescribed_day_within_a_year_of_the_fifth_birthday(born: date) -> None:
    starts = compulsory_school_age(born).starts
    fifth_birthday = attains_age(born, 5)
    assert (starts.month, starts.day) in PRESCRIBED_DAYS
    assert fifth_birthday <= starts < attains_age(born, 6)
    previous_day = starts - ONE_DAY
    assert not any(
        fifth_birthday <= date(year, m, d) <= previous_day
        for year in (starts.year - 1, starts.year)
        for m, d in PRESCRIBED_DAYS
    )


@given(DATES_OF_BIRTH)
def test_csa_ends_on_the_last_friday_of_june_in_the_school_year_the_child_turns_16(
    born: date,
) -> None:
    ends = compulsory_school_age(born).ends
    sixteenth_birthday = attains_age(born, 16)
    assert ends.month == 6
    assert ends.weekday() == calendar.FRIDAY
    assert (ends + timedelta(days=7)).month == 7
    assert date(ends.year - 1, 9, 1) <= sixteenth_birthday <= date(ends.year, 8, 31)


@given(DATES_OF_BIRTH)
def test_of_csa_from_start_to_end_inclusive_and_not_a_day_outside(born: date) -> None:
    csa = compulsory_school_age(born)
    assert age_status(born, csa.starts) is AgeStatus.OF_AGE
    assert age_status(born, csa.ends) is AgeStatus.OF_AGE
    assert age_status(born, csa.starts - ONE_DAY) is AgeStatus.BELOW
    assert age_status(born, csa.ends + ONE_DAY) is AgeStatus.ABOVE


@given(DATES_OF_BIRTH, DAYS)
def test_statutory_status_is_of_age_exactly_between_start_and_end(born: date, on: date) -> None:
    csa = compulsory_school_age(born)
    status = age_status(born, on, AgeRule.STATUTORY)
    assert (status is AgeStatus.OF_AGE) == (csa.starts <= on <= csa.ends)
    assert (status is AgeStatus.BELOW) == (on < csa.starts)


@given(DATES_OF_BIRTH, DAYS)
def test_simple_band_status_agrees_with_age_in_years(born: date, on: date) -> None:
    age = age_in_years(born, on)
    expected = AgeStatus.BELOW if age < 5 else AgeStatus.ABOVE if age > 16 else AgeStatus.OF_AGE
    assert age_status(born, on, AgeRule.SIMPLE_BAND) is expected


@given(DATES_OF_BIRTH, st.integers(1, 30))
def test_age_in_years_goes_up_by_one_on_each_birthday(born: date, age: int) -> None:
    birthday = attains_age(born, age)
    assert age_in_years(born, birthday) == age
    assert age_in_years(born, birthday - ONE_DAY) == age - 1


@given(DATES_OF_BIRTH, DAYS, DAYS)
def test_age_in_years_never_goes_down(born: date, day: date, other: date) -> None:
    earlier, later = sorted((day, other))
    assert age_in_years(born, earlier) <= age_in_years(born, later)
