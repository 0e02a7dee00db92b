"""Security and privacy pages in the browser: access administration, recertification, consent with the
visibility explanation, the second factor, log review, and the idle-session warning. axe-core on each.

The pages are wired here as the lead wires them into the site (sociala/access/tests/urls.py)."""

import importlib
import time

import pytest
from django.apps import apps
from django.utils import timezone

from tests.e2e.helpers import axe, login

pytestmark = pytest.mark.e2e


@pytest.fixture
def security_site(settings, demo_city):
    """The site with the security URLs and the idle-timeout middleware, and the rules as data (a
    transactional test database loses what the data migrations loaded)."""
    from sociala.access.tests import urls

    settings.ROOT_URLCONF = "sociala.access.tests.urls"
    settings.MIDDLEWARE = urls.MIDDLEWARE
    for module in (
        "sociala.audit.migrations.0003_review_rules_data",
        "sociala.accounts.migrations.0003_recertification_rule_data",
    ):
        importlib.import_module(module).load(apps, None)
    return demo_city


def test_the_local_administrator_manages_a_team(page, security_site):
    login(page, "admin.lokal")
    page.goto("/access/")
    assert page.locator("h1").inner_text() == "Behörigheter"
    axe(page)
    page.get_by_role("link", name="Grupp 1, äldreomsorg, myndighet Rinkeby-Kista").click()
    axe(page)
    page.select_option("#id_access-role", "caseworker")
    page.get_by_role("button", name="Lägg till").first.click()
    page.wait_for_load_state("networkidle")
    assert "Gruppens behörighet är tillagd." in page.content()
    page.fill("#id_member-username", "handlaggare.lss")
    page.get_by_role("button", name="Lägg till i gruppen").click()
    page.wait_for_load_state("networkidle")
    assert "Sara Nyström fick 1 behörigheter från gruppen." in page.content()
    axe(page)
    page.get_by_role("link", name="Sara Nyström").click()
    assert page.locator("h1").inner_text() == "Behörigheter för Sara Nyström"
    axe(page)


def test_the_manager_recertifies(page, security_site):
    login(page, "chef.ifo")
    page.goto("/access/recertification/")
    axe(page)
    row = page.locator("tr", has_text="Amina Hassan")
    row.get_by_role("button", name="Bekräfta").click()
    page.wait_for_load_state("networkidle")
    assert "Behörigheten för Amina Hassan är bekräftad." in page.content()


def test_consent_and_the_visibility_explanation(page, security_site):
    from sociala.cases import services
    from sociala.cases.models import CaseType
    from sociala.tests.factories import make_person

    person = make_person(security_site, first_name="Elsa", last_name="Ström")
    services.open_case(
        actor=security_site.users["handlaggare.ao"],
        person=person,
        case_type=CaseType.objects.get(code="home_care_application"),
        received_on=timezone.localdate(),
        sought="Hemtjänst",
    )
    login(page, "handlaggare.ao")
    page.goto(f"/persons/{person.pk}/consents/")
    axe(page)
    page.select_option("#id_from_area", "elderly")
    page.select_option("#id_to_area", "individual_family")
    page.select_option("#id_form", "written")
    page.get_by_role("button", name="Registrera samtycke").last.click()
    page.wait_for_load_state("networkidle")
    assert "Samtycket är registrerat." in page.content()
    page.locator("summary").click()
    assert page.get_by_text(
        "uppgifter inom äldreomsorg får lämnas till individ- och familjeomsorg"
    ).is_visible()
    axe(page)


def test_setting_up_the_second_factor(page, security_site):
    from sociala.accounts import totp
    from sociala.accounts.models import TotpDevice

    login(page, "handlaggare.ifo")
    page.goto("/account/security/")
    axe(page)
    page.get_by_role("link", name="Slå på tvåstegsverifiering").click()
    axe(page)
    device = TotpDevice.objects.get(user=security_site.users["handlaggare.ifo"])
    page.fill("#id_code", totp.totp(totp.secret_bytes(device.secret), time.time()))
    page.get_by_role("button", name="Bekräfta och slå på").click()
    page.wait_for_load_state("networkidle")
    assert "Tvåstegsverifiering är på." in page.content()
    axe(page)


def test_the_log_reviewer_judges_a_flagged_access(page, security_site):
    from sociala.audit.review import run_log_review
    from sociala.people.selectors import person_for_user
    from sociala.tests.factories import make_person

    person = make_person(security_site, first_name="Gun", last_name="Lund")
    person_for_user(security_site.users["handlaggare.ifo"], person.pk)
    run_log_review()
    login(page, "revisor")
    page.goto("/audit/review/")
    axe(page)
    page.get_by_role("link", name=timezone.localdate().isoformat()).first.click()
    axe(page)
    page.locator("label[for='id_verdict_1']").click()  # FKUI draws the radio on the label
    page.fill("#id_comment", "Fråga handläggaren varför.")
    page.get_by_role("button", name="Spara och gå till nästa").click()
    page.wait_for_load_state("networkidle")
    assert "Granskningen är sparad." in page.content()


def test_the_idle_session_warning(page, security_site, settings):
    settings.SOCIALA_SECURITY = {"session_idle_minutes": 1, "session_warning_seconds": 55}
    login(page, "handlaggare.ifo")
    page.goto("/account/security/")
    # The layout includes the session-timeout script for every signed-in page.
    dialog = page.locator("dialog.session-timeout")
    dialog.wait_for(state="visible", timeout=10_000)
    assert "Du loggas snart ut" in dialog.inner_text()
    axe(page)
    dialog.get_by_role("button", name="Fortsätt arbeta").click()
    dialog.wait_for(state="hidden", timeout=3_000)  # and back when the idle time runs low again
    left = page.evaluate("async () => (await (await fetch('/account/session/')).json()).seconds_left")
    assert 50 <= left <= 60
