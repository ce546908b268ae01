"""Compulsory school age (CSA), Education Act 1996 s.8, and the seed's simple age band.

CSA begins on the first *prescribed day* (31 December, 31 March, 31 August: Education (Start of
Compulsory School Age) Order 1998) falling on or after the 5th birthday, the birthday itself when
it is one of them (s.8(2)). It ends on the *school leaving date* (the last Friday in June:
Education (School Leaving Date) Order 1997) of the school year, 1 September to 31 August, in
which the child turns 16 (s.8(3)-(4)).

Birthdays on 29 February: Family Law Reform Act 1969 s.9(1) says a person attains an age "at the
commencement of the relevant anniversary of the date of his birth". In a year without 29 February
the anniversary is taken to be 1 March: the child has not completed the year until the whole of
28 February has passed. This is the reading `age_in_years` gives too (an ordinary month-and-day
comparison). It never moves a CSA date: 28 February and 1 March fall between the same prescribed
days (31 December, 31 March) and in the same school year.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from schemas.v1.eligibility import AgeStatus

CSA_START_AGE = 5
CSA_END_AGE = 16
PRESCRIBED_DAYS = ((3, 31), (8, 31), (12, 31))
"""(month, day) of the days on which CSA may begin, in calendar order."""
SCHOOL_YEAR_START_MONTH = 9


class AgeRule(StrEnum):
    """Which age rule decides the CME age test (a setting)."""

    STATUTORY = "statutory"
    """Compulsory school age exactly as Education Act 1996 s.8 defines it."""
    SIMPLE_BAND = "simple-band"
    """The seed page's "aged 5 to 16 inclusive": age in whole years on the day, 5 <= age <= 16."""


@dataclass(frozen=True)
class CompulsorySchoolAge:
    """The first and last day (both inclusive) on which a child is of compulsory school age."""

    starts: date
    ends: date

    def status_on(self, day: date) -> AgeStatus:
        """Below before `starts`, above after `ends`, of age on every day in between."""
        if day < self.starts:
            return AgeStatus.BELOW
        if day > self.ends:
            return AgeStatus.ABOVE
        return AgeStatus.OF_AGE


def attains_age(date_of_birth: date, years: int) -> date:
    """The day the child attains `years` (FLRA 1969 s.9); 29 Feb -> 1 Mar in a common year."""
    year = date_of_birth.year + years
    if (date_of_birth.month, date_of_birth.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 3, 1)
    return date_of_birth.replace(year=year)


def age_in_years(date_of_birth: date, on: date) -> int:
    """Completed years on `on` (negative when `on` is before the date of birth)."""
    birthday_not_yet = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - int(birthday_not_yet)


def first_prescribed_day_on_or_after(day: date) -> date:
    """The first of 31 Mar, 31 Aug, 31 Dec on or after `day` (31 Dec always follows in-year)."""
    return next(
        prescribed
        for month, dom in PRESCRIBED_DAYS
        if (prescribed := date(day.year, month, dom)) >= day
    )


def last_friday_of_june(year: int) -> date:
    """The school leaving date of a calendar year."""
    june_30 = date(year, 6, 30)
    return june_30 - timedelta(days=(june_30.weekday() - calendar.FRIDAY) % 7)


def school_year_ending_in(day: date) -> int:
    """The calendar year in which the school year (1 Sep - 31 Aug) containing `day` ends."""
    return day.year + 1 if day.month >= SCHOOL_YEAR_START_MONTH else day.year


def compulsory_school_age(date_of_birth: date) -> CompulsorySchoolAge:
    """When the child is of compulsory school age, Education Act 1996 s.8.

    >>> compulsory_school_age(date(2019, 2, 10)).starts   # 5th birthday 10 Feb 2024
    datetime.date(2024, 3, 31)
    >>> compulsory_school_age(date(2007, 9, 23)).ends
    datetime.date(2024, 6, 28)
    """
    fifth_birthday = attains_age(date_of_birth, CSA_START_AGE)
    sixteenth_birthday = attains_age(date_of_birth, CSA_END_AGE)
    return CompulsorySchoolAge(
        starts=first_prescribed_day_on_or_after(fifth_birthday),
        ends=last_friday_of_june(school_year_ending_in(sixteenth_birthday)),
    )


def simple_band_status(date_of_birth: date, on: date) -> AgeStatus:
    """The seed's rule: of age when aged 5 to 16 inclusive in whole years."""
    age = age_in_years(date_of_birth, on)
    if age < CSA_START_AGE:
        return AgeStatus.BELOW
    if age > CSA_END_AGE:
        return AgeStatus.ABOVE
    return AgeStatus.OF_AGE


def age_status(
    date_of_birth: date | None, on: date, rule: AgeRule = AgeRule.STATUTORY
) -> AgeStatus:
    """Where the child stands against school age on `on`; unknown without a date of birth."""
    if date_of_birth is None:
        return AgeStatus.UNKNOWN
    if rule is AgeRule.SIMPLE_BAND:
        return simple_band_status(date_of_birth, on)
    return compulsory_school_age(date_of_birth).status_on(on)
