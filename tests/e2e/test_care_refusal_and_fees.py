"""Äldreomsorg in the browser: an application for residential care refused after communication (the
reply deadline on the start page blocks the decision until the reply), the staff fee page, and the
citizen's fee pages on a phone. axe-core on every page."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.e2e.helpers import axe, citizen_login, login

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def greta(demo_city, settings):
    from sociala.tests.factories import make_person

    settings.SOCIALA_EID = {}
    return make_person(demo_city, number="194401077674", first_name="Greta", last_name="Holm")


def tick(page, label: str) -> None:
    page.locator(f"label:text-is('{label}')").click()


def _no_sideways_scroll(page, width: int) -> None:
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width + 10, f"the page scrolls sideways ({scroll}px)"


def test_residential_care_is_refused_after_communication(page, greta):
    from sociala.care.models import Communication
    from sociala.cases.models import Case

    login(page, "handlaggare.ao")
    page.goto(f"/persons/{greta.pk}/cases/new/")
    page.select_option("#id_case_type", label="Ansökan om särskilt boende")
    page.fill("#id_sought", "Greta ansöker om plats i särskilt boende.")
    page.get_by_role("button", name="Registrera").click()
    page.wait_for_load_state("networkidle")
    case = Case.objects.get(person=greta)
    page.get_by_role("button", name="Markera steget som klart").click()
    page.wait_for_load_state("networkidle")

    page.goto(f"/care/cases/{case.pk}/investigation/")
    page.get_by_text("10. Känsla av trygghet").click()
    page.fill("#id_sense_of_security-needs", "Känner sig otrygg på natten.")
    page.fill("#id_sense_of_security-goals", "Känna sig trygg dygnet runt.")
    page.locator("#area-sense_of_security-status").get_by_text("Sparat").wait_for()
    tick(page, "Avslag eller delvis avslag övervägs (kommunicering krävs)")
    page.get_by_role("button", name="Utredningen är klar").click()
    page.wait_for_load_state("networkidle")

    # Communication: the letter and the reply deadline.
    axe(page)
    page.get_by_role("link", name="Kommunicering", exact=True).click()
    page.wait_for_load_state("networkidle")
    axe(page)
    page.get_by_role("button", name="Skapa brevet och bevaka svaret").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".error-list").is_visible()
    axe(page)
    page.fill(
        "#id_considered_refusal",
        "Behovet av trygghet på natten kan mötas med trygghetslarm och nattpatrull i hemmet.",
    )
    page.get_by_role("button", name="Skapa brevet och bevaka svaret").click()
    page.wait_for_load_state("networkidle")
    communication = Communication.objects.get()
    assert page.get_by_text(communication.reply_due_on.isoformat()).first.is_visible()
    assert page.get_by_role("button", name="Kommuniceringen är klar").count() == 0
    axe(page)
    page.set_viewport_size(PHONE)
    _no_sideways_scroll(page, PHONE["width"])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    assert page.get_by_role("link", name="Svar på kommunicering – Greta Holm").is_visible()
    axe(page)

    # The reply comes; the case goes on to the decision, filled as a refusal.
    page.goto(f"/care/cases/{case.pk}/communication/")
    page.fill("#id_reply", "Jag vill hellre flytta.")
    page.get_by_role("button", name="Registrera svaret").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Kommuniceringen är klar").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Beslut från utredning").click()
    page.wait_for_load_state("networkidle")
    assert page.input_value("#id_items-0-intervention_kind") == "residential_care"
    axe(page)
    page.fill("#id_items-0-motivation", "Behovet kan mötas i hemmet.")
    page.fill("#id_motivation", "Behovet av trygghet kan mötas i hemmet med trygghetslarm och nattpatrull.")
    page.get_by_role("button", name="Fatta beslut och skapa beslutsbrev").click()
    page.wait_for_load_state("networkidle")
    case.refresh_from_db()
    assert case.decisions.get().outcome == "refused"
    assert page.get_by_text("Avslag").first.is_visible()
    axe(page)


def test_fee_pages_for_staff_and_the_citizen(page, greta):
    from sociala.accounts.models import User
    from sociala.fees import services as fees
    from sociala.fees.models import ClientInvoice
    from sociala.fees.tests.test_pricing import _grant
    from sociala.integrations.eid.client import clear_caches

    caseworker = User.objects.get(username="handlaggare.ao")
    _grant(
        type("City", (), {"users": {"handlaggare.ao": caseworker}})(),
        greta,
        "home_care_application",
        [{"intervention_kind": "home_care", "description": "Hemtjänst", "scope_amount": "32"}],
        date(2026, 6, 1),
    )
    login(page, "handlaggare.ao")
    page.goto(f"/fees/persons/{greta.pk}/")
    axe(page)
    tick(page, "Ensamstående")
    page.fill("#id_declaration-monthly_net_income", "15000")
    page.fill("#id_declaration-housing_cost", "6000")
    page.fill("#id_declaration-changed_on", "2026-10-15")
    page.get_by_role("button", name="Registrera inkomstuppgiften").click()
    page.wait_for_load_state("networkidle")
    axe(page)
    page.fill("#id_decision-changed_on", "2026-10-15")
    page.get_by_role("button", name="Besluta avgift").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text(re.compile(r"1\s704\s*kr per månad från 2026-11")).first.is_visible()
    axe(page)
    fees.issue_invoices(actor=caseworker, month=date(2026, 11, 1), person=greta)
    invoice = ClientInvoice.objects.get()
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(re.compile(r"/login/"))

    # The citizen on a phone.
    clear_caches()
    page.set_viewport_size(PHONE)
    page.goto("/portal/")
    citizen_login(page, "Holm", "Greta Holm")
    page.goto("/portal/fees/")
    assert page.get_by_text(invoice.ocr_reference, exact=False).is_visible()
    axe(page)
    _no_sideways_scroll(page, PHONE["width"])
    page.get_by_role("link", name="Lämna inkomstuppgift").click()
    page.wait_for_load_state("networkidle")
    axe(page)
    _no_sideways_scroll(page, PHONE["width"])
    tick(page, "Jag bor ensam")
    page.fill("#id_monthly_net_income", "14000")
    page.fill("#id_housing_cost", "6000")
    page.fill("#id_changed_on", "2026-11-20")
    page.get_by_role("button", name="Skicka uppgifterna").click()
    page.wait_for_url("**/portal/fees/")
    assert page.get_by_text("Tack! Vi har fått dina uppgifter.", exact=False).is_visible()
    axe(page)


def test_the_administrator_approves_a_provider(page, demo_city):
    from sociala.care.models import ProviderApproval

    login(page, "admin")
    page.set_viewport_size(PHONE)
    page.goto("/care/approvals/")
    axe(page)
    _no_sideways_scroll(page, PHONE["width"])
    page.select_option("#id_provider", label="Stadens hemtjänst Järva")
    page.select_option("#id_intervention_kind", "day_activity")
    page.get_by_role("button", name="Godkänn utföraren").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Utföraren är godkänd.").is_visible()
    axe(page)
    approval = ProviderApproval.objects.get(intervention_kind="day_activity")
    page.get_by_role("button", name=re.compile("Avsluta Stadens hemtjänst Järva")).click()
    page.wait_for_load_state("networkidle")
    approval.refresh_from_db()
    assert approval.valid_to is not None
    axe(page)
