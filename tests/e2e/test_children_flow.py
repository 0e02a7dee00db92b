"""Children and young people in the browser: a report of concern through the safety assessment to the
decision to open an investigation; the manager's overview; the out-of-hours service at night and the
morning hand-over. Every page is checked with axe-core."""

import pytest

from tests.e2e.helpers import axe, login

pytestmark = pytest.mark.e2e


@pytest.fixture
def child(demo_city):
    from sociala.tests.factories import make_person

    return make_person(demo_city, child=True, first_name="Alva", last_name="Öberg")


def submit(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def register_report(page, child, reporter_type: str, reporter_name: str, text: str) -> None:
    page.fill("#id_number", child.formatted_number)
    page.select_option("#id_reporter_type", reporter_type)
    page.fill("#id_reporter_name", reporter_name)
    page.fill("#id_text", text)
    submit(page, "Registrera anmälan")


def safety_assessment(page, protect: str, reasoning: str) -> None:
    page.get_by_role("link", name="Gör skyddsbedömning").first.click()
    page.wait_for_selector("#id_reasoning")
    axe(page)
    page.select_option("#id_needs_immediate_protection", protect)
    page.fill("#id_reasoning", reasoning)
    submit(page, "Spara skyddsbedömningen")


def test_from_report_to_the_decision_to_open_an_investigation(page, child):
    login(page, "handlaggare.barn")
    axe(page)

    page.goto("/children/")
    assert page.locator("h1").inner_text() == "Barn och unga"
    axe(page)

    # Register the report: a missing reporter type and text are errors first.
    page.get_by_role("link", name="Registrera orosanmälan").click()
    page.wait_for_selector("#id_number")
    axe(page)
    page.fill("#id_number", child.formatted_number)
    submit(page, "Registrera anmälan")
    assert page.locator(".error-list").is_visible()
    axe(page)
    register_report(
        page, child, "school", "Rinkebyskolan, kurator", "Alva berättar att hon inte vågar gå hem."
    )
    assert page.locator("text=Anmälan är registrerad.").is_visible()
    assert page.locator("text=Anmälningsskyldig").first.is_visible()
    axe(page)

    # The safety assessment, the same day.
    safety_assessment(page, "no", "Alva bor hos sin moster i veckan; ingen akut fara.")
    assert page.locator("text=Skyddsbedömningen är sparad.").is_visible()
    assert page.locator("text=Skyddsbedömd").is_visible()
    axe(page)

    # The initial assessment ends in the decision to open an investigation.
    page.get_by_role("link", name="Gör förhandsbedömning").click()
    page.wait_for_selector("#id_reasons")
    axe(page)
    page.select_option("#id_opens_investigation", "yes")
    page.fill("#id_reasons", "Uppgifterna om att Alva inte vågar gå hem behöver utredas enligt BBIC.")
    submit(page, "Spara beslutet")
    assert page.locator("text=Utredning inleds. Utredningen ska vara klar inom fyra månader.").is_visible()
    assert page.locator(".badge", has_text="Utredning").first.is_visible()
    assert page.locator(".deadline", has_text="Utredning om barn").count() == 1
    axe(page)

    # The manager sees the investigation with its days left.
    page.get_by_role("button", name="Logga ut").click()
    login(page, "chef.ifo")
    page.goto("/children/overview/")
    section = page.locator("section", has=page.locator("#investigations-heading"))
    assert section.locator("td", has_text="Alva Öberg").count() == 1
    assert section.locator(".badge", has_text="dagar kvar").count() == 1
    axe(page)


def test_out_of_hours_at_night_and_the_morning_hand_over(page, child):
    login(page, "socialjour")
    page.goto("/children/")
    axe(page)

    # Emergency access with a reason, then the report and the safety assessment.
    page.get_by_role("link", name="Begär nödåtkomst").first.click()
    page.wait_for_selector("#id_reason")
    axe(page)
    page.fill("#id_number", child.formatted_number)
    page.fill("#id_reason", "Polisen ringer kl 23: barnet ensamt hemma")
    page.fill("#id_password", "sociala-demo")  # re-authentication before emergency access
    submit(page, "Öppna med nödåtkomst")
    page.goto("/children/reports/new/")
    axe(page)
    register_report(
        page, child, "police", "Polisen, region Stockholm", "Alva hittad ensam hemma sent på kvällen."
    )
    assert page.locator("text=Nödåtkomst.").first.is_visible()
    assert page.locator("text=Anmälan väntar på att barnets stadsdel tar över den").is_visible()
    axe(page)
    safety_assessment(page, "yes", "Alva placeras i jourhem i natt.")
    assert page.locator("text=Omedelbart skydd behövs").first.is_visible()
    axe(page)

    # In the morning the district takes the report over and the case opens.
    page.get_by_role("button", name="Logga ut").click()
    login(page, "handlaggare.barn")
    page.goto("/children/")
    hand_over = page.locator("section", has=page.locator("#handover-heading"))
    assert hand_over.locator("text=Ska tas över").is_visible()
    axe(page)
    hand_over.get_by_role("link", name="Alva Öberg").click()
    page.wait_for_selector("text=Ta över anmälan")
    axe(page)
    submit(page, "Ta över anmälan")
    assert page.locator("text=Anmälan är överlämnad till ärende").is_visible()
    assert page.get_by_role("link", name="Gör förhandsbedömning").is_visible()
    axe(page)
