"""The shortest walk through the UI: the login page is accessible and a caseworker gets in."""

import pytest

from tests.e2e.helpers import axe, login

pytestmark = pytest.mark.e2e


def test_login_page_is_accessible_and_leads_to_the_start_page(page, demo_city):
    page.goto("/login/")
    assert page.locator('input[name="username"]').is_visible()
    axe(page)

    login(page, "handlaggare.ifo")

    response = page.goto("/")
    assert response is not None and response.status == 200
    heading = page.locator("h1").first
    assert heading.is_visible()
    assert heading.inner_text().strip() != ""
    axe(page)
