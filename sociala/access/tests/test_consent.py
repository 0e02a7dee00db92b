"""Consent (samtycke) records and the cross-area visibility they give; the person page's explanation."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse

from sociala.access.models import Consent, ConsentForm, ConsentScope
from sociala.access.policy import (
    can_write_case,
    person_access,
    restrict_cases,
    restrict_persons,
    visibility_explanation,
)
from sociala.access.services import record_consent, withdraw_consent
from sociala.audit.models import AuditEvent
from sociala.cases import services
from sociala.cases.models import Case, CaseType
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.people.choices import ProtectionLevel
from sociala.people.models import Person
from sociala.tests.factories import make_person


def sees_case(user, case) -> bool:
    return restrict_cases(Case.objects.filter(pk=case.pk), user).exists()


def sees_person(user, person) -> bool:
    listed = restrict_persons(Person.objects.filter(pk=person.pk), user).exists()
    assert listed == person_access(user, person).allowed
    return listed


def open_case(city, person, username, code):
    return services.open_case(
        actor=city.users[username],
        person=person,
        case_type=CaseType.objects.get(code=code),
        received_on=person.created_at.date(),
        sought="Ansökan",
    )


@pytest.fixture
def person(city):
    return make_person(city, first_name="Elsa", last_name="Ström")


@pytest.fixture
def elderly_case(city, person):
    return open_case(city, person, "handlaggare.ao", "home_care_application")


def consent(
    city, person, today, *, from_area="elderly", to_area="individual_family", by="handlaggare.ao", **kwargs
):
    return record_consent(
        actor=city.users[by],
        person=person,
        scope=kwargs.pop("scope", ConsentScope.BETWEEN_AREAS),
        from_area=from_area,
        to_area=to_area,
        form=kwargs.pop("form", ConsentForm.WRITTEN),
        valid_from=kwargs.pop("valid_from", today),
        **kwargs,
    )


def test_without_consent_the_other_areas_case_is_hidden(city, elderly_case):
    for username in ["handlaggare.ifo", "handlaggare.barn", "chef.ifo", "handlaggare.lss"]:
        assert not sees_case(city.users[username], elderly_case)


def test_consent_opens_the_area_a_cases_to_area_b_of_the_same_district(city, person, elderly_case, today):
    consent(city, person, today)
    for username in ["handlaggare.ifo", "handlaggare.barn", "chef.ifo"]:
        assert sees_case(city.users[username], elderly_case), username
        assert sees_person(city.users[username], person)
    assert not sees_case(city.users["handlaggare.lss"], elderly_case)  # disability: not covered
    assert not sees_case(city.users["handlaggare.ifo.bromma"], elderly_case)  # another district


def test_consent_does_not_cross_districts(city, person, today):
    bromma_person = make_person(city, district="Bromma")
    Case.objects.filter(pk=open_case(city, person, "handlaggare.ao", "home_care_application").pk).update(
        person=bromma_person, district=city.districts["Bromma"], unit=city.unit("Bromma", "elderly")
    )
    bromma_case = bromma_person.cases.get()
    ifo_case = open_case(city, bromma_person, "handlaggare.ifo.bromma", "income_support_application")
    consent(city, bromma_person, today, by="handlaggare.ifo.bromma")
    assert sees_case(city.users["handlaggare.ifo.bromma"], bromma_case)
    assert not sees_case(city.users["handlaggare.ifo"], bromma_case)
    assert not sees_case(city.users["handlaggare.ifo"], ifo_case)


def test_consent_lets_read_not_write(city, person, elderly_case, today):
    consent(city, person, today)
    user = city.users["handlaggare.ifo"]
    assert sees_case(user, elderly_case)
    assert not can_write_case(user, elderly_case)
    with pytest.raises(NotPermitted):
        services.complete_step(actor=user, case=elderly_case, step="intake")
    assert can_write_case(city.users["handlaggare.ao"], elderly_case)


def test_consent_in_one_direction_only(city, person, today):
    ifo_case = open_case(city, person, "handlaggare.ifo", "income_support_application")
    consent(city, person, today)  # elderly → individual and family care
    assert not sees_case(city.users["handlaggare.ao"], ifo_case)


def test_withdrawal_ends_visibility_from_its_day(city, person, elderly_case, today):
    given = consent(city, person, today - timedelta(days=10), valid_from=today - timedelta(days=10))
    user = city.users["handlaggare.ifo"]
    assert sees_case(user, elderly_case)
    withdraw_consent(
        actor=city.users["handlaggare.ifo"], consent=given, withdrawn_on=today, form=ConsentForm.ORAL
    )
    assert not sees_case(user, elderly_case)
    given.refresh_from_db()
    assert given.withdrawn_by == user and given.withdrawal_form == "oral"
    assert not given.is_valid_on(today) and given.is_valid_on(today - timedelta(days=1))
    with pytest.raises(InvalidInput):
        withdraw_consent(actor=user, consent=given, withdrawn_on=today, form=ConsentForm.ORAL)
    assert [e.action for e in AuditEvent.objects.filter(object_type="consent").order_by("seq")] == [
        "record_consent",
        "withdraw_consent",
    ]


def test_a_consents_period_is_respected(city, person, elderly_case, today):
    user = city.users["handlaggare.ifo"]
    consent(city, person, today, valid_from=today + timedelta(days=1))
    assert not sees_case(user, elderly_case)
    Consent.objects.update(valid_from=today - timedelta(days=30), valid_to=today - timedelta(days=1))
    assert not sees_case(user, elderly_case)
    Consent.objects.update(valid_to=today)
    assert sees_case(user, elderly_case)


def test_an_outside_party_consent_opens_nothing_inside(city, person, elderly_case, today):
    consent(
        city, person, today, scope=ConsentScope.OUTSIDE_PARTY, to_area="", outside_party="Vårdcentralen Kista"
    )
    assert Consent.objects.get().outside_party == "Vårdcentralen Kista"
    assert not sees_case(city.users["handlaggare.ifo"], elderly_case)


def test_a_protected_person_is_seen_through_the_consented_case_but_not_their_address(city, today):
    person = make_person(city, protection_level=ProtectionLevel.CONFIDENTIALITY_MARKED)
    case = open_case(city, person, "handlaggare.ao", "home_care_application")
    person.protection_level = ProtectionLevel.PROTECTED_REGISTRATION
    person.save()
    user = city.users["handlaggare.ifo"]
    assert not sees_person(user, person)
    consent(city, person, today)
    assert sees_case(user, case) and sees_person(user, person)
    access = person_access(user, person)
    assert access.allowed and not access.is_emergency and not access.shows_address


@pytest.mark.parametrize(
    ("username", "error"),
    [
        ("handlaggare.lss", InvalidInput),  # sees the person (district) but works in neither area
        ("handlaggare.ifo.bromma", NotPermitted),  # does not see the person
        ("revisor", NotPermitted),
        ("utforare.hemtjanst", NotPermitted),
    ],
)
def test_consent_is_recorded_by_someone_working_in_one_of_its_areas(
    city, person, elderly_case, today, username, error
):
    with pytest.raises(error):
        consent(city, person, today, by=username)
    assert not Consent.objects.exists()
    assert not AuditEvent.objects.filter(action="record_consent").exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"to_area": "elderly"}, "to_area"),
        ({"to_area": ""}, "to_area"),
        ({"scope": ConsentScope.OUTSIDE_PARTY, "outside_party": " "}, "outside_party"),
        ({"form": "telepathy"}, "form"),
        ({"given_by": "guardian"}, "given_by_name"),
    ],
)
def test_consent_is_complete(city, person, elderly_case, today, fields, field):
    with pytest.raises(InvalidInput) as error:
        consent(city, person, today, **fields)
    assert field in error.value.errors
    assert not Consent.objects.exists()


def test_the_explanation_says_why(city, person, elderly_case, today):
    user = city.users["handlaggare.ifo"]
    explained = visibility_explanation(user, person)
    assert explained.allowed
    assert explained.shown == [
        "Personen bor i Rinkeby-Kista stadsdelsnämnd där du arbetar, så du kan se personen och registrera ett nytt ärende."
    ]
    assert explained.hidden == [
        "Ärenden i andra enheter och verksamhetsområden visas inte: sekretess gäller mellan verksamhetsgrenar "
        "(OSL 8 kap. 2 §) om personen inte har samtyckt (OSL 12 kap. 2 §)."
    ]
    given = consent(city, person, today)
    explained = visibility_explanation(user, person)
    assert explained.shown[-1] == (
        f"Samtycke (skriftligt, {today:%Y-%m-%d} – tills vidare): ärenden inom äldreomsorg visas för individ- och "
        "familjeomsorg i samma stadsdel. Du kan läsa dem men inte skriva i dem."
    )
    withdraw_consent(actor=user, consent=given, withdrawn_on=today, form=ConsentForm.WRITTEN)
    explained = visibility_explanation(user, person)
    assert explained.hidden[0] == (
        f"Samtycket om äldreomsorg till individ- och familjeomsorg återkallades {today:%Y-%m-%d}; uppgifterna får inte längre lämnas."
    )
    own = visibility_explanation(city.users["handlaggare.ao"], person)
    assert own.shown[0] == "1 ärenden i din enhet visas (äldreomsorg)."
    consent(
        city, person, today, scope=ConsentScope.OUTSIDE_PARTY, to_area="", outside_party="Vårdcentralen Kista"
    )
    own = visibility_explanation(city.users["handlaggare.ao"], person)
    assert own.shown[-1] == (
        f"Samtycke (skriftligt, {today:%Y-%m-%d} – tills vidare): uppgifter inom äldreomsorg får lämnas till Vårdcentralen Kista."
    )
    assert visibility_explanation(city.users["revisor"], person).hidden == [
        "Du har inte behörighet till personen."
    ]


def test_the_explanation_of_a_protected_address(city, today):
    person = make_person(city)
    open_case(city, person, "handlaggare.ao", "home_care_application")
    person.protection_level = ProtectionLevel.PROTECTED_REGISTRATION
    person.save()
    explained = visibility_explanation(city.users["handlaggare.ao"], person)
    assert explained.hidden[-1] == "Adressen visas inte: skyddad folkbokföring (OSL 21 kap. 3 a §)."


def test_the_person_page_panel_renders_the_reasons(city, person, elderly_case, today, wired):
    consent(city, person, today)
    html = Template("{% load access_tags %}{% visibility_panel person %}").render(
        Context({"user": city.users["handlaggare.ifo"], "person": person})
    )
    assert "Varför du ser det här" in html
    assert "ärenden inom äldreomsorg visas för individ- och familjeomsorg" in html
    assert reverse("access:person_consents", args=[person.pk]) in html


def test_the_consent_page_records_and_withdraws(city, wired, person, elderly_case, today):
    wired.force_login(city.users["handlaggare.ao"])
    url = reverse("access:person_consents", args=[person.pk])
    page = wired.get(url)
    assert page.status_code == 200 and "Inga samtycken." in page.content.decode()
    assert AuditEvent.objects.filter(action="view_consents", person_id=person.pk).count() == 1
    bad = wired.post(
        url,
        {
            "scope": "between_areas",
            "from_area": "elderly",
            "to_area": "elderly",
            "form": "written",
            "given_by": "person",
            "valid_from": today,
        },
    )
    assert bad.status_code == 422 and not Consent.objects.exists()
    response = wired.post(
        url,
        {
            "scope": "between_areas",
            "from_area": "elderly",
            "to_area": "individual_family",
            "form": "digital",
            "given_by": "person",
            "valid_from": today,
            "purpose": "Samordning av hemtjänst och försörjningsstöd",
        },
    )
    assert response.status_code == 302
    given = Consent.objects.get()
    assert (given.form, given.recorded_by) == ("digital", city.users["handlaggare.ao"])
    response = wired.post(
        reverse("access:consent_withdraw", args=[given.pk]),
        {"withdraw-withdrawn_on": today, "withdraw-form": "oral"},
    )
    assert response.status_code == 302
    given.refresh_from_db()
    assert given.withdrawn_on == today
    wired.force_login(city.users["revisor"])
    assert wired.get(url).status_code == 404
