"""School days, for deadlines counted in school days ("trace within 10 school days").

A school day is a weekday that is not an England bank holiday and not a closure day (INSET or
other closure), and, when terms are configured, falls inside a term. With no terms configured
every other weekday counts: holidays are then missed, so deadlines fall early. A real deployment
should configure its terms (most LAs publish their term dates); see docs/tracing-rules.md.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from itertools import pairwise

import holidays

ONE_DAY = timedelta(days=1)
MAX_GAP = timedelta(days=3 * 366)
"""The longest run of days without a school day that `add_school_days` searches before failing."""
SATURDAY = 5
RANGE_SEPARATOR = ".."
PART_SEPARATORS = re.compile(r"[,;\n]")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

BankHolidays = Callable[[date], bool]


class NoSchoolDayError(ValueError):
    """No school day follows a date within the configured calendar."""


@dataclass(frozen=True)
class Term:
    """A school term, both ends inclusive."""

    starts: date
    ends: date  # inclusive

    def __post_init__(self) -> None:
        if self.ends < self.starts:
            raise ValueError(f"term: ends ({self.ends}) before it starts ({self.starts})")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.starts <= day <= self.ends

    def __str__(self) -> str:
        return f"{self.starts}{RANGE_SEPARATOR}{self.ends}"


@cache
def england_bank_holidays_in(year: int) -> frozenset[date]:
    """England's bank holidays in one year, substitute days included (empty outside 1872-2100)."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_england_bank_holiday(day: date) -> bool:
    return day in england_bank_holidays_in(day.year)


def england_bank_holidays() -> BankHolidays:
    """England bank holidays from the `holidays` library, computed once per year."""
    return is_england_bank_holiday


def overlap_problem(terms: Iterable[Term]) -> str | None:
    """The first pair of overlapping terms, in words; None when no two terms share a day."""
    ordered = sorted(terms, key=lambda term: term.starts)
    for earlier, later in pairwise(ordered):
        if later.starts <= earlier.ends:
            return f"terms: {later} overlaps {earlier}: terms may not share a day"
    return None


class SchoolCalendar:
    """Which days are school days, and school-day arithmetic over them."""

    def __init__(
        self,
        terms: Sequence[Term] = (),
        *,
        closures: Iterable[date] = (),
        bank_holidays: BankHolidays | None = None,
    ) -> None:
        """`bank_holidays` defaults to England's (`england_bank_holidays()`)."""
        if (problem := overlap_problem(terms)) is not None:
            raise ValueError(problem)
        self.terms: tuple[Term, ...] = tuple(sorted(terms, key=lambda term: term.starts))
        self.closures: frozenset[date] = frozenset(closures)
        self.bank_holidays: BankHolidays = (
            england_bank_holidays() if bank_holidays is None else bank_holidays
        )
        self._starts = [term.starts for term in self.terms]

    def without_terms(self) -> SchoolCalendar:
        """The same closures and bank holidays with no terms: every other weekday counts.

        A fallback for a date past the last configured term (deadlines then fall early, never
        late); see docs/tracing-rules.md.
        """
        return SchoolCalendar(closures=self.closures, bank_holidays=self.bank_holidays)

    def in_term(self, day: date) -> bool:
        """Inside a configured term; always true when no terms are configured."""
        if not self.terms:
            return True
        index = bisect_right(self._starts, day) - 1
        return index >= 0 and day in self.terms[index]

    def is_school_day(self, day: date) -> bool:
        return (
            day.weekday() < SATURDAY
            and day not in self.closures
            and self.in_term(day)
            and not self.bank_holidays(day)
        )

    def next_school_day(self, after: date) -> date:
        """The first school day after `after` (not counting `after` itself)."""
        day = after + ONE_DAY
        while not self.is_school_day(day):
            self._check_can_continue(after, day)
            day += ONE_DAY
        return day

    def _check_can_continue(self, after: date, day: date) -> None:
        if self.terms and day > self.terms[-1].ends:
            raise NoSchoolDayError(
                f"no school day after {after}: the configured terms end on "
                f"{self.terms[-1].ends}; configure the next terms"
            )
        if day - after > MAX_GAP:
            raise NoSchoolDayError(
                f"no school day within {MAX_GAP.days} days after {after}: "
                "check the terms, closures and bank holidays configured"
            )

    def add_school_days(self, start: date, days: int) -> date:
        """The date `days` school days after `start` (`start` itself not counted); 0 -> `start`.

        >>> SchoolCalendar().add_school_days(date(2026, 12, 24), 1)  # Christmas, Boxing Day
        datetime.date(2026, 12, 29)
        """
        if days < 0:
            raise ValueError(f"days: must be 0 or more, not {days}")
        day = start
        for _ in range(days):
            day = self.next_school_day(day)
        return day

    def school_days_between(self, start: date, end: date) -> int:
        """How many school days fall after `start` up to and including `end` (0 if end <= start)."""
        days = (end - start).days
        return sum(self.is_school_day(start + timedelta(days=n)) for n in range(1, days + 1))


def parse_date(text: str, part: str, field: str = "terms") -> date:
    """A strict YYYY-MM-DD date; `part` and `field` name where it came from in the error."""
    problem = f"{field}: {part!r}: {text!r} is not a date (write YYYY-MM-DD, e.g. 2026-09-03)"
    if not ISO_DATE.match(text):
        raise ValueError(problem)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(problem) from None


def parse_range(part: str, field: str = "terms") -> Term:
    """One "YYYY-MM-DD..YYYY-MM-DD" range, both ends inclusive."""
    ends = part.split(RANGE_SEPARATOR)
    if len(ends) != 2:
        raise ValueError(
            f"{field}: {part!r} is not a range (write start..end, e.g. 2026-09-03..2026-10-23)"
        )
    starts, finishes = (parse_date(end.strip(), part, field) for end in ends)
    if finishes < starts:
        raise ValueError(f"{field}: {part!r} ends before it starts (write start..end)")
    return Term(starts, finishes)


def split_parts(text: str) -> list[str]:
    """Parts separated by commas, semicolons or new lines; blank parts are dropped."""
    return [part.strip() for part in PART_SEPARATORS.split(text) if part.strip()]


def parse_terms(text: str) -> tuple[Term, ...]:
    """Terms from "2026-09-03..2026-10-23, 2026-11-02..2026-12-18", in date order.

    Parts are separated by commas, semicolons or new lines; blank text gives no terms.
    """
    terms = sorted((parse_range(part) for part in split_parts(text)), key=lambda t: t.starts)
    if (problem := overlap_problem(terms)) is not None:
        raise ValueError(problem)
    return tuple(terms)


def days_of(term: Term) -> Iterator[date]:
    return (term.starts + timedelta(days=n) for n in range((term.ends - term.starts).days + 1))


def parse_closures(text: str) -> frozenset[date]:
    """Closure days from "2026-09-02, 2026-10-22..2026-10-23" (single days or ranges)."""
    days: set[date] = set()
    for part in split_parts(text):
        if RANGE_SEPARATOR in part:
            days.update(days_of(parse_range(part, "closures")))
        else:
            days.add(parse_date(part, part, "closures"))
    return frozenset(days)
