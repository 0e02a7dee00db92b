"""Swedish identity numbers: personnummer, samordningsnummer and reservnummer.

A personnummer is a birth date, a three-digit birth number and a Luhn check
digit. A samordningsnummer adds 60 to the day. Written forms in common use:
``YYYYMMDDNNNC``, ``YYYYMMDD-NNNC``, ``YYMMDD-NNNC``, ``YYMMDDNNNC`` and
``YYMMDD+NNNC`` (the plus sign for persons who have turned 100).

A reservnummer is a local number for a person who lacks (or cannot yet be
identified by) a national number. There is no national format; Sociala uses
``R`` + birth date ``YYYYMMDD`` + three digits, e.g. ``R19800101123``, stored
as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

PERSONAL_IDENTITY_NUMBER = "personal_identity_number"
COORDINATION_NUMBER = "coordination_number"
RESERVE_NUMBER = "reserve_number"

_NATIONAL = re.compile(r"^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$")
_RESERVE = re.compile(r"^R(\d{4})(\d{2})(\d{2})(\d{3})$")


class InvalidIdentityNumber(ValueError):
    """A written identity number that cannot be a valid Swedish number; ``code`` says why."""

    MESSAGES = {
        "empty": _("Ange ett personnummer."),
        "format": _(
            "Personnumret har fel format. Skriv det som ÅÅÅÅMMDD-NNNN, ÅÅMMDD-NNNN eller 12 siffror."
        ),
        "date": _("Personnumret innehåller inget giltigt datum. Kontrollera år, månad och dag."),
        "future": _("Personnumret har ett födelsedatum i framtiden."),
        "checksum": _("Kontrollsiffran stämmer inte. Kontrollera att alla siffror är rätt."),
    }

    def __init__(self, code: str):
        self.code = code
        super().__init__(str(self.MESSAGES[code]))

    @property
    def message(self) -> str:
        return str(self.MESSAGES[self.code])


@dataclass(frozen=True)
class IdentityNumber:
    """A parsed identity number in its canonical 12-character form."""

    value: str
    kind: str
    birth_date: date
    sex: str  # "female", "male" or "" for reserve numbers
    birth_date_is_exact: bool = True

    def __str__(self) -> str:
        return self.formatted

    @property
    def formatted(self) -> str:
        """YYYYMMDD-NNNN, the form shown in the UI."""
        if self.kind == RESERVE_NUMBER:
            return self.value
        return f"{self.value[:8]}-{self.value[8:]}"


def luhn_check_digit(digits: str) -> int:
    """The Luhn (mod 10) check digit for a string of digits."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def parse_identity_number(text: str, *, today: date | None = None) -> IdentityNumber:
    """Parse a personnummer, samordningsnummer or reservnummer in any common written form."""
    if text is None or not str(text).strip():
        raise InvalidIdentityNumber("empty")
    cleaned = re.sub(r"\s", "", str(text)).upper()
    today = today or date.today()

    reserve = _RESERVE.match(cleaned)
    if reserve:
        year, month, day, _serial = reserve.groups()
        birth = _date_or_raise(int(year), int(month), int(day))
        if birth > today:
            raise InvalidIdentityNumber("future")
        return IdentityNumber(cleaned, RESERVE_NUMBER, birth, "")

    match = _NATIONAL.match(cleaned)
    if not match:
        raise InvalidIdentityNumber("format")
    century, yy, mm, dd, separator, serial, check = match.groups()
    day = int(dd)
    kind = PERSONAL_IDENTITY_NUMBER
    if day >= 60:
        kind = COORDINATION_NUMBER
        day -= 60

    month = int(mm)
    # Skatteverket issues samordningsnummer with month 00 or day 60 when the
    # birth date is not known in full; the date is then approximate.
    is_exact = True
    if kind == COORDINATION_NUMBER and (month == 0 or day == 0):
        is_exact = False
        month, day = month or 1, day or 1

    if century is None:
        year = _year_from_two_digits(int(yy), month, day, separator == "+", today)
        century = f"{year // 100:02d}"
    elif separator == "+":
        raise InvalidIdentityNumber("format")
    year = int(century + yy)
    birth = _date_or_raise(year, month, day)
    if birth > today:
        raise InvalidIdentityNumber("future")

    if luhn_check_digit(f"{yy}{mm}{dd}{serial}") != int(check):
        raise InvalidIdentityNumber("checksum")
    sex = "female" if int(serial[2]) % 2 == 0 else "male"
    return IdentityNumber(f"{century}{yy}{mm}{dd}{serial}{check}", kind, birth, sex, is_exact)


def _date_or_raise(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidIdentityNumber("date") from None


def _year_from_two_digits(yy: int, month: int, day: int, is_centenarian: bool, today: date) -> int:
    """The full year of a 10-digit number: the latest year not in the future (minus 100 with '+')."""
    year = (today.year // 100) * 100 + yy
    try:
        candidate = date(year, month, day)
    except ValueError:
        candidate = date(year, 1, 1) if (year, month) <= (today.year, today.month) else date(year, 12, 31)
    if candidate > today:
        year -= 100
    if is_centenarian:
        year -= 100
    return year


def looks_like_identity_number(text: str) -> bool:
    """True when a search text is meant as a number rather than a name."""
    stripped = re.sub(r"[\s\-+]", "", text or "")
    return bool(stripped) and (stripped.isdigit() or _RESERVE.match(stripped.upper()) is not None)
