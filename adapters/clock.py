"""Time as a dependency: the system clock, or a manual one that tests and demos move."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]
UK = ZoneInfo("Europe/London")


def uk_date(moment: datetime) -> date:
    """The calendar date in England at that instant (school dates are UK dates)."""
    return moment.astimezone(UK).date()


def system_clock() -> datetime:
    return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or system_clock()

    def __call__(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("the clock keeps aware UTC datetimes")
        self._now = moment
