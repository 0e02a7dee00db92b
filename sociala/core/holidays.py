"""Swedish public holidays (Lag 1989:253) and the days treated like them for deadlines (Lag 1930:173)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_saturday_between(start: date, end: date) -> date:
    day = start
    while day.weekday() != 5:
        day += timedelta(days=1)
    assert day <= end
    return day


@lru_cache(maxsize=256)
def public_holidays(year: int) -> dict[date, str]:
    """The public holidays of a year other than ordinary Sundays, by date."""
    easter = easter_sunday(year)
    midsummer_day = _first_saturday_between(date(year, 6, 20), date(year, 6, 26))
    all_saints = _first_saturday_between(date(year, 10, 31), date(year, 11, 6))
    return {
        date(year, 1, 1): "nyårsdagen",
        date(year, 1, 6): "trettondedag jul",
        easter - timedelta(days=2): "långfredagen",
        easter: "påskdagen",
        easter + timedelta(days=1): "annandag påsk",
        date(year, 5, 1): "första maj",
        easter + timedelta(days=39): "Kristi himmelsfärdsdag",
        easter + timedelta(days=49): "pingstdagen",
        date(year, 6, 6): "Sveriges nationaldag",
        midsummer_day: "midsommardagen",
        all_saints: "alla helgons dag",
        date(year, 12, 25): "juldagen",
        date(year, 12, 26): "annandag jul",
    }


@lru_cache(maxsize=256)
def deadline_free_days(year: int) -> dict[date, str]:
    """Days on which a statutory period may not end (Lag 1930:173): holidays plus three eves."""
    days = dict(public_holidays(year))
    midsummer_day = next(d for d, name in days.items() if name == "midsommardagen")
    days[midsummer_day - timedelta(days=1)] = "midsommarafton"
    days[date(year, 12, 24)] = "julafton"
    days[date(year, 12, 31)] = "nyårsafton"
    return days


def is_public_holiday(day: date) -> bool:
    """True on Sundays and the public holidays of Lag 1989:253."""
    return day.weekday() == 6 or day in public_holidays(day.year)


def is_deadline_free(day: date) -> bool:
    """True when a period may not end on this day: Saturday, Sunday, holiday or one of the three eves."""
    return day.weekday() >= 5 or day in deadline_free_days(day.year)
