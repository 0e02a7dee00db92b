from datetime import date

import pytest

from sociala.core.deadlines import DAYS, MONTHS, WEEKS, YEARS, add_period, compute_deadline, next_working_day
from sociala.core.holidays import easter_sunday, is_deadline_free, public_holidays


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
    ],
)
def test_easter(year, expected):
    assert easter_sunday(year) == expected


def test_holidays_2026():
    holidays = public_holidays(2026)
    assert holidays[date(2026, 4, 3)] == "långfredagen"
    assert holidays[date(2026, 4, 6)] == "annandag påsk"
    assert holidays[date(2026, 5, 14)] == "Kristi himmelsfärdsdag"
    assert holidays[date(2026, 6, 20)] == "midsommardagen"
    assert holidays[date(2026, 10, 31)] == "alla helgons dag"
    assert date(2026, 1, 5) not in holidays  # trettondedagsafton is not a holiday


def test_eves_stop_a_deadline_but_trettondedagsafton_does_not():
    assert is_deadline_free(date(2026, 6, 19))  # midsommarafton
    assert is_deadline_free(date(2026, 12, 24))
    assert is_deadline_free(date(2026, 12, 31))
    assert not is_deadline_free(date(2026, 1, 5))


def test_months_end_on_the_same_date_or_the_last_of_a_short_month():
    assert add_period(date(2026, 1, 31), 1, MONTHS) == date(2026, 2, 28)
    assert add_period(date(2026, 10, 15), 4, MONTHS) == date(2027, 2, 15)
    assert add_period(date(2024, 2, 29), 1, YEARS) == date(2025, 2, 28)


def test_weeks_end_on_the_same_weekday():
    assert add_period(date(2026, 11, 25), 3, WEEKS) == date(2026, 12, 16)


def test_appeal_period_ending_on_christmas_eve_moves_past_the_holidays():
    # Received Thursday 3 Dec 2026: three weeks end Thursday 24 Dec (julafton),
    # 25 and 26 Dec are holidays, 27 is a Sunday -> Monday 28 Dec.
    deadline = compute_deadline(date(2026, 12, 3), 3, WEEKS, moves_to_working_day=True)
    assert deadline.calendar_due_on == date(2026, 12, 24)
    assert deadline.due_on == date(2026, 12, 28)
    assert deadline.is_moved


def test_easter_weekend():
    # 14 days after 20 March 2026 is Friday 3 April, långfredagen -> Tuesday 7 April.
    moved = compute_deadline(date(2026, 3, 20), 14, DAYS, moves_to_working_day=True)
    assert moved.due_on == date(2026, 4, 7)
    calendar_only = compute_deadline(date(2026, 3, 20), 14, DAYS, moves_to_working_day=False)
    assert calendar_only.due_on == date(2026, 4, 3)
    assert not calendar_only.is_moved


def test_saturday_moves_to_monday():
    assert next_working_day(date(2026, 11, 28)) == date(2026, 11, 30)
    assert next_working_day(date(2026, 11, 25)) == date(2026, 11, 25)
