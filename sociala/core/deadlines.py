"""Computing statutory time (Lag 1930:173 om beräkning av lagstadgad tid)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from .holidays import is_deadline_free

DAYS = "days"
WEEKS = "weeks"
MONTHS = "months"
YEARS = "years"


def add_period(start: date, amount: int, unit: str) -> date:
    """The calendar end of a period counted from ``start``.

    Weeks end on the same weekday, months and years on the same date number
    (the month's last day when the end month lacks that date).
    """
    if unit == DAYS:
        return start + timedelta(days=amount)
    if unit == WEEKS:
        return start + timedelta(weeks=amount)
    if unit == YEARS:
        amount, unit = amount * 12, MONTHS
    if unit == MONTHS:
        month_index = start.month - 1 + amount
        year = start.year + month_index // 12
        month = month_index % 12 + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        return date(year, month, day)
    raise ValueError(f"unknown period unit {unit!r}")


def next_working_day(day: date) -> date:
    """``day`` itself, or the next day that is not a Saturday, Sunday, holiday or eve."""
    while is_deadline_free(day):
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class ComputedDeadline:
    """A deadline with the calendar date and the date actually in force."""

    calendar_due_on: date
    due_on: date

    @property
    def is_moved(self) -> bool:
        return self.due_on != self.calendar_due_on


def compute_deadline(start: date, amount: int, unit: str, *, moves_to_working_day: bool) -> ComputedDeadline:
    """The calendar deadline and, when the rule says so, the one moved past non-working days."""
    calendar_due = add_period(start, amount, unit)
    due = next_working_day(calendar_due) if moves_to_working_day else calendar_due
    return ComputedDeadline(calendar_due_on=calendar_due, due_on=due)
