"""School days: weekends, England bank holidays, terms, closures, and school-day arithmetic."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.tracing.rules.calendar import (
    MAX_GAP,
    NoSchoolDayError,
    SchoolCalendar,
    Term,
    england_bank_holidays,
    england_bank_holidays_in,
    parse_closures,
    parse_terms,
)
from tests.unit.tracing.strategies import (
    ANY_DAY,
    CALENDARS,
    COUNTS,
    STARTS,
    TERM_CALENDAR,
    TERMS,
    WEEKDAY_CALENDAR,
)

ONE_DAY = timedelta(days=1)
NO_BANK_HOLIDAYS = SchoolCalendar(bank_holidays=lambda _day: False)

# --- England bank holidays (gov.uk/bank-holidays) ---------------------------------------------

WEEKDAY_BANK_HOLIDAYS = {
    2026: {
        date(2026, 1, 1),  # New Year's Day
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 4),  # early May bank holiday
        date(2026, 5, 25),  # spring bank holiday
        date(2026, 8, 31),  # summer bank holiday
        date(2026, 12, 25),  # Christmas Day
        date(2026, 12, 28),  # Boxing Day (substitute day: 26 December is a Saturday)
    },
    2027: {
        date(2027, 1, 1),
        date(2027, 3, 26),  # Good Friday
        date(2027, 3, 29),  # Easter Monday
        date(2027, 5, 3),
        date(2027, 5, 31),  # spring bank holiday
        date(2027, 8, 30),
        date(2027, 12, 27),  # Christmas Day (substitute day: 25 December is a Saturday)
        date(2027, 12, 28),  # Boxing Day (substitute day: 26 December is a Sunday)
    },
}


def days_in(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + n * ONE_DAY for n in range((date(year + 1, 1, 1) - first).days)]


@pytest.mark.parametrize("year", sorted(WEEKDAY_BANK_HOLIDAYS))
def test_england_weekday_bank_holidays_are_exactly_those_of_gov_uk(year: int) -> None:
    is_bank_holiday = england_bank_holidays()
    found = {day for day in days_in(year) if day.weekday() < 5 and is_bank_holiday(day)}
    assert found == WEEKDAY_BANK_HOLIDAYS[year]


@pytest.mark.parametrize(
    "day", [date(2026, 12, 25), date(2026, 12, 28), date(2027, 3, 26), date(2027, 5, 31)]
)
def test_known_bank_holidays_are_not_school_days_even_in_term(day: date) -> None:
    in_term = SchoolCalendar([Term(day - 7 * ONE_DAY, day + 7 * ONE_DAY)])
    assert england_bank_holidays()(day)
    assert not in_term.is_school_day(day)
    assert not WEEKDAY_CALENDAR.is_school_day(day)


def test_scottish_bank_holidays_are_not_england_ones() -> None:
    assert not england_bank_holidays()(date(2026, 1, 2))  # 2 January: Scotland only
    assert not england_bank_holidays()(date(2026, 11, 30))  # St Andrew's Day: Scotland only


def test_bank_holidays_are_computed_once_per_year() -> None:
    assert england_bank_holidays_in(2026) is england_bank_holidays_in(2026)


def test_a_calendar_uses_england_bank_holidays_unless_given_others() -> None:
    assert not SchoolCalendar().is_school_day(date(2026, 12, 25))
    assert NO_BANK_HOLIDAYS.is_school_day(date(2026, 12, 25))


# --- which days are school days ---------------------------------------------------------------


@given(ANY_DAY, CALENDARS)
def test_weekends_are_never_school_days(day: date, calendar: SchoolCalendar) -> None:
    if day.weekday() >= 5:
        assert not calendar.is_school_day(day)


@given(ANY_DAY)
def test_without_terms_every_weekday_but_bank_holidays_is_a_school_day(day: date) -> None:
    expected = day.weekday() < 5 and not england_bank_holidays()(day)
    assert WEEKDAY_CALENDAR.is_school_day(day) is expected


@given(ANY_DAY)
def test_with_terms_a_school_day_lies_inside_a_term(day: date) -> None:
    if TERM_CALENDAR.is_school_day(day):
        assert any(day in term for term in TERMS)


@pytest.mark.parametrize(
    ("day", "school_day"),
    [
        (date(2026, 9, 2), False),  # Wednesday before the autumn term
        (date(2026, 9, 3), False),  # first day of term, but an INSET closure
        (date(2026, 9, 4), True),  # Friday, first teaching day
        (date(2026, 10, 23), True),  # last day of the half-term: ends are inclusive
        (date(2026, 10, 26), False),  # half-term week
        (date(2026, 11, 2), True),  # first day of the next half-term
        (date(2026, 12, 18), True),  # last day before Christmas
        (date(2026, 12, 21), False),  # Christmas holidays
        (date(2027, 1, 4), False),  # first day of term, INSET
        (date(2027, 1, 5), True),
        (date(2027, 6, 7), False),  # closures given as a range
        (date(2027, 6, 8), False),
        (date(2027, 6, 9), True),
        (date(2026, 8, 3), False),  # summer holidays
    ],
)
def test_term_boundaries_and_closures(day: date, school_day: bool) -> None:
    assert TERM_CALENDAR.is_school_day(day) is school_day


def test_summer_holiday_weekdays_are_school_days_when_no_terms_are_configured() -> None:
    assert WEEKDAY_CALENDAR.is_school_day(date(2026, 8, 3))


def test_a_closure_counts_without_terms_too() -> None:
    assert not SchoolCalendar(closures=[date(2026, 8, 3)]).is_school_day(date(2026, 8, 3))


# --- add_school_days ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "start", "days", "expected"),
    [
        # Christmas Eve, then Christmas Day, the weekend and the Boxing Day substitute
        (WEEKDAY_CALENDAR, date(2026, 12, 24), 1, date(2026, 12, 29)),
        (NO_BANK_HOLIDAYS, date(2026, 12, 24), 1, date(2026, 12, 25)),
        # 10 school days from a Monday before half-term: 4 before, 5 after, then Monday
        (TERM_CALENDAR, date(2026, 10, 19), 10, date(2026, 11, 9)),
        (WEEKDAY_CALENDAR, date(2026, 10, 19), 10, date(2026, 11, 2)),
        # over the Christmas holidays and the INSET day that opens the spring term
        (TERM_CALENDAR, date(2026, 12, 17), 2, date(2027, 1, 5)),
        # over Good Friday and the Easter holidays
        (TERM_CALENDAR, date(2027, 3, 24), 2, date(2027, 4, 12)),
        (WEEKDAY_CALENDAR, date(2027, 3, 24), 2, date(2027, 3, 30)),
        # from a Saturday: the first school day after it is day 1
        (TERM_CALENDAR, date(2026, 11, 7), 1, date(2026, 11, 9)),
        # zero days: the start itself, school day or not
        (TERM_CALENDAR, date(2026, 11, 8), 0, date(2026, 11, 8)),
    ],
)
def test_add_school_days(calendar: SchoolCalendar, start: date, days: int, expected: date) -> None:
    assert calendar.add_school_days(start, days) == expected


def test_add_school_days_refuses_a_negative_count() -> None:
    with pytest.raises(ValueError, match=r"days: must be 0 or more, not -1"):
        TERM_CALENDAR.add_school_days(date(2026, 11, 9), -1)


def test_add_school_days_past_the_last_configured_term_says_to_configure_terms() -> None:
    with pytest.raises(NoSchoolDayError, match=r"terms end on 2028-07-21; configure the next"):
        TERM_CALENDAR.add_school_days(date(2028, 7, 19), 5)


def test_without_terms_keeps_closures_and_bank_holidays() -> None:
    fallback = TERM_CALENDAR.without_terms()
    assert fallback.terms == ()
    assert fallback.add_school_days(date(2028, 7, 19), 5) == date(2028, 7, 26)
    assert not fallback.is_school_day(date(2027, 1, 4))  # a closure
    assert not fallback.is_school_day(date(2027, 3, 26))  # Good Friday


def test_add_school_days_gives_up_when_no_day_can_ever_be_a_school_day() -> None:
    never = SchoolCalendar(bank_holidays=lambda _day: True)
    with pytest.raises(NoSchoolDayError, match=rf"no school day within {MAX_GAP.days} days"):
        never.add_school_days(date(2026, 1, 1), 1)


def test_no_school_day_error_is_a_value_error() -> None:
    assert issubclass(NoSchoolDayError, ValueError)


# --- school_days_between --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 11, 6), date(2026, 11, 9), 1),  # (Friday, Monday]: the Monday
        (date(2026, 11, 9), date(2026, 11, 9), 0),  # empty interval
        (date(2026, 11, 9), date(2026, 11, 2), 0),  # end before start
        (date(2026, 10, 19), date(2026, 11, 9), 10),
        (date(2026, 12, 18), date(2027, 1, 4), 0),  # Christmas holidays and an INSET day
        (date(2025, 8, 31), date(2026, 8, 31), 195),  # 196 term weekdays less 4 May 2026
    ],
)
def test_school_days_between(start: date, end: date, expected: int) -> None:
    assert TERM_CALENDAR.school_days_between(start, end) == expected


# --- properties ---------------------------------------------------------------------------------


@given(CALENDARS, STARTS, COUNTS.filter(lambda n: n > 0))
def test_adding_school_days_lands_on_a_school_day(
    calendar: SchoolCalendar, start: date, days: int
) -> None:
    assert calendar.is_school_day(calendar.add_school_days(start, days))


@given(CALENDARS, STARTS, COUNTS)
def test_school_days_between_start_and_result_is_the_count_added(
    calendar: SchoolCalendar, start: date, days: int
) -> None:
    assert calendar.school_days_between(start, calendar.add_school_days(start, days)) == days


@given(CALENDARS, STARTS, COUNTS)
def test_adding_one_more_school_day_gives_a_later_date(
    calendar: SchoolCalendar, start: date, days: int
) -> None:
    assert calendar.add_school_days(start, days) < calendar.add_school_days(start, days + 1)


@given(CALENDARS, STARTS, st.integers(min_value=0, max_value=200))
def test_counting_and_adding_agree(calendar: SchoolCalendar, start: date, span: int) -> None:
    end = start + span * ONE_DAY
    counted = calendar.school_days_between(start, end)
    assert calendar.add_school_days(start, counted) <= end
    assert calendar.add_school_days(start, counted + 1) > end


# --- terms ----------------------------------------------------------------------------------------


def test_parse_terms_reads_ranges_in_date_order_across_separators() -> None:
    text = "2026-11-02..2026-12-18;\n 2026-09-03..2026-10-23 ,"
    assert parse_terms(text) == (
        Term(date(2026, 9, 3), date(2026, 10, 23)),
        Term(date(2026, 11, 2), date(2026, 12, 18)),
    )


def test_parse_terms_of_blank_text_configures_no_terms() -> None:
    assert parse_terms("  \n") == ()


def test_a_one_day_term_is_allowed() -> None:
    assert parse_terms("2026-09-03..2026-09-03") == (Term(date(2026, 9, 3), date(2026, 9, 3)),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "2026-10-23..2026-09-03",
            r"terms: '2026-10-23\.\.2026-09-03' ends before it starts",
        ),
        (
            "2026-09-03..2026-10-23, 2026-10-20..2026-11-05",
            r"terms: 2026-10-20\.\.2026-11-05 overlaps 2026-09-03\.\.2026-10-23: "
            r"terms may not share a day",
        ),
        (
            "2026-09-03..2026-10-23, 2026-10-23..2026-11-05",  # sharing the last day
            r"overlaps 2026-09-03\.\.2026-10-23",
        ),
        (
            "2026-09-03..2026-02-30",
            r"terms: '2026-09-03\.\.2026-02-30': '2026-02-30' is not a date \(write YYYY-MM-DD",
        ),
        ("2026/09/03..2026/10/23", r"'2026/09/03' is not a date"),
        ("20260903..20261023", r"'20260903' is not a date"),
        ("2026-09-03 to 2026-10-23", r"terms: '2026-09-03 to 2026-10-23' is not a range"),
        ("2026-09-03..2026-10-23..2026-11-01", r"is not a range \(write start\.\.end"),
        ("2026-09-03", r"terms: '2026-09-03' is not a range"),
    ],
)
def test_parse_terms_names_the_bad_part_and_the_rule(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_terms(text)


TERM_LISTS = st.lists(
    st.tuples(st.integers(min_value=1, max_value=30), st.integers(min_value=0, max_value=90)),
    max_size=8,
)
"""(gap before the term, length less one) pairs: non-overlapping terms from 2026-01-01."""


def terms_from(spans: list[tuple[int, int]]) -> tuple[Term, ...]:
    terms, day = [], date(2026, 1, 1)
    for gap, length in spans:
        starts = day + gap * ONE_DAY
        terms.append(Term(starts, starts + length * ONE_DAY))
        day = starts + length * ONE_DAY
    return tuple(terms)


@given(TERM_LISTS)
def test_terms_written_out_parse_back(spans: list[tuple[int, int]]) -> None:
    terms = terms_from(spans)
    assert parse_terms(", ".join(str(term) for term in reversed(terms))) == terms


def test_a_term_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match=r"term: ends \(2026-09-02\) before it starts"):
        Term(date(2026, 9, 3), date(2026, 9, 2))


def test_a_calendar_refuses_overlapping_terms() -> None:
    overlapping = [
        Term(date(2026, 9, 3), date(2026, 10, 23)),
        Term(date(2026, 10, 1), date(2026, 11, 1)),
    ]
    with pytest.raises(ValueError, match=r"terms may not share a day"):
        SchoolCalendar(overlapping)


def test_a_calendar_accepts_terms_in_any_order() -> None:
    assert SchoolCalendar(tuple(reversed(TERMS))).terms == TERMS


# --- closures -------------------------------------------------------------------------------------


def test_parse_closures_reads_single_days_and_ranges() -> None:
    assert parse_closures("2026-09-03, 2026-10-22..2026-10-23\n") == {
        date(2026, 9, 3),
        date(2026, 10, 22),
        date(2026, 10, 23),
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-09-31", r"closures: '2026-09-31': '2026-09-31' is not a date"),
        ("2026-10-23..2026-10-22", r"closures: '2026-10-23\.\.2026-10-22' ends before it starts"),
    ],
)
def test_parse_closures_names_the_bad_part_and_the_rule(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_closures(text)
