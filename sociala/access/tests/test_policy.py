"""Access decisions, tested like money: each rule and each role."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sociala.access.models import EmergencyAccess
from sociala.access.policy import person_access, restrict_cases, restrict_persons, scope_for
from sociala.access.services import grant_emergency_access
from sociala.cases import services
from sociala.cases.models import Case, CaseType
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.people.choices import ProtectionLevel
from sociala.people.models import Person
from sociala.tests.factories import make_person


def sees_person(user, person) -> bool:
    listed = restrict_persons(Person.objects.filter(pk=person.pk), user).exists()
    decided = person_access(user, person).allowed
    assert listed == decided, "the list filter and the single decision must agree"
    return decided


def sees_case(user, case) -> bool:
    return restrict_cases(Case.objects.filter(pk=case.pk), user).exists()


@pytest.fixture
def case(city, today):
    person = make_person(city)
    return services.open_case(
        actor=city.users["handlaggare.ao"],
        person=person,
        case_type=CaseType.objects.get(code="home_care_application"),
        received_on=today,
        sought="Hemtjänst",
    )


def test_roles_without_personal_data_see_nobody(city, case):
    for username in ["admin.lokal", "revisor", "controller", "admin"]:
        user = city.users[username]
        assert not scope_for(user).sees_personal_data
        assert not sees_person(user, case.person)
        assert not sees_case(user, case)


def test_case_is_visible_in_its_unit_and_service_area_only(city, case):
    assert sees_case(city.users["handlaggare.ao"], case)
    assert not sees_case(city.users["handlaggare.ifo"], case)  # same district, other area and unit
    assert not sees_case(city.users["chef.ifo"], case)  # manages IFO units, not elderly care
    assert not sees_case(city.users["handlaggare.ifo.bromma"], case)


def test_the_assignee_sees_the_case_wherever_it_is(city, case):
    case.assigned_to = city.users["handlaggare.ifo.bromma"]
    case.save()
    assert sees_case(city.users["handlaggare.ifo.bromma"], case)


def test_residents_of_the_district_are_visible_to_start_a_case(city):
    person = make_person(city)
    assert sees_person(city.users["handlaggare.ifo"], person)
    assert not sees_person(city.users["handlaggare.ifo.bromma"], person)


@pytest.mark.parametrize(
    "level", [ProtectionLevel.PROTECTED_REGISTRATION, ProtectionLevel.FICTITIOUS_IDENTITY]
)
def test_protected_persons_are_visible_only_through_a_case(city, today, level):
    person = make_person(city, protection_level=level)
    user = city.users["handlaggare.ao"]
    assert not sees_person(user, person)
    EmergencyAccess.objects.create(
        user=user,
        person=person,
        reason="Ansökan på plats i receptionen",
        granted_at=timezone.now(),
        expires_at=timezone.now() + timedelta(minutes=5),
    )
    services.open_case(
        actor=user,
        person=person,
        case_type=CaseType.objects.get(code="home_care_application"),
        received_on=today,
        sought="Hemtjänst",
    )
    EmergencyAccess.objects.all().delete()
    access = person_access(user, person)
    assert access.allowed and not access.is_emergency
    assert not access.shows_address
    assert not sees_person(city.users["handlaggare.ifo"], person)


def test_confidentiality_marked_address_needs_a_case(city, case):
    case.person.protection_level = ProtectionLevel.CONFIDENTIALITY_MARKED
    case.person.save()
    assert person_access(city.users["handlaggare.ao"], case.person).shows_address
    neighbour = person_access(city.users["handlaggare.lss"], case.person)
    assert neighbour.allowed and not neighbour.shows_address


def test_emergency_access_is_time_limited_and_flagged(city):
    person = make_person(city, district="Bromma")
    user = city.users["socialjour"]
    assert not sees_person(user, person)
    with pytest.raises(InvalidInput):
        grant_emergency_access(actor=user, person=person, reason="kort")
    grant = grant_emergency_access(
        actor=user, person=person, reason="Polisen begär hjälp med ett barn i natt"
    )
    access = person_access(user, person)
    assert access.allowed and access.is_emergency
    assert access.reason.startswith("Polisen")
    grant.expires_at = timezone.now() - timedelta(seconds=1)
    grant.save()
    assert not sees_person(user, person)


def test_emergency_access_only_for_roles_that_act_on_cases(city):
    person = make_person(city)
    for username in ["controller", "revisor", "utforare.hemtjanst", "admin"]:
        with pytest.raises(NotPermitted):
            grant_emergency_access(
                actor=city.users[username], person=person, reason="Vill bara titta på personen"
            )


def test_emergency_access_opens_cases_only_in_the_users_areas(city, case):
    # socialjour works in individual and family care: an elderly-care case stays closed.
    grant_emergency_access(
        actor=city.users["socialjour"], person=case.person, reason="Akut situation under natten"
    )
    assert sees_person(city.users["socialjour"], case.person)
    assert not sees_case(city.users["socialjour"], case)


def test_provider_staff_see_clients_only_while_an_order_is_active(city, case, today):
    actor = city.users["handlaggare.ao"]
    staff = city.users["utforare.hemtjanst"]
    assert not sees_person(staff, case.person)
    case = services.complete_step(actor=actor, case=case, step="intake")
    case = services.complete_step(actor=actor, case=case, step="investigation")
    services.record_decision(
        actor=actor,
        case=case,
        items=[{"description": "Hemtjänst", "outcome": "granted"}],
        period_start=today,
        period_end=None,
        motivation="Behovet är styrkt i utredningen.",
    )
    order = services.send_order(
        actor=actor, intervention=case.interventions.get(), provider=city.providers["hemtjanst_kommunal"]
    )
    assert sees_person(staff, case.person)
    assert not sees_case(staff, case)  # the authority's case file stays with the authority
    order.status = "ended"
    order.save()
    assert not sees_person(staff, case.person)


def test_expired_assignment_gives_nothing(city, case, today):
    user = city.users["handlaggare.ao"]
    user.assignments.update(valid_to=today - timedelta(days=1))
    user = type(user).objects.get(pk=user.pk)
    assert not sees_case(user, case)
    assert not sees_person(user, case.person)
