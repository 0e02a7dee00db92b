"""A report of concern from the public e-form on a phone, the intake team identifying the child and
finding the report in the child's case, and a guardian following the case in the portal. Every page
visited is checked with axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import VIEWPORT
from tests.e2e.helpers import axe, citizen_login, login

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 10, f"the page scrolls sideways on a phone ({width}px)"


def test_public_report_is_identified_by_the_intake_team(page, browser, live_server, demo_city):
    from sociala.tests.factories import make_person

    child = make_person(demo_city, child=True, first_name="Nora", last_name="Berglund")
    page.set_viewport_size(PHONE)
    page.goto("/report-concern/")
    assert page.locator("h1").inner_text() == "Anmäl oro för ett barn"
    axe(page)
    _no_sideways_scroll(page)

    # Sent empty: a message per question, and the page is still accessible.
    page.get_by_role("button", name="Skicka anmälan").click()
    assert page.locator(".error-list").is_visible()
    axe(page)

    page.select_option("#id_reporter_type", "anonymous_public")
    page.fill("#id_child_description", "Nora, ungefär 9 år, går på Kista skola")
    page.fill("#id_text", "Nora säger att hon inte får äta middag när pappa är arg.")
    page.get_by_role("button", name="Skicka anmälan").click()
    page.wait_for_url("**/report-concern/received/")
    assert page.locator("h1").inner_text() == "Tack för din anmälan"
    reference = page.get_by_test_id("receipt-reference").inner_text()
    assert reference.startswith("OA-")
    assert "Nora" not in page.locator("main").inner_text()
    axe(page)
    _no_sideways_scroll(page)

    # The intake team finds it in the city-wide queue and identifies the child.
    staff = browser.new_context(locale="sv-SE", viewport=VIEWPORT, base_url=live_server.url)
    desk = staff.new_page()
    try:
        login(desk, "handlaggare.barn")
        desk.goto("/children/")
        axe(desk)
        desk.get_by_role("link", name="Visa kön").click()
        desk.wait_for_url("**/children/reports/unidentified/")
        axe(desk)
        desk.get_by_role("link", name=reference).click()
        assert "Nora, ungefär 9 år" in desk.locator("main").inner_text()
        axe(desk)
        desk.fill("#id_number", child.formatted_number)
        desk.get_by_role("button", name="Identifiera och koppla").click()
        desk.wait_for_selector("text=Barnet är identifierat")
        assert "Nora Berglund" in desk.locator("h1").inner_text()
        axe(desk)
        desk.get_by_role("link", name="Till ärende").click()
        assert f"E-tjänsten {reference}" in desk.locator("main").inner_text()
        axe(desk)
    finally:
        staff.close()


def test_guardian_reads_and_replies_in_the_portal(page, browser, live_server, demo_city, settings):
    from sociala.children.services import investigation as inv
    from sociala.children.tests.bbic import document_everything, investigated
    from sociala.integrations.eid.client import clear_caches
    from sociala.people.models import Relation
    from sociala.tests.factories import make_person

    settings.SOCIALA_EID = {}
    clear_caches()
    child = make_person(demo_city, child=True, first_name="Elin", last_name="Åström")
    mother = make_person(demo_city, first_name="Ylva", last_name="Åström")
    Relation.objects.create(person=child, related=mother, kind="guardian")
    case = investigated(demo_city, child)
    document_everything(demo_city, case)
    user = demo_city.users["handlaggare.barn"]
    inv.complete_investigation(actor=user, case=case, summary="Familjen behöver stöd i vardagen.")
    today = timezone.localdate()
    inv.record_guardian_communication(
        actor=user,
        case=case,
        guardian=mother,
        sent_on=today,
        method="digital",
        reply_due_on=today + timedelta(days=14),
    )

    page.set_viewport_size(PHONE)
    page.goto("/portal/")
    citizen_login(page, "Åström", "Ylva Åström")
    page.get_by_role("link", name="Visa mina barns ärenden").click()
    page.wait_for_url("**/portal/children/")
    axe(page)
    _no_sideways_scroll(page)
    page.get_by_role("link", name=f"Ärende {case.reference}").click()
    assert "Utredningen är klar" in page.locator("main").inner_text()
    axe(page)
    _no_sideways_scroll(page)
    page.fill("#id_reply", "Jag håller med om det mesta.")
    page.get_by_role("button", name="Skicka svaret").click()
    page.wait_for_selector("text=Ditt svar är skickat")
    assert "Jag håller med om det mesta." in page.locator("main").inner_text()
    axe(page)
