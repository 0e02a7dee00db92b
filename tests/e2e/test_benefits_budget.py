"""Income support in the browser: the month's queue, copying last month's budget, fetching incomes from
the SSBTEK simulator over mutual TLS, the budget page with reported beside fetched incomes, and the
budget form with its errors. Every page is checked with axe-core."""

from datetime import date
from pathlib import Path

import pytest

from tests.e2e.helpers import axe, login

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parent / "artifacts" / "benefits"


@pytest.fixture
def ssbtek(settings, tmp_path):
    from sociala.integrations.ssbtek.pki import make_test_pki
    from sociala.integrations.ssbtek.simulator import SsbtekSimulator

    pki = make_test_pki(tmp_path / "pki")
    simulator = SsbtekSimulator(pki).start()
    settings.SOCIALA_SSBTEK = {
        "url": simulator.url,
        "client_certificate": str(pki.client.certificate),
        "client_key": str(pki.client.key),
        "ca_bundle": str(pki.ca_certificate),
        "organization_number": "2120000142",
        "fk_actor_id": "026-51",
    }
    yield simulator
    simulator.stop()


@pytest.fixture
def march_budget(demo_city):
    from sociala.benefits.tests.test_budget_support import (
        make_budget,
        number_with_profile,
        open_income_case,
        single,
        upload,
    )
    from sociala.tests.factories import make_person

    person = make_person(
        demo_city, number=number_with_profile("single_parent"), first_name="Ella", last_name="Ek"
    )
    case = open_income_case(demo_city, person)
    receipt = upload(demo_city, case, title="Hyresavi mars")
    return make_budget(
        demo_city,
        case,
        month=date(2026, 3, 1),
        data=single(person, housing=8000, incomes=[], receipts={"housing": receipt.pk}),
    )


def submit(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name).first.click()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_from_last_months_budget_to_this_months_with_fetched_incomes(page, march_budget, ssbtek):
    login(page, "handlaggare.ifo")
    page.goto("/financial-assistance/queue/?month=2026-04")
    assert page.locator("h1").inner_text() == "Ansökningar om ekonomiskt bistånd 2026-04"
    axe(page)

    # Last month's household is offered for copying; one click makes April's budget.
    submit(page, "Kopiera förra månadens budget för Ella Ek")
    assert page.locator("h1").inner_text() == "Budget 2026-04 – Ella Ek"
    assert page.locator("text=Förra månadens budget är kopierad till 2026-04.").is_visible()
    assert "Boende" in page.locator(".flags").inner_text()  # the March receipt does not carry over
    axe(page)

    # Fetch from the simulator: the single parent's benefits are there but not reported.
    submit(page, "Hämta inkomster för 2026-04 från SSBTEK")
    assert page.locator("text=Inkomster hämtade från SSBTEK. Kontrollerna är gjorda igen.").is_visible()
    flags = page.locator(".flags").inner_text()
    assert "Bostadsbidrag: redovisat 0\xa0kr, Försäkringskassan 3\u202f780\xa0kr för månaden." in flags
    axe(page)
    shot(page, "budget-detail")

    # Report the housing allowance in the form; a bad age is shown next to its field first.
    page.get_by_role("link", name="Ändra budgeten").click()
    page.wait_for_selector("#id_members-0-role")
    axe(page)
    page.select_option("#id_members-1-role", "child")
    page.fill("#id_members-1-age", "25")
    page.select_option("#id_incomes-0-type", "housing_allowance")
    page.fill("#id_incomes-0-amount", "3780")
    submit(page, "Spara och beräkna")
    assert page.locator(".error-list").is_visible()
    assert page.locator("#id_members-1-age").is_visible()
    axe(page)
    shot(page, "budget-form-errors")
    page.select_option("#id_members-1-role", "")
    page.fill("#id_members-1-age", "")
    submit(page, "Spara och beräkna")
    assert page.locator("text=Budgeten är sparad och beräknad.").is_visible()
    assert "Bostadsbidrag" not in page.locator(".flags").inner_text()
    axe(page)

    page.goto("/financial-assistance/queue/?month=2026-04")
    assert "1 budget denna månad" in page.locator("#queue-heading").inner_text()
    axe(page)
    shot(page, "queue")


def test_another_districts_caseworker_does_not_find_the_budget(page, march_budget):
    login(page, "handlaggare.ifo.bromma")
    page.goto("/financial-assistance/queue/?month=2026-03")
    assert page.locator("text=Ingen budget för månaden ännu.").is_visible()
    axe(page)
    response = page.goto(f"/financial-assistance/budgets/{march_budget.pk}/")
    assert response.status == 404
