"""The month's decision in the browser: the citizen applies in the portal (e-ID simulator), the caseworker
makes the budget, opens the queue and decides from the budget with one item beyond the norm partly
granted, and the citizen sees the decision, the calculation and the letter. Every page is checked with
axe-core."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from tests.e2e.conftest import VIEWPORT
from tests.e2e.helpers import axe, citizen_login, login

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parent / "artifacts" / "income_support_decision"


def kr(text: str) -> str:
    return text.replace(" ", "\u202f") + "\u00a0kr"


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def citizen(demo_city, settings):
    from sociala.tests.factories import make_person

    settings.SOCIALA_EID = {}
    return make_person(demo_city, first_name="Tove", last_name="Lindqvist")


def apply_in_the_portal(page) -> None:
    page.goto("/portal/")
    axe(page)
    citizen_login(page, "Lindqvist", "Tove Lindqvist")
    axe(page)
    page.locator(".portal-choices button").first.click()
    page.wait_for_url("**/household/#main")
    page.select_option("#id_occupation", "job_seeking")
    page.wait_for_selector("text=Sparat")
    axe(page)
    page.get_by_role("button", name="Fortsätt", exact=True).click()
    page.wait_for_url("**/costs/#main")
    page.select_option("#id_tenure", "rental")
    page.fill("#id_housing", "9 200")
    page.fill("#id_household_electricity", "450")
    axe(page)
    page.get_by_role("button", name="Fortsätt", exact=True).click()
    page.wait_for_url("**/incomes/#main")
    page.locator("label[for='id_has_assets_1']").click()
    axe(page)
    page.get_by_role("button", name="Fortsätt", exact=True).click()
    page.wait_for_url("**/changes/#main")
    page.locator("label[for='id_has_changes_1']").click()
    axe(page)
    page.get_by_role("button", name="Fortsätt", exact=True).click()
    page.wait_for_url("**/documents/#main")
    axe(page)
    page.get_by_role("button", name="Fortsätt", exact=True).click()
    page.wait_for_url("**/review/#main")
    axe(page)
    page.locator("label[for='id_declaration']").click()
    page.get_by_role("button", name="Skicka ansökan").click()
    page.wait_for_selector("text=Din ansökan är skickad.")
    axe(page)


def submit(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name).first.click()


def test_citizen_applies_caseworker_decides_from_the_budget_citizen_sees_decision_and_calculation(
    page, browser, live_server, citizen
):
    from sociala.integrations.eid.client import clear_caches
    from sociala.portal.models import IncomeSupportApplication

    clear_caches()
    page.set_viewport_size(PHONE)
    apply_in_the_portal(page)
    case = IncomeSupportApplication.objects.select_related("case").get(person=citizen).case
    month = timezone.localdate().strftime("%Y-%m")

    staff = browser.new_context(
        locale="sv-SE", timezone_id="Europe/Stockholm", viewport=VIEWPORT, base_url=live_server.url
    )
    staff.set_default_timeout(15_000)
    desk = staff.new_page()
    try:
        login(desk, "handlaggare.ifo")
        # The month's budget, entered from the application.
        desk.goto(f"/financial-assistance/cases/{case.pk}/budgets/")
        axe(desk)
        submit(desk, f"Fyll i en ny budget för {month}")
        axe(desk)
        desk.fill("#id_costs-housing_amount", "9200")
        desk.fill("#id_costs-household_electricity_amount", "450")
        submit(desk, "Spara och beräkna")
        desk.wait_for_selector("text=Budgeten är sparad och beräknad.")
        axe(desk)

        # Through intake and investigation (a part may be refused, so the person is heard first).
        desk.goto(f"/cases/{case.pk}/")
        axe(desk)
        submit(desk, "Markera steget som klart")
        desk.locator("label[for='id_refusal_intended']").click()
        submit(desk, "Markera steget som klart")
        submit(desk, "Markera steget som klart")
        desk.wait_for_selector("text=Steget är klart.")

        # The queue, and the decision from the budget with glasses partly granted.
        desk.goto(f"/financial-assistance/queue/?month={month}")
        axe(desk)
        with desk.expect_navigation():
            desk.get_by_role("link", name="Fatta beslut Tove Lindqvist").click()
        axe(desk)
        assert kr("14 870") in desk.locator("main").inner_text()
        desk.select_option("#id_items-0-kind", "glasses")
        desk.fill("#id_items-0-description", "Nya glasögon")
        desk.fill("#id_items-0-applied", "2500")
        desk.fill("#id_items-0-granted", "1500")
        desk.select_option("#id_items-0-outcome", "partly_granted")
        submit(desk, "Fatta beslut och skapa beslutsbrev")
        assert desk.locator(".error-list").is_visible()  # a partial grant needs a motivation
        axe(desk)
        desk.fill("#id_items-0-motivation", "Glasögon godtas upp till kostnaden för enkla glasögon.")
        submit(desk, "Fatta beslut och skapa beslutsbrev")
        desk.wait_for_selector("text=Beslutet är fattat och beslutsbrevet är skapat.")
        axe(desk)
        shot(desk, "case-after-decision")
    finally:
        staff.close()

    decision = case.decisions.get()
    assert decision.outcome == "partly_granted"
    assert [(i.outcome, i.amount) for i in decision.items.all()] == [
        ("granted", 14_870),
        ("partly_granted", 1_500),
    ]

    # The citizen sees the decision, the calculation and the letter.
    page.reload()
    main = page.locator("main").inner_text()
    assert "Du får ekonomiskt bistånd för en del av det du sökte." in main
    assert "Så har vi räknat" in main
    assert kr("14 870") in main and kr("1 500") in main
    assert "Glasögon: Nya glasögon" in main
    axe(page)
    shot(page, "portal-decision")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 10
    letter = page.get_by_role("link", name="Läs beslutsbrevet (PDF)")
    response = page.request.get(letter.get_attribute("href"))
    assert response.status == 200
    assert response.body()[:5] == b"%PDF-"
