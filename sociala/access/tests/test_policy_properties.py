"""Property tests of the access policy: for generated staff (random roles, units, service areas and
validity), persons (districts, protection levels), cases, emergency grants and consents, the policy
lets exactly the reads that a plain oracle over the generated data allows — no more, no fewer.

The oracle below restates the rules of the policy's docstring in plain Python over the generated
specification; it does not call the policy or the ORM.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sociala.access.models import Consent, ConsentForm, ConsentScope, EmergencyAccess
from sociala.access.policy import (
    can_write_case,
    case_visibility,
    person_access,
    restrict_cases,
    restrict_persons,
)
from sociala.accounts.choices import Role
from sociala.accounts.models import Assignment, User
from sociala.cases.models import Case, CaseType
from sociala.core.choices import ServiceArea
from sociala.people.choices import ProtectionLevel
from sociala.people.models import Person
from sociala.people.selectors import search_persons
from sociala.tests.factories import make_person

AREAS = list(ServiceArea.values)
# Few areas and units, and mostly case work in force, so that the rules meet often in one example.
GENERATED_AREAS = [ServiceArea.INDIVIDUAL_FAMILY, ServiceArea.ELDERLY]
ROLES = [Role.CASEWORKER] * 4 + [Role.UNIT_MANAGER] * 2 + list(Role.values)
LEVELS = list(ProtectionLevel.values)
UNIT_KEYS = [
    (d, k)
    for d in ("Rinkeby-Kista", "Bromma")
    for k in (ServiceArea.INDIVIDUAL_FAMILY, ServiceArea.ELDERLY, "children")
]
VALIDITY = ["active", "active", "active", "open_ended", "expired", "future"]
CONSENT_STATES = [
    "valid",
    "valid",
    "open_ended",
    "withdrawn_today",
    "withdrawn_tomorrow",
    "expired",
    "future",
]
_serial = itertools.count()

assignment_spec = st.fixed_dictionaries(
    {
        "role": st.sampled_from(ROLES),
        "unit": st.one_of(st.none(), st.integers(0, len(UNIT_KEYS) - 1)),
        "areas": st.lists(st.sampled_from(GENERATED_AREAS), max_size=2, unique=True),
        "validity": st.sampled_from(VALIDITY),
    }
)
world_spec = st.fixed_dictionaries(
    {
        "users": st.lists(st.lists(assignment_spec, min_size=1, max_size=3), min_size=1, max_size=3),
        "persons": st.lists(
            st.fixed_dictionaries(
                {
                    "district": st.sampled_from(["Rinkeby-Kista", "Bromma", None]),
                    "level": st.sampled_from(LEVELS),
                }
            ),
            min_size=1,
            max_size=2,
        ),
        "cases": st.lists(
            st.fixed_dictionaries(
                {
                    "person": st.integers(0, 1),
                    "unit": st.integers(0, len(UNIT_KEYS) - 1),
                    "area": st.one_of(
                        st.none(), st.sampled_from(GENERATED_AREAS)
                    ),  # None: the unit's own area
                    "assignee": st.one_of(st.none(), st.integers(0, 2)),
                }
            ),
            min_size=1,
            max_size=6,
        ),
        "grants": st.lists(
            st.tuples(st.integers(0, 2), st.integers(0, 1), st.booleans()),  # user, person, still active
            max_size=3,
        ),
        "consents": st.lists(
            st.fixed_dictionaries(
                {
                    "person": st.integers(0, 1),
                    "areas": st.permutations(GENERATED_AREAS),  # from, to
                    "outside": st.sampled_from([False, False, False, True]),
                    "state": st.sampled_from(CONSENT_STATES),
                }
            ),
            max_size=4,
        ),
    }
)


# --- The oracle ----------------------------------------------------------------------------------------


@dataclass
class UnitFact:
    district: str
    area: str


def unit_fact(key: tuple[str, str]) -> UnitFact:
    district, kind = key
    return UnitFact(district, ServiceArea.INDIVIDUAL_FAMILY if kind == "children" else kind)


def in_force(validity: str) -> bool:
    return validity in ("active", "open_ended")


def consent_in_force(state: str) -> bool:
    return state in ("valid", "open_ended", "withdrawn_tomorrow")


class Oracle:
    """The rules, restated: whose assignments open which cases and persons."""

    def __init__(self, spec: dict):
        self.spec = spec

    def assignments(self, u: int) -> list[dict]:
        return [a for a in self.spec["users"][u] if in_force(a["validity"])]

    @staticmethod
    def areas_of(a: dict) -> set[str]:
        if a["areas"]:
            return set(a["areas"])
        if a["unit"] is not None:
            return {unit_fact(UNIT_KEYS[a["unit"]]).area}
        return set(AREAS)

    def case_work(self, u: int) -> list[tuple[UnitFact, int, set[str]]]:
        """(unit, unit index, areas) of each caseworker or manager assignment with a unit."""
        return [
            (unit_fact(UNIT_KEYS[a["unit"]]), a["unit"], self.areas_of(a))
            for a in self.assignments(u)
            if a["role"] in (Role.CASEWORKER, Role.UNIT_MANAGER) and a["unit"] is not None
        ]

    def emergency_areas(self, u: int) -> set[str]:
        areas: set[str] = set()
        for _unit, _index, work_areas in self.case_work(u):
            areas |= work_areas
        for a in self.assignments(u):
            if a["role"] == Role.OUT_OF_HOURS:
                areas |= self.areas_of(a)
        return areas

    def sees_personal_data(self, u: int) -> bool:
        """Case work or out-of-hours duty (the generated provider staff have no provider, so nothing)."""
        return bool(self.case_work(u)) or any(a["role"] == Role.OUT_OF_HOURS for a in self.assignments(u))

    def grant_active(self, u: int, p: int) -> bool:
        return any(g[0] == u and g[1] == p and g[2] for g in self.spec["grants"])

    def case_facts(self, c: dict) -> tuple[UnitFact, str]:
        unit = unit_fact(UNIT_KEYS[c["unit"]])
        return unit, c["area"] or unit.area

    def consented(self, person: int, source: str, targets: set[str]) -> bool:
        return any(
            k["person"] == person
            and not k["outside"]
            and k["areas"][0] != k["areas"][1]
            and k["areas"][0] == source
            and k["areas"][1] in targets
            and consent_in_force(k["state"])
            for k in self.spec["consents"]
        )

    def sees_case(self, u: int, c: dict, *, with_consent: bool = True) -> bool:
        if not self.sees_personal_data(u):
            return False
        unit, area = self.case_facts(c)
        work = self.case_work(u)
        if work:
            if any(index == c["unit"] and area in areas for _unit, index, areas in work):
                return True
            if c["assignee"] == u:
                return True
            if with_consent:
                district_areas = set()
                for work_unit, _index, areas in work:
                    if work_unit.district == unit.district:
                        district_areas |= areas
                if self.consented(c["person"], area, district_areas):
                    return True
        emergency = self.emergency_areas(u)
        return bool(emergency) and self.grant_active(u, c["person"]) and area in emergency

    def sees_person(self, u: int, p: int) -> bool:
        if not self.sees_personal_data(u):
            return False
        if any(self.sees_case(u, c) for c in self.spec["cases"] if c["person"] == p):
            return True
        person = self.spec["persons"][p]
        districts = {unit.district for unit, _index, _areas in self.case_work(u)}
        open_level = person["level"] in (ProtectionLevel.NONE, ProtectionLevel.CONFIDENTIALITY_MARKED)
        if person["district"] in districts and open_level:
            return True
        return bool(self.emergency_areas(u)) and self.grant_active(u, p)


# --- Building the generated world in the database -------------------------------------------------------


def validity_dates(validity: str, today):
    return {
        "active": (today - timedelta(days=10), today + timedelta(days=10)),
        "open_ended": (today - timedelta(days=400), None),
        "expired": (today - timedelta(days=30), today - timedelta(days=1)),
        "future": (today + timedelta(days=1), None),
    }[validity]


def consent_dates(state: str, today):
    """(valid_from, valid_to, withdrawn_on)"""
    return {
        "valid": (today - timedelta(days=5), today + timedelta(days=5), None),
        "open_ended": (today, None, None),
        "withdrawn_today": (today - timedelta(days=5), None, today),
        "withdrawn_tomorrow": (today - timedelta(days=5), None, today + timedelta(days=1)),
        "expired": (today - timedelta(days=50), today - timedelta(days=1), None),
        "future": (today + timedelta(days=1), None, None),
    }[state]


def build(city, spec: dict, today):
    units = [city.unit(*key) for key in UNIT_KEYS]
    case_types = {area: CaseType.objects.filter(service_area=area).first() for area in AREAS}
    users = []
    for number, assignments in enumerate(spec["users"]):
        user = User.objects.create(username=f"gen-{next(_serial)}-{number}")
        for a in assignments:
            valid_from, valid_to = validity_dates(a["validity"], today)
            Assignment.objects.create(
                user=user,
                role=a["role"],
                unit=units[a["unit"]] if a["unit"] is not None else None,
                service_areas=a["areas"],
                valid_from=valid_from,
                valid_to=valid_to,
            )
        users.append(User.objects.get(pk=user.pk))
    persons = []
    for p in spec["persons"]:
        persons.append(
            make_person(
                city if p["district"] else None, district=p["district"] or "", protection_level=p["level"]
            )
        )
    cases = []
    for c in spec["cases"]:
        if c["person"] >= len(persons):
            cases.append(None)
            continue
        unit = units[c["unit"]]
        area = c["area"] or unit.service_area
        assignee = users[c["assignee"]] if c["assignee"] is not None and c["assignee"] < len(users) else None
        cases.append(
            Case.objects.create(
                person=persons[c["person"]],
                case_type=case_types[area] or CaseType.objects.first(),
                service_area=area,
                unit=unit,
                district=unit.administration.committee,
                assigned_to=assignee,
                reference=f"GEN-{next(_serial)}",
                intake_kind="application",
                received_on=today,
                sought="Genererat",
            )
        )
    now = timezone.now()
    for u, p, active in spec["grants"]:
        if u < len(users) and p < len(persons):
            EmergencyAccess.objects.create(
                user=users[u],
                person=persons[p],
                reason="Genererad nödåtkomst",
                granted_at=now - timedelta(hours=3),
                expires_at=now + timedelta(hours=1) if active else now - timedelta(hours=1),
            )
    for k in spec["consents"]:
        if k["person"] >= len(persons):
            continue
        valid_from, valid_to, withdrawn_on = consent_dates(k["state"], today)
        Consent.objects.create(
            person=persons[k["person"]],
            scope=ConsentScope.OUTSIDE_PARTY if k["outside"] else ConsentScope.BETWEEN_AREAS,
            from_area=k["areas"][0],
            to_area="" if k["outside"] else k["areas"][1],
            outside_party="Skolan" if k["outside"] else "",
            form=ConsentForm.WRITTEN,
            valid_from=valid_from,
            valid_to=valid_to,
            withdrawn_on=withdrawn_on,
            recorded_by=city.users["admin"],
            recorded_at=now,
        )
    return users, persons, cases


def normalise(spec: dict) -> dict:
    """Drop references to generated rows that do not exist (fewer users or persons than indexes)."""
    users, persons = len(spec["users"]), len(spec["persons"])
    spec = dict(spec)
    spec["cases"] = [
        {**c, "assignee": c["assignee"] if c["assignee"] is not None and c["assignee"] < users else None}
        for c in spec["cases"]
        if c["person"] < persons
    ]
    spec["grants"] = [g for g in spec["grants"] if g[0] < users and g[1] < persons]
    spec["consents"] = [k for k in spec["consents"] if k["person"] < persons]
    return spec


@pytest.mark.django_db
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(spec=world_spec)
def test_no_generated_user_reads_outside_the_policy(city, spec):
    spec = normalise(spec)
    today = timezone.localdate()
    oracle = Oracle(spec)
    with transaction.atomic():
        users, persons, cases = build(city, spec, today)
        cases = [c for c in cases if c is not None]
        for u, user in enumerate(users):
            visible_cases = set(
                restrict_cases(Case.objects.filter(pk__in=[c.pk for c in cases]), user).values_list(
                    "pk", flat=True
                )
            )
            visible_persons = set(
                restrict_persons(Person.objects.filter(pk__in=[p.pk for p in persons]), user).values_list(
                    "pk", flat=True
                )
            )
            for c_spec, case in zip(spec["cases"], cases, strict=True):
                expected = oracle.sees_case(u, c_spec)
                assert (case.pk in visible_cases) == expected, ("case", u, c_spec, spec)
                assert bool(case_visibility(user, case)) == expected, ("case_visibility", u, c_spec, spec)
                assert can_write_case(user, case) == oracle.sees_case(u, c_spec, with_consent=False), (
                    "write",
                    u,
                    c_spec,
                )
            # A search by name finds only persons the policy opens (decision 0031: its branches are
            # the policy's own rules, so the pages do not check its hits again).
            everyone = set(restrict_persons(Person.objects.all(), user).values_list("pk", flat=True))
            for query in {p.last_name[:1] for p in persons} | {p.first_name[:2] for p in persons}:
                found = {p.pk for p in search_persons(user, query, limit=None)}
                assert found <= everyone, ("name search", u, query, spec)
            for p, person in enumerate(persons):
                expected = oracle.sees_person(u, p)
                assert (person.pk in visible_persons) == expected, ("person", u, p, spec)
                assert person_access(user, person).allowed == expected, ("person_access", u, p, spec)
        transaction.set_rollback(True)
