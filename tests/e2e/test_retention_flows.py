"""Culling, objections, register extracts and archive packages in the browser; axe-core on every page."""

from __future__ import annotations

from datetime import date

import pytest

from tests.e2e.helpers import axe, login

pytestmark = pytest.mark.e2e


@pytest.fixture
def old_file(demo_city, settings, tmp_path):
    """A case file last written in 2019, with documents on disk."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SOCIALA_RETENTION_JOB_RUNNER = "inline"
    from sociala.retention.tests.factories import full_case_file

    return full_case_file(
        demo_city, number="197909189230", day=date(2019, 3, 4), first_name="Gammal", last_name="Akt"
    )


def submit(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def test_the_system_administrator_culls_under_the_committees_decision(page, old_file):
    from sociala.people.models import Person

    login(page, "admin")
    page.goto("/retention/culling/")
    assert page.locator("h1").inner_text() == "Gallring av personakter"
    assert page.locator("text=Kommunen är inte angiven.").first.is_visible()
    axe(page)

    # The municipality: a wrong code first.
    page.get_by_role("link", name="Ändra inställningarna").click()
    page.wait_for_selector("#id_municipality_code")
    axe(page)
    page.fill("#id_municipality_code", "18")
    page.fill("#id_municipality_name", "Sociala stad")
    submit(page, "Spara")
    assert page.locator(".error-list").is_visible()
    axe(page)
    page.fill("#id_municipality_code", "0180")
    page.fill("#id_archive_authority", "Stadsarkivet")
    submit(page, "Spara")
    assert page.locator("text=Inställningarna är sparade.").is_visible()

    # The committee's decision.
    page.select_option("#id_committee", label="Socialnämnden")
    page.fill("#id_decision_reference", "SN 2025-08-26 § 14")
    page.fill("#id_decided_on", "2025-08-26")
    page.fill("#id_valid_from", "2025-09-01")
    submit(page, "Registrera beslutet")
    assert page.locator("text=Nämndens beslut om gallring är registrerat.").is_visible()
    assert page.get_by_role("cell", name="SN 2025-08-26 § 14", exact=True).is_visible()
    axe(page)

    # The dry run lists the old file, without its name.
    submit(page, "Visa provgallring")
    assert page.locator("text=1 personakt skulle gallras.").is_visible()
    assert page.locator("td", has_text=old_file.cases[0].reference).is_visible()
    assert page.locator("text=Gammal").count() == 0
    axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned listan som CSV").click()
    assert download.value.suggested_filename.startswith("gallring-")

    # The real run, after confirming that the list was checked.
    page.locator("label[for=confirm-run]").click()
    assert page.locator("#confirm-run").is_checked()
    submit(page, "Gallra nu")
    assert page.locator("text=Gallringen är klar.").is_visible()
    assert page.locator("td", has_text="Gallras fem år efter sista anteckningen").is_visible()
    axe(page)
    assert not Person.objects.filter(pk=old_file.person.pk).exists()


def test_a_caseworker_notes_an_objection_and_produces_the_extract_and_the_archive_package(page, old_file):
    from sociala.cases.models import JournalEntry

    entry = JournalEntry.objects.get(case=old_file.cases[0], corrects__isnull=True)
    login(page, "handlaggare.ifo")

    page.goto(f"/retention/journal/{entry.pk}/objections/new/")
    assert page.locator("h1").inner_text() == "Anteckna invändning mot en journalanteckning"
    axe(page)
    submit(page, "Anteckna invändningen")
    assert page.locator(".error-list").is_visible()
    axe(page)
    page.fill("#id_text", "Det var inte jag som ringde den dagen.")
    page.select_option("#id_received_via", "phone")
    submit(page, "Anteckna invändningen")
    assert page.locator("text=Invändningen är antecknad vid anteckningen.").is_visible()

    page.goto(f"/retention/persons/{old_file.person.pk}/register-extract/")
    assert page.locator("h1").inner_text() == "Registerutdrag för Gammal Akt"
    axe(page)
    page.select_option("#id_identity_check", "id_document")
    with page.expect_download() as download:
        page.get_by_role("button", name="Skapa registerutdraget (PDF)").click()
    assert download.value.suggested_filename.startswith("registerutdrag-")

    page.goto(f"/retention/cases/{old_file.cases[0].pk}/archive/")
    assert page.locator("h1").inner_text() == f"Arkivpaket för ärende {old_file.cases[0].reference}"
    axe(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Skapa arkivpaketet").click()
    assert download.value.suggested_filename == f"arkivpaket-{old_file.cases[0].reference}.zip"
