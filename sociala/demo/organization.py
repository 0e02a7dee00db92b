"""The demo city's organisation and staff; tests build the same organisation for fewer districts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from sociala.accounts.choices import Role
from sociala.accounts.models import Assignment, Delegation, User
from sociala.core.choices import ServiceArea
from sociala.organization.models import Administration, Committee, Provider, Team, Unit

DEMO_PASSWORD = "sociala-demo"  # noqa: S105 - the published demo password, valid only in demo mode

DISTRICTS = [
    "Bromma",
    "Enskede-Årsta-Vantör",
    "Farsta",
    "Hägersten-Liljeholmen",
    "Hässelby-Vällingby",
    "Kungsholmen",
    "Norrmalm",
    "Rinkeby-Kista",
    "Skarpnäck",
    "Skärholmen",
    "Spånga-Tensta",
    "Södermalm",
    "Älvsjö",
    "Östermalm",
]

UNIT_NAMES = {
    ServiceArea.INDIVIDUAL_FAMILY: "Individ- och familjeomsorg",
    ServiceArea.ELDERLY: "Äldreomsorg, myndighet",
    ServiceArea.DISABILITY: "Funktionsnedsättning, myndighet",
    ServiceArea.HEALTH: "Kommunal hälso- och sjukvård",
}
CHILDREN_UNIT = "Barn och unga"
VALID_FROM = date(2025, 1, 1)


@dataclass
class City:
    """What was built, by name, for tests and the seeder."""

    districts: dict[str, Committee] = field(default_factory=dict)
    units: dict[tuple[str, str], Unit] = field(default_factory=dict)
    providers: dict[str, Provider] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    social_committee: Committee | None = None
    elderly_committee: Committee | None = None

    def unit(self, district: str, key: str) -> Unit:
        return self.units[(district, key)]


# The demo users: username -> (first, last, title, role, district, unit key, extra)
DEMO_USERS = [
    (
        "handlaggare.ifo",
        "Amina",
        "Hassan",
        "Socialsekreterare",
        Role.CASEWORKER,
        "Rinkeby-Kista",
        "individual_family",
    ),
    (
        "handlaggare.ao",
        "Erik",
        "Lindqvist",
        "Biståndshandläggare",
        Role.CASEWORKER,
        "Rinkeby-Kista",
        "elderly",
    ),
    ("handlaggare.lss", "Sara", "Nyström", "LSS-handläggare", Role.CASEWORKER, "Rinkeby-Kista", "disability"),
    (
        "handlaggare.barn",
        "Johan",
        "Berg",
        "Socialsekreterare barn och unga",
        Role.CASEWORKER,
        "Rinkeby-Kista",
        "children",
    ),
    (
        "handlaggare.ifo.bromma",
        "Maria",
        "Ek",
        "Socialsekreterare",
        Role.CASEWORKER,
        "Bromma",
        "individual_family",
    ),
    ("chef.ifo", "Leila", "Karimi", "Enhetschef", Role.UNIT_MANAGER, "Rinkeby-Kista", "individual_family"),
    ("utforare.hemtjanst", "Peter", "Sund", "Undersköterska", Role.PROVIDER_STAFF, None, None),
    ("socialjour", "Nora", "Dahl", "Socialsekreterare, socialjouren", Role.OUT_OF_HOURS, None, None),
    ("admin.lokal", "Olle", "Björk", "Paraplysamordnare", Role.LOCAL_ADMINISTRATOR, "Rinkeby-Kista", None),
    ("revisor", "Ingrid", "Falk", "Loggranskare", Role.LOG_REVIEWER, None, None),
    ("controller", "Karl", "Holm", "Controller", Role.CONTROLLER, None, None),
    ("admin", "Anna", "Wik", "Systemförvaltare", Role.SYSTEM_ADMINISTRATOR, None, None),
]

# Delegations: username -> [(case type code or *, reference, may refuse)]
DEMO_DELEGATIONS = {
    "handlaggare.ifo": [("income_support_application", "3.1.1", True)],
    "handlaggare.ifo.bromma": [("income_support_application", "3.1.1", True)],
    "handlaggare.ao": [
        ("home_care_application", "5.1.1", True),
        ("residential_care_application", "5.1.2", True),
        ("short_stay_application", "5.1.3", True),
        ("safety_alarm_application", "5.1.4", True),
        ("day_activity_application", "5.1.5", True),
        ("companion_service_application", "5.1.6", True),
    ],
    "handlaggare.lss": [
        ("lss_contact_person_application", "6.2.4", False),
        ("lss_personal_assistance_application", "6.2.2", False),
        ("lss_companion_application", "6.2.3", False),
        ("lss_relief_application", "6.2.5", False),
        ("lss_short_stay_application", "6.2.6", False),
        ("lss_short_supervision_application", "6.2.7", False),
        ("lss_child_housing_application", "6.2.8", False),
        ("lss_adult_housing_application", "6.2.9", False),
        ("lss_daily_activity_application", "6.2.10", False),
    ],
    "handlaggare.barn": [("child_report_of_concern", "4.1.1", True)],
    "chef.ifo": [("*", "2.1", True)],
}


def build_city(district_names: list[str] | None = None, *, password: str = DEMO_PASSWORD) -> City:
    """Create committees, administrations, units, teams, providers and the demo staff."""
    city = City()
    names = district_names or DISTRICTS
    for name in names:
        committee, _ = Committee.objects.get_or_create(
            code=slugify(name), defaults={"name": f"{name} stadsdelsnämnd", "kind": Committee.Kind.DISTRICT}
        )
        city.districts[name] = committee
        administration, _ = Administration.objects.get_or_create(
            committee=committee, name=f"{name} stadsdelsförvaltning"
        )
        for area, label in UNIT_NAMES.items():
            unit, _ = Unit.objects.get_or_create(
                administration=administration, service_area=area, name=f"{label} {name}"
            )
            city.units[(name, str(area))] = unit
            Team.objects.get_or_create(unit=unit, name=f"Grupp 1, {label.lower()} {name}")
        children, _ = Unit.objects.get_or_create(
            administration=administration,
            service_area=ServiceArea.INDIVIDUAL_FAMILY,
            name=f"{CHILDREN_UNIT} {name}",
        )
        city.units[(name, "children")] = children
    city.social_committee, _ = Committee.objects.get_or_create(
        code="socialnamnden", defaults={"name": "Socialnämnden", "kind": Committee.Kind.SOCIAL}
    )
    city.elderly_committee, _ = Committee.objects.get_or_create(
        code="aldrenamnden", defaults={"name": "Äldrenämnden", "kind": Committee.Kind.ELDERLY}
    )
    for key, name, number, municipal, areas in [
        ("hemtjanst_kommunal", "Stadens hemtjänst Järva", "212000-0142", True, ["elderly", "disability"]),
        ("hemtjanst_privat", "Omsorgshuset Hemtjänst AB", "556677-8899", False, ["elderly"]),
        (
            "kontaktperson",
            "Kontakt & Stöd i Norden AB",
            "559012-3456",
            False,
            ["disability", "individual_family"],
        ),
    ]:
        provider, _ = Provider.objects.get_or_create(
            organization_number=number,
            defaults={"name": name, "is_municipal": municipal, "service_areas": areas},
        )
        provider.districts.add(*city.districts.values())
        city.providers[key] = provider

    hashed = make_password(password)
    for username, first, last, title, role, district, unit_key in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "title": title,
                "password": hashed,
                "phone": "08-508 000 00",
                "email": f"{username}@sociala.example",
            },
        )
        city.users[username] = user
        if not created:
            continue
        assignment = Assignment(user=user, role=role, valid_from=VALID_FROM)
        if district and district in city.districts:
            if unit_key:
                assignment.unit = city.unit(district, unit_key)
            else:
                assignment.committee = city.districts[district]
        if role == Role.PROVIDER_STAFF:
            assignment.provider = city.providers["hemtjanst_kommunal"]
        if role == Role.OUT_OF_HOURS:
            assignment.service_areas = [ServiceArea.INDIVIDUAL_FAMILY]
        if role == Role.UNIT_MANAGER and district in city.districts:
            # The IFO manager leads both the adult and the children's unit.
            Assignment.objects.create(
                user=user, role=role, unit=city.unit(district, "children"), valid_from=VALID_FROM
            )
        if role == Role.SYSTEM_ADMINISTRATOR:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        assignment.save()
        for case_type, reference, may_refuse in DEMO_DELEGATIONS.get(username, []):
            Delegation.objects.create(
                user=user,
                committee=city.districts.get(district) or next(iter(city.districts.values())),
                case_type=case_type,
                reference=reference,
                may_refuse=may_refuse,
                valid_from=VALID_FROM,
            )
    return city
