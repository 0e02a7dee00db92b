"""Äldreomsorg end to end in the browser: an application for home care, the IBIC investigation, the
decision filled from it, the client's choice of provider, the provider's order and implementation plan on
a phone, a message back, and the follow-up on the caseworker's start page. axe-core on every page."""

from __future__ import annotations

import re

import pytest

from tests.e2e.helpers import axe, login

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def greta(demo_city):
    from sociala.care.demo import seed_provider_approvals
    from sociala.tests.factories import make_person

    seed_provider_approvals(actor=demo_city.users["admin"])
    return make_person(demo_city, first_name="Greta", last_name="Holm")


def tick(page, label: str) -> None:
    """Tick a checkbox or radio button by its label (FKUI draws the box on the label)."""
    page.locator(f"label:text-is('{label}')").click()


def sign_out(page):
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(re.compile(r"/login/"))


def test_home_care_from_application_to_the_providers_plan(page, greta):
    from sociala.care.models import ImplementationPlanVersion, ProviderMessage
    from sociala.cases.models import Case

    # The application.
    login(page, "handlaggare.ao")
    page.goto(f"/persons/{greta.pk}/cases/new/")
    page.select_option("#id_case_type", label="Ansökan om hemtjänst")
    page.fill("#id_sought", "Greta ansöker om hjälp med dusch, städning och inköp.")
    page.get_by_role("button", name="Registrera").click()
    page.wait_for_load_state("networkidle")
    case = Case.objects.get(person=greta)
    page.get_by_role("button", name="Markera steget som klart").click()
    page.wait_for_load_state("networkidle")

    # The IBIC investigation: a life area saves itself; ICF codes are found as you type.
    page.goto(f"/care/cases/{case.pk}/")
    axe(page)
    page.get_by_role("link", name="IBIC-utredning").first.click()
    page.wait_for_load_state("networkidle")
    axe(page)
    page.get_by_text("5. Personlig vård").click()
    page.fill("#id_self_care-needs", "Behöver hjälp att duscha två gånger i veckan.")
    page.fill("#id_self_care-resources", "Klär sig själv.")
    page.fill("#id_self_care-goals", "Känna sig ren och fräsch.")
    page.fill("#id_self_care-person_view", "Vill duscha på morgonen.")
    page.locator("#area-self_care-status").get_by_text("Sparat").wait_for()
    page.fill("#icf-q-self_care", "tvätta")
    page.locator("label[for='icf-r-self_care-d510']").click()
    page.locator("#area-self_care-status").get_by_text("Sparat").wait_for()
    page.wait_for_load_state("networkidle")
    axe(page)
    page.select_option("#id_intervention_kind", "home_care")
    page.fill("#id_description", "Hemtjänst: personlig omvårdnad och service")
    page.fill("#id_scope_amount", "32")
    page.fill("#id_goals", "Greta kan bo kvar hemma och känna sig trygg.")
    tick(page, "Personlig vård")
    page.get_by_role("button", name="Lägg till insatsen").click()
    page.wait_for_load_state("networkidle")
    page.fill("#id_practical_information", "Nyckel i nyckelgömma, kod 1234.")
    page.fill("#id_good_to_know", "Allergisk mot katt.")
    page.fill("#id_contacts-0-name", "Lena Holm")
    page.fill("#id_contacts-0-relation", "Dotter")
    page.fill("#id_contacts-0-phone", "070-123 45 67")
    page.get_by_role("button", name="Spara uppgifterna till beställningen").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("text=Uppgifterna till beställningen är sparade.").is_visible()
    axe(page)
    page.get_by_role("button", name="Utredningen är klar").click()
    page.wait_for_load_state("networkidle")

    # The decision is filled from the investigation.
    page.get_by_role("link", name="Beslut från utredning").click()
    page.wait_for_load_state("networkidle")
    assert page.input_value("#id_items-0-scope_amount") == "32"
    axe(page)
    page.fill("#id_motivation", "Utredningen visar att Greta behöver hjälp med personlig omvårdnad.")
    page.get_by_role("button", name="Fatta beslut och skapa beslutsbrev").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("text=32 timmar per månad").first.is_visible()
    axe(page)

    # The choice of provider: Greta does not want to choose and gets the default.
    page.get_by_role("link", name="Välj utförare och skicka beställning").click()
    page.wait_for_load_state("networkidle")
    axe(page)
    tick(page, "Ickevalsalternativ (kommunens utförare)")
    page.get_by_role("button", name="Registrera valet och skicka beställningen").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("text=Beställningen är skickad till Stadens hemtjänst Järva.").is_visible()
    axe(page)
    page.goto(f"/care/cases/{case.pk}/")
    page.get_by_role("button", name="Markera insatssteget som klart").click()
    page.wait_for_load_state("networkidle")
    sign_out(page)

    # The provider, on a phone: my assignments, the order, the plan written with Greta.
    page.set_viewport_size(PHONE)
    login(page, "utforare.hemtjanst")
    axe(page)
    page.goto("/care/assignments/")
    axe(page)
    page.get_by_role("link", name=re.compile("Greta Holm")).click()
    page.wait_for_load_state("networkidle")
    for text in [
        "Nyckel i nyckelgömma, kod 1234.",
        "Allergisk mot katt.",
        "Lena Holm",
        "32 timmar per månad",
    ]:
        assert page.get_by_text(text).first.is_visible(), text
    assert page.get_by_text("Vill duscha på morgonen.").count() == 0  # the investigation stays behind
    axe(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"] + 10
    page.get_by_role("link", name="Skriv genomförandeplan").click()
    page.wait_for_load_state("networkidle")
    assert page.input_value("#id_goals") == "Greta kan bo kvar hemma och känna sig trygg."
    axe(page)
    page.fill("#id_how", "Hjälp med dusch; Greta tvättar ansiktet själv.")
    page.fill("#id_schedule", "Tisdag och fredag kl. 8–9.")
    page.fill("#id_performed_by", "Kontaktmannen Ali, vikarie vid frånvaro.")
    page.fill("#id_client_wishes", "Kvinnlig personal vid dusch.")
    page.get_by_role("button", name="Spara planen").click()
    page.wait_for_load_state("networkidle")
    axe(page)
    tick(page, "På skärmen")
    tick(page, "Jag har tagit del av planen och godkänner den")
    page.get_by_role("button", name="Registrera underskriften").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("text=Signerad på skärmen av Greta Holm").is_visible()
    axe(page)
    assert ImplementationPlanVersion.objects.get().signature_method == "on_screen"
    page.get_by_role("link", name="Version 1").click()
    page.wait_for_load_state("networkidle")
    axe(page)

    # The provider's own journal, and a message back to the caseworker.
    page.goto("/care/assignments/")
    page.get_by_role("link", name=re.compile("Greta Holm")).click()
    page.get_by_role("link", name="Journal hos utföraren").click()
    page.wait_for_load_state("networkidle")
    page.fill("#id_text", "Duschade. Greta var glad.")
    page.get_by_role("button", name="Spara anteckningen").click()
    page.wait_for_load_state("networkidle")
    axe(page)
    page.get_by_role("link", name="Greta Holm").click()
    page.select_option("#id_kind", "changed_needs")
    page.fill("#id_text", "Greta behöver hjälp även på kvällen.")
    page.get_by_role("button", name="Skicka till handläggaren").click()
    page.wait_for_load_state("networkidle")
    assert ProviderMessage.objects.count() == 1
    axe(page)
    sign_out(page)

    # The caseworker: the follow-up is due on the start page; the message waits in Äldreomsorg och LSS.
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "handlaggare.ao")
    assert page.get_by_role("link", name="Uppföljning av insats – Greta Holm").is_visible()
    axe(page)
    page.goto("/care/")
    assert page.locator(".badge", has_text="Förändrade behov").is_visible()
    axe(page)
    page.get_by_role("link", name="Greta Holm").first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Greta behöver hjälp även på kvällen.").is_visible()
    axe(page)
    page.get_by_role("button", name="Markera som läst").click()
    page.wait_for_load_state("networkidle")
    axe(page)
    assert ProviderMessage.objects.get().read_at is not None
