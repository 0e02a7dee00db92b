"""Search by name looks among the persons of the user's districts and those the user reaches
directly (own cases, emergency access, provider orders), in Swedish order; a person seen only in
another way is found by number (decision 0031). Never anything outside the policy."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sociala.access.models import EmergencyAccess
from sociala.access.policy import restrict_persons
from sociala.cases import services
from sociala.cases.models import CaseType
from sociala.people.choices import ProtectionLevel
from sociala.people.models import Person
from sociala.people.selectors import search_persons
from sociala.tests.factories import make_person

pytestmark = pytest.mark.django_db


def names(user, query) -> list[str]:
    return [p.full_name for p in search_persons(user, query, limit=50)]


def open_income_case(city, person, caseworker, assigned_to=None):
    return services.open_case(
        actor=caseworker,
        person=person,
        case_type=CaseType.objects.get(code="income_support_application"),
        received_on=timezone.localdate(),
        sought="Försörjningsstöd",
        assigned_to=assigned_to,
    )


def test_persons_of_the_district_in_swedish_order_with_every_word_a_prefix(city):
    user = city.users["handlaggare.ifo"]
    for first, last in [
        ("Örjan", "Zetterlund"),
        ("Åke", "Zetterlund"),
        ("Anna", "Zetterlund"),
        ("Zlatan", "Ek"),
    ]:
        make_person(city, first_name=first, last_name=last)
    make_person(city, district="Bromma", first_name="Zoe", last_name="Zetterlund")
    assert names(user, "zet") == ["Anna Zetterlund", "Åke Zetterlund", "Örjan Zetterlund"]
    # A first name matches too, sorted by last name: Ek before Zetterlund.
    assert names(user, "z")[:2] == ["Zlatan Ek", "Anna Zetterlund"]
    assert names(user, "zetter å") == ["Åke Zetterlund"]
    assert names(user, "å zetter") == ["Åke Zetterlund"]


def test_a_person_who_moved_is_found_by_name_by_the_assignee_and_by_number_in_the_unit(city):
    caseworker, manager = city.users["handlaggare.ifo"], city.users["chef.ifo"]
    person = make_person(city, first_name="Flyttad", last_name="Qvist")
    open_income_case(city, person, caseworker)
    Person.objects.filter(pk=person.pk).update(district=city.districts["Bromma"])
    # The caseworker's own case: found by name.
    assert names(caseworker, "qvist") == ["Flyttad Qvist"]
    # The unit manager sees the case, so the person: found by number, not among the names of the district.
    assert restrict_persons(Person.objects.filter(pk=person.pk), manager).exists()
    assert names(manager, "qvist") == []
    assert [p.pk for p in search_persons(manager, person.formatted_number)] == [person.pk]


def test_protected_identity_is_found_by_name_only_through_own_case_or_emergency_access(city):
    caseworker, manager = city.users["handlaggare.ifo"], city.users["chef.ifo"]
    person = make_person(
        city, first_name="Skyddad", last_name="Qvarn", protection_level=ProtectionLevel.PROTECTED_REGISTRATION
    )
    assert names(caseworker, "qvarn") == []
    grant = EmergencyAccess.objects.create(
        user=caseworker,
        person=person,
        reason="Besök i receptionen",
        granted_at=timezone.now(),
        expires_at=timezone.now() + timedelta(hours=1),
    )
    assert names(caseworker, "qvarn") == ["Skyddad Qvarn"]
    open_income_case(city, person, caseworker)
    grant.delete()
    assert names(caseworker, "qvarn") == ["Skyddad Qvarn"]
    assert names(manager, "qvarn") == []


def test_the_whole_policy_is_applied_to_what_is_found(city):
    outside = city.users["handlaggare.ifo.bromma"]
    make_person(city, first_name="Rinkeby", last_name="Rask")
    assert names(outside, "rask") == []
    assert names(city.users["admin"], "rask") == []


def test_limit_and_no_limit(city):
    user = city.users["handlaggare.ifo"]
    for i in range(5):
        make_person(city, first_name=f"Nummer{i}", last_name="Xylander")
    assert len(search_persons(user, "xyl", limit=3)) == 3
    assert len(search_persons(user, "xyl", limit=None)) == 5
