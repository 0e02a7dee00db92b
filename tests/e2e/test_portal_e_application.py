"""The citizen's whole path on a phone: log in with e-ID (the simulator, over real HTTP), apply for
this month, send; the caseworker reads the application and decides in the decision form; the citizen
sees the decision and opens the letter. Every page is checked with axe-core."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sociala.tests.factories import child_numbers
from tests.e2e.conftest import VIEWPORT
from tests.e2e.helpers import axe, citizen_login, login

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def citizen(demo_city, settings):
    from sociala.tests.factories import make_person

    settings.SOCIALA_EID = {}
    return make_person(demo_city, first_name="Ylva", last_name="Åkesson")


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 10, f"the page scrolls sideways on a phone ({width}px)"


def test_citizen_applies_caseworker_decides_citizen_sees_the_decision(page, browser, live_server, citizen):
    from sociala.integrations.eid.client import clear_caches

    clear_caches()
    page.set_viewport_size(PHONE)

    # Log in with e-ID: the portal sends the browser to the provider (the simulator) and back.
    page.goto("/portal/")
    axe(page)
    citizen_login(page, "Åkesson", "Ylva Åkesson")
    assert page.locator("h1").inner_text() == "Hej Ylva"
    axe(page)
    _no_sideways_scroll(page)

    # Apply for this month: one question group per page, saved as the person types.
    page.locator(".portal-choices button").first.click()
    page.wait_for_url("**/household/#main")
    axe(page)
    page.select_option("#id_occupation", "job_seeking")
    page.wait_for_selector("text=Sparat")
    page.get_by_role("button", name="Lägg till en person").click()
    page.wait_for_selector("#id_members-0-role")
    page.select_option("#id_members-0-role", "child")
    page.fill("#id_members-0-first_name", "Lina")
    page.fill("#id_members-0-personal_identity_number", child_numbers()[-1])
    page.locator("label[for='id_members-0-preschool_lunch']").click()
    axe(page)
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Fortsätt", exact=True).click()
    page.wait_for_url("**/costs/#main")
    page.select_option("#id_tenure", "rental")
    page.fill("#id_housing", "9 200")
    page.fill("#id_household_electricity", "450")
    axe(page)
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Fortsätt", exact=True).click()
    page.wait_for_url("**/incomes/#main")
    page.locator("label[for='id_has_assets_1']").click()  # "Nej"; FKUI draws the radio on the label
    axe(page)
    page.get_by_role("button", name="Fortsätt", exact=True).click()
    page.wait_for_url("**/changes/#main")
    page.locator("label[for='id_has_changes_1']").click()
    axe(page)
    page.get_by_role("button", name="Fortsätt", exact=True).click()
    page.wait_for_url("**/documents/#main")
    page.fill("#id_title", "Hyresavi")
    page.set_input_files("#id_file", files=[{"name": "hyresavi.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="Lägg till filen").click()
    page.wait_for_selector("text=Filen är sparad i din ansökan.")
    axe(page)
    page.get_by_role("button", name="Fortsätt", exact=True).click()
    page.wait_for_url("**/review/#main")
    axe(page)
    page.get_by_role("button", name="Skicka ansökan").click()
    assert page.locator(".error-list").is_visible()  # the declaration is missing
    axe(page)
    page.locator("label[for='id_declaration']").click()
    page.get_by_role("button", name="Skicka ansökan").click()
    page.wait_for_selector("text=Din ansökan är skickad.")
    assert page.locator(".portal-status").first.inner_text() == "Mottagen"
    axe(page)
    _no_sideways_scroll(page)

    from sociala.portal.models import IncomeSupportApplication

    application = IncomeSupportApplication.objects.select_related("case").get(person=citizen)
    case = application.case

    # The caseworker reads the application, takes the case through intake and investigation and decides.
    staff_context = browser.new_context(
        locale="sv-SE", timezone_id="Europe/Stockholm", viewport=VIEWPORT, base_url=live_server.url
    )
    staff_context.set_default_timeout(15_000)
    desk = staff_context.new_page()
    try:
        login(desk, "handlaggare.ifo")
        desk.goto("/portal/staff/")
        axe(desk)
        desk.get_by_role("link", name=case.reference).click()
        desk.wait_for_selector("text=Ansökan för")
        assert "9\u202f200\u00a0kr" in desk.locator("main").inner_text()
        axe(desk)
        desk.fill("#id_text", "Hej Ylva! Jag har börjat titta på din ansökan.")
        desk.get_by_role("button", name="Skicka meddelande").click()
        desk.wait_for_selector("text=Meddelandet är skickat")
        desk.get_by_role("link", name=case.reference).click()
        desk.get_by_role("button", name="Markera steget som klart").click()
        desk.wait_for_selector("text=Steget är klart.")
        desk.get_by_role("button", name="Markera steget som klart").click()
        desk.wait_for_selector("text=Steget är klart.")
        desk.get_by_role("link", name="Fatta beslut").first.click()
        desk.fill("#id_items-0-amount", "8270")
        desk.fill("#id_motivation", "Du saknar inkomster och har rätt till försörjningsstöd för månaden.")
        desk.get_by_role("button", name="Fatta beslut och skapa beslutsbrev").click()
        desk.wait_for_selector("text=Beslutsbrev (PDF)")
    finally:
        staff_context.close()

    # The citizen sees the decision, the amount, the caseworker's message and the letter.
    page.reload()
    assert page.locator(".portal-status").first.inner_text() == "Beslut fattat"
    assert page.get_by_text("Du får ekonomiskt bistånd.").count() >= 1
    assert page.get_by_text("Beviljat belopp: 8\u202f270\u00a0kr.").count() == 1
    assert page.get_by_text("Hej Ylva! Jag har börjat titta på din ansökan.").count() == 1
    axe(page)
    _no_sideways_scroll(page)
    letter = page.get_by_role("link", name="Läs beslutsbrevet (PDF)")
    response = page.request.get(letter.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"
    assert case.decisions.get().decided_on == timezone.localdate()

    # The same page in English.
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".portal-status").first.inner_text() == "Decision made"
    assert page.get_by_text("You will get financial assistance.").count() >= 1
    axe(page)
