"""Enrolments from the roll index, and which of them hold on a given day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Enrolment:
    """A spell on a school's roll, from the roll index."""

    urn: str
    on_roll_from: date
    off_roll_on: date | None  # None = still on roll
    source_reference: str | None = None

    def on_roll_on(self, day: date) -> bool:
        """On roll from `on_roll_from` up to, not including, `off_roll_on`."""
        return self.on_roll_from <= day and (self.off_roll_on is None or self.off_roll_on > day)


def enrolments_on(
    enrolments: Iterable[Enrolment], day: date, *, excluding_urn: str | None = None
) -> tuple[Enrolment, ...]:
    """The enrolments holding on `day`, most recently started first (then by URN).

    `excluding_urn` leaves out one school's own enrolments: the school deleting the pupil,
    whose index entry may not be closed yet when its deletion return arrives.
    """
    current = (e for e in enrolments if e.on_roll_on(day) and e.urn != excluding_urn)
    return tuple(sorted(current, key=lambda e: (-e.on_roll_from.toordinal(), e.urn)))
