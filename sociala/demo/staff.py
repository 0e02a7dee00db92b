"""Caseworkers for every unit: the demo users where they exist, generated colleagues elsewhere."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from sociala.accounts.choices import Role
from sociala.accounts.models import Assignment, Delegation, User

from .data import names, places
from .organization import DEMO_PASSWORD, City


@dataclass(frozen=True)
class CaseTypeStaffing:
    """Which unit handles a case type, and what its caseworkers are called."""

    case_type: str
    unit_key: str
    short: str
    title: str
    delegation_reference: str


STAFFING = [
    CaseTypeStaffing("income_support_application", "individual_family", "ifo", "Socialsekreterare", "3.1.1"),
    CaseTypeStaffing(
        "child_report_of_concern", "children", "barn", "Socialsekreterare barn och unga", "4.1.1"
    ),
    CaseTypeStaffing("home_care_application", "elderly", "ao", "Biståndshandläggare", "5.1.1"),
    CaseTypeStaffing("lss_contact_person_application", "disability", "lss", "LSS-handläggare", "6.2.4"),
]
STAFFING_BY_TYPE = {s.case_type: s for s in STAFFING}

# (district, unit key) -> the demo user who handles every case there.
DEMO_CASEWORKERS = {
    ("Rinkeby-Kista", "individual_family"): "handlaggare.ifo",
    ("Rinkeby-Kista", "children"): "handlaggare.barn",
    ("Rinkeby-Kista", "elderly"): "handlaggare.ao",
    ("Rinkeby-Kista", "disability"): "handlaggare.lss",
    ("Bromma", "individual_family"): "handlaggare.ifo.bromma",
}


def generated_username(short: str, district: str) -> str:
    """handlaggare.<area>.<district>, the pattern of the demo user handlaggare.ifo.bromma."""
    return f"handlaggare.{short}.{slugify(district)}"


def add_caseworkers(city: City, *, rng: random.Random, today: date) -> dict[tuple[str, str], User]:
    """One caseworker per unit and case type; generated ones get an assignment and a delegation."""
    caseworkers: dict[tuple[str, str], User] = {}
    hashed = make_password(DEMO_PASSWORD)
    valid_from = date(today.year - 2, 1, 1)
    for district in city.districts:
        for staffing in STAFFING:
            key = (district, staffing.unit_key)
            demo_username = DEMO_CASEWORKERS.get(key)
            if demo_username and demo_username in city.users:
                caseworkers[key] = city.users[demo_username]
                continue
            origin = rng.choices(
                [names.SWEDISH, names.FINNISH, names.PERSIAN, names.ARABIC, names.SOMALI, names.BOSNIAN],
                weights=[70, 6, 7, 7, 5, 5],
            )[0]
            sex = rng.choice(["female", "female", "male"])
            first = rng.choice(names.first_names(origin, sex, 1985))
            last = names.surname_for(rng.choice(names.last_names(origin)), sex)
            username = generated_username(staffing.short, district)
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "title": staffing.title,
                    "password": hashed,
                    "phone": rng.choice(places.FICTION_OFFICE_NUMBERS),
                    "email": f"{username}@sociala.example",
                },
            )
            if created:
                for right in caseworker_rights(user, city, district, staffing, valid_from):
                    right.save()
            caseworkers[key] = user
    return caseworkers


def caseworker_rights(user, city, district: str, staffing, valid_from) -> tuple[Assignment, Delegation]:
    """A generated caseworker's assignment to the unit and delegation for its case type (unsaved)."""
    return (
        Assignment(
            user=user,
            role=Role.CASEWORKER,
            unit=city.unit(district, staffing.unit_key),
            valid_from=valid_from,
        ),
        Delegation(
            user=user,
            committee=city.districts[district],
            case_type=staffing.case_type,
            reference=staffing.delegation_reference,
            may_refuse=True,
            valid_from=valid_from,
        ),
    )
