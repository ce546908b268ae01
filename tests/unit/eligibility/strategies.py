"""Hypothesis strategies shared by the eligibility rule tests."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

DATES_OF_BIRTH = st.dates(min_value=date(1980, 1, 1), max_value=date(2040, 12, 31))
DAYS = st.dates(min_value=date(1980, 1, 1), max_value=date(2070, 12, 31))
LEAP_DAY_BIRTHS = st.sampled_from([date(y, 2, 29) for y in range(1980, 2041, 4)])
