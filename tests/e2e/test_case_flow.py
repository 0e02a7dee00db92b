"""The caseworker's whole path: log in, find a person, open a case, write and sign a journal entry,
make a decision, open the letter. Every page is checked with axe-core."""

import pytest
from django.utils import timezone

from tests.e2e.helpers import axe, login

pytestmark = pytest.mark.e2e


@pytest.fixture
def case_ready_for_decision(demo_city):
    from sociala.cases import services
    from sociala.cases.models import CaseType
    from sociala.tests.factories import make_person

    person = make_person(demo_city, first_name="Ylva", last_name="Åkesson")
    actor = demo_city.users["handlaggare.ifo"]
    case = services.open_case(
        actor=actor,
        person=person,
        case_type=CaseType.objects.get(code="income_support_application"),
        received_on=timezone.localdate(),
        sought="Försörjningsstöd för december",
    )
    services.complete_step(actor=actor, case=case, step="intake")
    services.complete_step(actor=actor, case=case, step="investigation")
    return case


def test_find_person_write_journal_decide_and_open_the_letter(page, case_ready_for_decision):
    case = case_ready_for_decision
    login(page, "handlaggare.ifo")
    axe(page)

    # Find the person: results come as you type.
    page.goto("/persons/")
    axe(page)
    page.fill("#id_q", "ylva åk")
    page.get_by_role("link", name="Åkesson, Ylva").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Ylva Åkesson"
    axe(page)

    # Open the case: the diagram marks the current step.
    page.get_by_role("link", name=case.reference).first.click()
    page.wait_for_selector(".process__diagram .current-step")
    assert page.locator('[data-element-id="decision"].current-step').count() == 1
    axe(page)

    # Write a journal entry; the draft saves itself, then sign it.
    page.get_by_role("link", name="Ny journalanteckning").first.click()
    axe(page)
    page.select_option("#id_category", "contact")
    page.fill("#id_text", "Telefonsamtal med Ylva om ansökan för december.")
    page.wait_for_selector("text=Sparat")
    page.get_by_role("button", name="Signera").click()
    page.wait_for_load_state("networkidle")
    assert (
        page.locator(".journal__entry", has_text="Telefonsamtal med Ylva").locator("text=Signerad").count()
        == 1
    )

    # Make the decision: a missing motivation is an error first.
    page.get_by_role("link", name="Fatta beslut").first.click()
    axe(page)
    page.fill("#id_items-0-amount", "8270")
    page.get_by_role("button", name="Fatta beslut och skapa beslutsbrev").click()
    assert page.locator(".error-list").is_visible()
    axe(page)
    page.fill("#id_motivation", "Du saknar inkomster i december och har rätt till försörjningsstöd.")
    page.get_by_role("button", name="Fatta beslut och skapa beslutsbrev").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("text=Beslutsbrev (PDF)").count() >= 1
    axe(page)

    # Open the letter.
    link = page.get_by_role("link", name="Beslutsbrev (PDF)").first
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"


def test_phone_width_start_and_person_pages(page, case_ready_for_decision):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "handlaggare.ifo")
    axe(page)
    page.goto(f"/persons/{case_ready_for_decision.person_id}/")
    axe(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 400, f"page scrolls sideways on a phone ({width}px)"
