"""The citizen's fee pages: the fee and its calculation, letters, invoices, the income declaration."""

from __future__ import annotations

from datetime import date

import pytest

from sociala.audit.models import AuditEvent
from sociala.fees import services as fees
from sociala.fees.models import ClientInvoice, FeeDecision, IncomeDeclaration
from sociala.fees.tests.test_pricing import CASEWORKER, _grant
from sociala.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def greta_with_fee(city):
    greta = make_person(city, number="194401077674", first_name="Greta", last_name="Holm")
    _grant(
        city,
        greta,
        "home_care_application",
        [{"intervention_kind": "home_care", "description": "Hemtjänst", "scope_amount": "32"}],
        date(2026, 6, 1),
    )
    actor = city.users[CASEWORKER]
    fees.record_income_declaration(
        actor=actor,
        person=greta,
        household="single",
        monthly_net_income=15_000,
        housing_cost=6_000,
        changed_on=date(2026, 10, 15),
    )
    fees.decide_fee_from_decisions(actor=actor, person=greta, changed_on=date(2026, 10, 15))
    fees.issue_invoices(actor=actor, month=date(2026, 11, 1), person=greta)
    return greta


def test_the_citizen_sees_the_fee_the_calculation_letters_and_invoices(citizen_browser, greta_with_fee):
    browser = citizen_browser(greta_with_fee)
    page = browser.get("/portal/fees/").content.decode()
    decision = FeeDecision.objects.get()
    invoice = ClientInvoice.objects.get()
    assert "Du betalar 1\u202f704\u00a0kr per månad sedan 2026-11-01." in page
    assert "Avgiftsunderlag" in page
    assert invoice.ocr_reference in page
    assert "Du kan överklaga beslutet" in page
    letter = browser.get(f"/portal/fees/decisions/{decision.pk}/letter/")
    assert (letter.status_code, letter["Content-Type"]) == (200, "application/pdf")
    pdf = browser.get(f"/portal/fees/invoices/{invoice.pk}/")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert AuditEvent.objects.filter(action="portal_view_fees", person_id=greta_with_fee.pk).count() == 1


def test_the_citizen_sends_an_income_declaration_and_the_fee_is_recalculated(citizen_browser, greta_with_fee):
    browser = citizen_browser(greta_with_fee)
    bad = browser.post("/portal/fees/declaration/", {"household": "", "monthly_net_income": "x"})
    assert bad.status_code == 200
    assert IncomeDeclaration.objects.count() == 1
    response = browser.post(
        "/portal/fees/declaration/",
        {
            "household": "single",
            "monthly_net_income": "14000",
            "housing_cost": "6000",
            "changed_on": "2026-11-20",
        },
    )
    assert response.status_code == 302
    declaration = IncomeDeclaration.objects.order_by("-pk").first()
    assert (declaration.source, declaration.monthly_net_income) == ("portal", 14_000)
    # From December: capacity 14 000 − 13 296 = 704.
    newest = FeeDecision.objects.order_by("-pk").first()
    assert (newest.valid_from, newest.fee, newest.reason) == (date(2026, 12, 1), 704, "declaration")
    event = AuditEvent.objects.get(action="create_income_declaration", object_id=declaration.pk)
    assert event.details["channel"] == "portal"


def test_another_citizen_sees_none_of_it(citizen_browser, city, greta_with_fee):
    other = make_person(city, first_name="Olle", last_name="Annan")
    browser = citizen_browser(other)
    decision = FeeDecision.objects.get()
    invoice = ClientInvoice.objects.get()
    assert browser.get(f"/portal/fees/decisions/{decision.pk}/letter/").status_code == 404
    assert browser.get(f"/portal/fees/invoices/{invoice.pk}/").status_code == 404
    assert browser.get("/portal/fees/declaration/").status_code == 404
    page = browser.get("/portal/fees/").content.decode()
    assert "Du har ingen avgift just nu." in page
    assert invoice.ocr_reference not in page


def test_a_visitor_who_is_not_signed_in_goes_to_the_login(client, greta_with_fee):
    response = client.get("/portal/fees/")
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/")
