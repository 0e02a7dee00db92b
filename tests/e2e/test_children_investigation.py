"""A child's case in the browser from the report to a placement: the initial assessment opens the BBIC
investigation; the triangle, the child's own view and another source are documented; the investigation
is communicated to each guardian; the decision places the child in a foster home, and the placement
shows on the child's page. Every page is checked with axe-core."""

import pytest

from tests.e2e.helpers import axe, login

pytestmark = pytest.mark.e2e


@pytest.fixture
def child(demo_city):
    from sociala.people.choices import RelationKind
    from sociala.people.models import Relation
    from sociala.tests.factories import make_person

    child = make_person(demo_city, child=True, first_name="Vera", last_name="Åkesson")
    for first in ("Linnea", "Jonas"):
        parent = make_person(demo_city, first_name=first, last_name="Åkesson")
        Relation.objects.create(person=child, related=parent, kind=RelationKind.GUARDIAN)
    return child


def submit(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def click(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=name).first.click()


def test_from_a_report_to_a_placement_on_the_childs_page(page, child):
    login(page, "handlaggare.barn")
    page.goto("/children/reports/new/")
    page.fill("#id_number", child.formatted_number)
    page.select_option("#id_reporter_type", "school")
    page.fill("#id_reporter_name", "Husbyskolan, kurator")
    page.fill("#id_text", "Vera säger att hon inte får äta hemma.")
    submit(page, "Registrera anmälan")
    click(page, "Gör skyddsbedömning")
    page.select_option("#id_needs_immediate_protection", "no")
    page.fill("#id_reasoning", "Vera äter i skolan; ingen akut fara i dag.")
    submit(page, "Spara skyddsbedömningen")
    click(page, "Gör förhandsbedömning")
    page.select_option("#id_opens_investigation", "yes")
    page.fill("#id_reasons", "Uppgifterna om omsorgsbrister behöver utredas enligt BBIC.")
    submit(page, "Spara beslutet")
    axe(page)

    # The investigation: the triangle, area by area.
    click(page, "Till utredningen")
    assert page.locator("h1").inner_text().startswith("Utredning (BBIC)")
    assert page.locator(".badge", has_text="Inte dokumenterat").count() == 12
    axe(page)
    # Completing too early names what is missing.
    click(page, "Avsluta utredningen")
    page.fill("#id_summary", "Vera behöver vård utanför hemmet under en tid.")
    submit(page, "Avsluta utredningen")
    assert page.locator(".error-list", has_text="Dokumentera alla områden").is_visible()
    axe(page)
    page.go_back()
    page.go_back()
    page.reload()
    first = True
    undocumented = page.locator("a[href*='/investigation/areas/']", has_text="Dokumentera")
    while undocumented.count():
        with page.expect_navigation():
            undocumented.first.click()
        if first:
            axe(page)
            first = False
        page.fill("#id_text", "Beskrivning och analys av området: behov och resurser.")
        submit(page, "Spara området")
    assert page.locator(".badge", has_text="Dokumenterat").count() == 12
    assert page.locator("text=Området är sparat.").is_visible()

    # The child's own view, in its own record.
    click(page, "Dokumentera barnets syn")
    axe(page)
    page.select_option("#id_heard_how", "alone")
    page.fill("#id_present", "")
    page.fill("#id_view", "Jag vill bo hos någon som lagar mat. Jag saknar mamma.")
    submit(page, "Spara barnets syn")
    assert page.locator("text=Samtal med barnet ensamt").is_visible()

    # Another source, with consent.
    click(page, "Registrera kontakt")
    axe(page)
    page.select_option("#id_source_kind", "school")
    page.fill("#id_source_name", "Husbyskolan, skolsköterska")
    page.fill("#id_what", "Vera är ofta hungrig på måndagar.")
    page.select_option("#id_consent", "given")
    submit(page, "Spara kontakten")
    assert page.locator("td", has_text="Samtycke finns").is_visible()
    axe(page)

    click(page, "Avsluta utredningen")
    page.fill("#id_summary", "Vera behöver vård utanför hemmet under en tid.")
    submit(page, "Avsluta utredningen")

    # Communication: each guardian on their own, with the reply recorded.
    assert page.locator("h1").inner_text().startswith("Kommunicering med vårdnadshavarna")
    assert page.locator(".badge", has_text="Inte skickad").count() == 2
    axe(page)
    for name in ("Jonas Åkesson", "Linnea Åkesson"):
        page.select_option("#id_guardian", label=name)
        page.select_option("#id_method", "letter")
        submit(page, "Registrera kommunicering")
    submit(page, "Kommuniceringen är klar – gå till beslut")
    assert page.locator(".message-box--error", has_text="Vänta på svar").first.is_visible()
    for name in ("Jonas Åkesson", "Linnea Åkesson"):
        click(page, f"Registrera svar {name}")
        axe(page)
        page.fill("#id_reply", "Jag har läst utredningen och har inget att tillägga.")
        submit(page, "Spara svaret")
    axe(page)
    submit(page, "Kommuniceringen är klar – gå till beslut")

    # The decision: a placement in a foster home under SoL.
    assert page.locator("h1").inner_text().startswith("Beslut efter utredning")
    axe(page)
    page.select_option("#id_kind", "foster_home")
    page.select_option("#id_basis", "sol")
    page.fill("#id_location_name", "Familjehemmet Björk")
    page.fill("#id_location_municipality", "Norrtälje")
    page.fill(
        "#id_motivation", "Vera behöver vård utanför hemmet enligt utredningen; vårdnadshavarna samtycker."
    )
    submit(page, "Fatta beslut")
    assert page.locator("text=Beslutet är fattat").is_visible()

    # The placement on the child's page.
    section = page.locator("section", has=page.locator("#placements-heading"))
    assert section.locator("td", has_text="Familjehemmet Björk").is_visible()
    assert section.locator("td", has_text="Familjehem").first.is_visible()
    assert section.locator("td", has_text="SoL (med samtycke)").is_visible()
    axe(page)
    click(page, "Familjehemmet Björk")
    assert page.locator(".deadline", has_text="Övervägande av placering enligt SoL").is_visible()
    axe(page)
    page.fill("#id_visit-notes", "Vera har eget rum och trivs. Hon vill träffa mamma oftare.")
    page.locator("label[for=id_visit-spoke_alone]").click()
    submit(page, "Registrera besök")
    assert page.locator("text=Enskilt samtal").is_visible()
    axe(page)

    # The plans and the LVU page are reachable from the case.
    page.goto(page.locator(".breadcrumbs a").first.get_attribute("href"))
    click(page, "Vårdplan och genomförandeplan")
    page.select_option("#id_kind", "care_plan")
    page.fill("#id_goals", "Vera går i skolan varje dag och träffar sina föräldrar.")
    page.fill("#id_text", "Familjehemmet ansvarar för vardagen; umgänge varannan helg.")
    submit(page, "Spara ny version")
    assert page.locator("h3", has_text="version 1").is_visible()
    axe(page)
    page.go_back()
    page.go_back()
    click(page, "Vård enligt LVU")
    axe(page)
