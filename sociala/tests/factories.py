"""Builders for tests: the demo organisation in two districts, and persons from the test numbers."""

from __future__ import annotations

import itertools
from functools import lru_cache
from pathlib import Path

from sociala.core.identity_numbers import parse_identity_number
from sociala.demo.organization import City
from sociala.demo.organization import build_city as build_demo_city
from sociala.people.models import Person

_NUMBERS = itertools.count()
_DATA = Path(__file__).resolve().parent.parent / "people" / "data" / "test-personal-identity-numbers.csv"


@lru_cache(maxsize=1)
def adult_numbers() -> list[str]:
    """Test numbers of persons born 1940-1995, in file order."""
    with open(_DATA, encoding="utf-8") as handle:
        rows = [line.strip() for line in handle][1:]
    return [n for n in rows if "1940" <= n[:4] <= "1995"]


@lru_cache(maxsize=1)
def child_numbers() -> list[str]:
    """Test numbers of persons born 2013-2020 (children in 2026)."""
    with open(_DATA, encoding="utf-8") as handle:
        rows = [line.strip() for line in handle][1:]
    return [n for n in rows if "2013" <= n[:4] <= "2020"]


def build_city() -> City:
    return build_demo_city(["Rinkeby-Kista", "Bromma"])


def make_person(
    city: City | None = None, *, district: str = "Rinkeby-Kista", number: str | None = None, **fields
) -> Person:
    """A person living in a district (default Rinkeby-Kista) with a valid test number."""
    pool = child_numbers() if fields.pop("child", False) else adult_numbers()
    value = number or pool[next(_NUMBERS) % len(pool)]
    while number is None and Person.objects.filter(personal_identity_number=value).exists():
        value = pool[next(_NUMBERS) % len(pool)]
    parsed = parse_identity_number(value)
    defaults = {
        "first_name": "Testa",
        "last_name": "Testsson",
        "street_address": "Kistagången 12",
        "postal_code": "16440",
        "city": "Kista",
    }
    defaults.update(fields)
    if city is not None and "district" not in fields:
        defaults["district"] = city.districts[district]
    return Person.objects.create(
        personal_identity_number=parsed.value,
        number_kind=parsed.kind,
        birth_date=parsed.birth_date,
        sex=parsed.sex,
        **defaults,
    )
