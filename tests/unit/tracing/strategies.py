"""Calendars and hypothesis strategies shared by the tracing rule tests."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from services.tracing.rules.calendar import SchoolCalendar, parse_closures, parse_terms

TERMS_TEXT = """
2025-09-03..2025-10-24, 2025-11-03..2025-12-19, 2026-01-05..2026-02-13,
2026-02-23..2026-03-27, 2026-04-13..2026-05-22, 2026-06-01..2026-07-22,
2026-09-03..2026-10-23, 2026-11-02..2026-12-18, 2027-01-04..2027-02-12,
2027-02-22..2027-03-25, 2027-04-12..2027-05-28, 2027-06-07..2027-07-21,
2027-09-02..2027-10-22, 2027-11-01..2027-12-17, 2028-01-04..2028-02-11,
2028-02-21..2028-03-31, 2028-04-18..2028-05-26, 2028-06-05..2028-07-21
"""
"""Three school years of an LA's published term dates (made up, in the usual pattern)."""
CLOSURES_TEXT = "2026-09-03, 2027-01-04, 2027-06-07..2027-06-08"
"""INSET days: the first day of a term, and two at the start of the summer half-term."""

TERMS = parse_terms(TERMS_TEXT)
CLOSURES = parse_closures(CLOSURES_TEXT)
TERM_CALENDAR = SchoolCalendar(TERMS, closures=CLOSURES)
WEEKDAY_CALENDAR = SchoolCalendar()
"""No terms configured: every weekday that is not an England bank holiday is a school day."""

CALENDARS = st.sampled_from([TERM_CALENDAR, WEEKDAY_CALENDAR])
STARTS = st.dates(min_value=date(2025, 8, 1), max_value=date(2027, 7, 31))
"""Start dates from which TERM_CALENDAR has at least `COUNTS.max` school days ahead."""
COUNTS = st.integers(min_value=0, max_value=150)
ANY_DAY = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
