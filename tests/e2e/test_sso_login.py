"""Staff single sign-on in Chromium against real identity providers on localhost: panva's oidc-provider
(npm) and pysaml2's SAML IdP. The IdPs run on 127.0.0.1 and Sociala on localhost, so the SAML
Response arrives as a cross-site POST, as it does from a real IdP. axe-core on Sociala's pages."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from sociala.accounts.choices import Role
from sociala.sso.testing.certs import make_key_pair
from sociala.sso.testing.oidc_op import start_op
from sociala.sso.testing.saml_idp import SamlTestIdp
from tests.e2e.helpers import axe

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"

PASSWORD = "idp-test-password"
USERS = {
    "anna.berg": {
        "sub": "8f2c9d1e-anna",
        "given_name": "Anna",
        "family_name": "Berg",
        "groups": ["sociala-ifo-rinkeby"],
    },
    "nils.holm": {"sub": "5e5e5e5e-nils", "given_name": "Nils", "family_name": "Holm", "groups": ["kantin"]},
}


@pytest.fixture
def group_mappings(demo_city):
    from sociala.sso.services import add_group_mapping

    for idp in ("oidc", "saml"):
        add_group_mapping(
            actor=demo_city.users["admin"],
            idp=idp,
            group="sociala-ifo-rinkeby",
            role=Role.CASEWORKER,
            unit=demo_city.unit("Rinkeby-Kista", "individual_family"),
        )
    return demo_city


@pytest.fixture
def oidc_provider(live_server, settings):
    from sociala.integrations.eid import client as eid_client

    op = start_op(
        clients=[
            {
                "client_id": "sociala-e2e",
                "client_secret": "e2e-secret-0123456789abcdef0123",
                "redirect_uris": [f"{live_server.url}/sso/oidc/callback/"],
            }
        ],
        users={n: {**u, "password": PASSWORD, "email": f"{n}@stad.example"} for n, u in USERS.items()},
    )
    eid_client.clear_caches()
    settings.SOCIALA_SSO_PROVIDERS = {
        "oidc": {
            "protocol": "oidc",
            "issuer": op.issuer,
            "client_id": "sociala-e2e",
            "client_secret": "e2e-secret-0123456789abcdef0123",
        }
    }
    yield op
    op.stop()
    eid_client.clear_caches()


@pytest.fixture
def saml_provider(live_server, settings, tmp_path):
    from sociala.sso import saml

    users = {
        n: {
            "password": PASSWORD,
            "subject": u["sub"],
            "givenName": u["given_name"],
            "sn": u["family_name"],
            "mail": f"{n}@stad.example",
            "groups": u["groups"],
        }
        for n, u in USERS.items()
    }
    idp = SamlTestIdp(tmp_path / "idp", users).start()
    key_file, cert_file = make_key_pair(tmp_path / "sp", "sociala-sp")
    saml.clear_caches()
    settings.SOCIALA_SSO_PROVIDERS = {
        "saml": {
            "protocol": "saml",
            "label": "Logga in med organisationens konto",
            "idp_metadata_xml": idp.metadata_xml(),
            "sp_key_file": str(key_file),
            "sp_cert_file": str(cert_file),
        }
    }
    metadata = requests.get(f"{live_server.url}/sso/saml/metadata/", timeout=10)
    assert metadata.status_code == 200
    idp.trust_sp(metadata.text)
    yield idp
    idp.stop()
    saml.clear_caches()


def sign_in_at_idp(page, username: str, *, field: str) -> None:
    page.fill(f"#{field}", username)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_no_button_without_a_provider(page, demo_city, settings):
    settings.SOCIALA_SSO_PROVIDERS = {}
    page.goto("/login/")
    assert page.get_by_role("link", name="Logga in med organisationens konto").count() == 0


def test_oidc_sign_in_lands_on_the_start_page(page, group_mappings, oidc_provider):
    page.goto("/login/")
    axe(page)
    page.get_by_role("link", name="Logga in med organisationens konto").click()
    page.wait_for_url(f"{oidc_provider.issuer}/interaction/**")
    sign_in_at_idp(page, "anna.berg", field="login")
    page.wait_for_url("**/")
    page.wait_for_load_state("networkidle")
    assert "Anna Berg" in page.locator(".app-header__user").inner_text()
    assert "Handläggare" in page.locator(".app-header__user").inner_text()


def test_saml_sign_in_refuses_unmapped_groups_and_lets_mapped_ones_in(page, group_mappings, saml_provider):
    from sociala.accounts.models import User

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/login/")
    page.get_by_role("link", name="Logga in med organisationens konto").click()
    page.wait_for_url(f"{saml_provider.base_url}/sso/redirect?**")
    sign_in_at_idp(page, "nils.holm", field="username")
    page.wait_for_url("**/sso/saml/acs/")
    page.get_by_role("heading", name="Du kunde inte loggas in").wait_for()
    assert "ger ingen behörighet i Sociala" in page.content()
    axe(page)
    page.screenshot(path=str(SCREENSHOTS / "sso-refused.png"))
    assert not User.objects.filter(username="nils.holm").exists()

    acs_posts: list[str] = []
    page.on(
        "request", lambda r: acs_posts.append(r.post_data or "") if r.url.endswith("/sso/saml/acs/") else None
    )
    page.goto("/login/")
    page.screenshot(path=str(SCREENSHOTS / "sso-login.png"))
    page.get_by_role("link", name="Logga in med organisationens konto").click()
    sign_in_at_idp(page, "anna.berg", field="username")
    page.locator(".app-header__user").wait_for()
    assert "Anna Berg" in page.locator(".app-header__user").inner_text()
    assert User.objects.get(username="anna.berg").assignments.get().role == Role.CASEWORKER
    # The IdP's cross-site POST came without the session cookie; Sociala's page posted it on once.
    assert (
        len(acs_posts) == 2 and "sociala_bounced=1" in acs_posts[1] and "sociala_bounced" not in acs_posts[0]
    )
