"""The staff fee page: declarations, the price of granted services, fee decisions, invoices; access."""

from __future__ import annotations

from datetime import date

import pytest

from sociala.audit.models import AuditEvent
from sociala.fees.models import ClientInvoice, FeeDecision, IncomeDeclaration
from sociala.fees.services import issue_invoices

from .test_pricing import CASEWORKER, _grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def granted(city, greta):
    _grant(
        city,
        greta,
        "home_care_application",
        [{"intervention_kind": "home_care", "description": "Hemtjänst", "scope_amount": "32"}],
        date(2026, 6, 1),
    )
    return greta


@pytest.fixture
def greta(city):
    from sociala.tests.factories import make_person

    return make_person(city, number="194401077674", first_name="Greta", last_name="Holm")


def test_the_caseworker_registers_a_declaration_and_decides_the_fee_on_the_page(client, city, granted):
    client.force_login(city.users[CASEWORKER])
    url = f"/fees/persons/{granted.pk}/"
    page = client.get(url).content.decode()
    assert "Hemtjänst" in page
    assert "14\u202f400\u00a0kr" in page
    bad = client.post(
        f"{url}declarations/",
        {"declaration-household": "", "declaration-monthly_net_income": "-5", "declaration-changed_on": ""},
    )
    assert bad.status_code == 200
    assert not IncomeDeclaration.objects.exists()
    response = client.post(
        f"{url}declarations/",
        {
            "declaration-household": "single",
            "declaration-monthly_net_income": "15000",
            "declaration-housing_cost": "6000",
            "declaration-changed_on": "2026-10-15",
        },
    )
    assert response.status_code == 302
    response = client.post(f"{url}decisions/", {"decision-changed_on": "2026-10-15"})
    assert response.status_code == 302
    decision = FeeDecision.objects.get()
    assert (decision.valid_from, decision.fee) == (date(2026, 11, 1), 1_704)
    issue_invoices(actor=city.users[CASEWORKER], month=date(2026, 11, 1), person=granted)
    invoice = ClientInvoice.objects.get()
    page = client.get(url).content.decode()
    assert decision.reference in page
    assert "1\u202f704\u00a0kr" in page
    assert invoice.ocr_reference in page
    pdf = client.get(f"/fees/invoices/{invoice.pk}/invoice.pdf")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert AuditEvent.objects.filter(action="view_fee_decisions", person_id=granted.pk).exists()


def test_the_fee_page_answers_in_a_bounded_number_of_queries(
    client, city, granted, django_assert_max_num_queries
):
    client.force_login(city.users[CASEWORKER])
    client.get(f"/fees/persons/{granted.pk}/")
    with django_assert_max_num_queries(35):
        assert client.get(f"/fees/persons/{granted.pk}/").status_code == 200


@pytest.mark.parametrize("username", ["handlaggare.ifo", "utforare.hemtjanst", "revisor"])
def test_users_without_a_care_case_of_the_person_get_404_and_change_nothing(client, city, granted, username):
    client.force_login(city.users[username])
    url = f"/fees/persons/{granted.pk}/"
    assert client.get(url).status_code == 404
    response = client.post(
        f"{url}declarations/",
        {
            "declaration-household": "single",
            "declaration-monthly_net_income": "15000",
            "declaration-housing_cost": "6000",
            "declaration-changed_on": "2026-10-15",
        },
    )
    assert response.status_code == 404
    assert not IncomeDeclaration.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, granted):
    response = client.get(f"/fees/persons/{granted.pk}/")
    assert response.status_code == 302
    assert "/login" in response["Location"] or "/accounts/" in response["Location"]
