"""The pages of the city-scale benchmark cost a fixed number of queries, however many rows they show:
the case with many journal entries, signing a journal entry, the start page with many open cases,
person search by number and by name, and the API's person detail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sociala.api.tests.conftest import bearer
from sociala.cases import services
from sociala.cases.models import CaseType
from sociala.tests.factories import make_person

CASEWORKER = "handlaggare.ifo"


def _queries(client, url, method="get", data=None, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {}, **headers)
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(captured.captured_queries)


def _open(city, person, today):
    return services.open_case(
        actor=city.users[CASEWORKER],
        person=person,
        case_type=CaseType.objects.get(code="income_support_application"),
        received_on=today,
        sought="Försörjningsstöd",
    )


def _journal(city, case, count):
    actor = city.users[CASEWORKER]
    for n in range(count):
        entry = services.save_journal_draft(actor=actor, case=case, category="contact", text=f"Samtal {n}")
        services.sign_journal_entry(actor=actor, entry=entry)


@pytest.fixture
def signed_in(client, city):
    client.force_login(city.users[CASEWORKER])
    client.get(reverse("web:start"))  # the session's first write is not the pages' cost
    return client


def test_case_page_costs_the_same_with_2_and_25_journal_entries(signed_in, city, today):
    few, many = _open(city, make_person(city), today), _open(city, make_person(city), today)
    _journal(city, few, 2)
    _journal(city, many, 25)
    small = _queries(signed_in, reverse("web:case_detail", args=[few.pk]))
    large = _queries(signed_in, reverse("web:case_detail", args=[many.pk]))
    assert large == small
    assert small <= 30


def test_signing_a_journal_entry_costs_the_same_in_a_long_case(signed_in, city, today):
    few, many = _open(city, make_person(city), today), _open(city, make_person(city), today)
    _journal(city, many, 25)
    data = {"category": "contact", "title": "Samtal", "text": "Samtal om ansökan.", "occurred_on": today}
    data["action"] = "sign"
    small = _queries(signed_in, reverse("web:journal_save", args=[few.pk]), "post", data)
    large = _queries(signed_in, reverse("web:journal_save", args=[many.pk]), "post", data)
    assert large == small
    assert small <= 34
    assert many.journal_entries.count() == 26


def test_start_page_costs_the_same_with_3_and_20_open_cases(signed_in, city, today):
    for _ in range(3):
        _open(city, make_person(city), today)
    small = _queries(signed_in, reverse("web:start"))
    for _ in range(17):
        _open(city, make_person(city), today)
    large = _queries(signed_in, reverse("web:start"))
    assert large == small
    assert small <= 20


def test_person_search_costs_the_same_for_few_and_many_hits(signed_in, city, today):
    url = reverse("web:person_search")
    for n in range(2):
        _open(city, make_person(city, last_name=f"Skalberg{n}"), today)
    person = make_person(city, last_name="Nummersson")
    _open(city, person, today)
    by_number = _queries(signed_in, url, q=person.formatted_number, HTTP_HX_REQUEST="true")
    small = _queries(signed_in, url, q="skal", HTTP_HX_REQUEST="true")
    for n in range(2, 20):
        _open(city, make_person(city, last_name=f"Skalberg{n}"), today)
    large = _queries(signed_in, url, q="skal", HTTP_HX_REQUEST="true")
    assert large == small
    assert small <= 12
    assert by_number <= 12


def test_api_person_detail_costs_the_same_with_1_and_8_cases(client, city, today):
    few, many = make_person(city), make_person(city)
    _open(city, few, today)
    for _ in range(8):
        _open(city, many, today)
    headers = bearer(city.users[CASEWORKER])
    client.get(f"/api/v1/persons/{few.pk}", **headers)  # the token's first use is recorded once
    small = _queries(client, f"/api/v1/persons/{few.pk}", **headers)
    large = _queries(client, f"/api/v1/persons/{many.pk}", **headers)
    assert large == small
    assert small <= 15
