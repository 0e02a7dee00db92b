"""The sign-in page's button, configuration, the SAML re-post, and the local session rules after SSO."""

from __future__ import annotations

import time

import pytest

from sociala.accounts.middleware import LAST_ACTIVITY_KEY
from sociala.audit.models import AuditEvent
from sociala.sso.conf import identity_providers
from sociala.sso.testing.flows import local_path, oidc_sign_in_at_idp

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_no_button_and_no_endpoints_when_nothing_is_configured(client, settings):
    settings.SOCIALA_SSO_PROVIDERS = {
        "oidc": {"protocol": "oidc", "issuer": "", "client_id": ""},
        "saml": {"protocol": "saml", "idp_metadata_url": "", "sp_cert_file": "", "sp_key_file": ""},
    }
    assert identity_providers() == []
    page = client.get("/login/").content.decode()
    assert "Logga in med organisationens konto" not in page
    assert client.get("/sso/oidc/login/").status_code == 404
    assert client.get("/sso/saml/metadata/").status_code == 404
    assert client.post("/sso/saml/acs/", {"SAMLResponse": "x"}).status_code == 404


def test_the_button_names_each_configured_provider(client, settings):
    settings.SOCIALA_SSO_PROVIDERS = {
        "oidc": {"protocol": "oidc", "issuer": "https://idp.example.org/", "client_id": "c"},
        "adfs": {
            "protocol": "saml",
            "label": "Logga in med stadens konto (ADFS)",
            "idp_metadata_url": "https://adfs.example.org/metadata.xml",
            "sp_cert_file": "/etc/sp.crt",
            "sp_key_file": "/etc/sp.key",
        },
    }
    page = client.get("/login/?next=/persons/").content.decode()
    assert (
        '<a class="button button--secondary" href="/sso/oidc/login/?next=/persons/">Logga in med organisationens konto</a>'
        in page
    )
    assert 'href="/sso/adfs/login/?next=/persons/">Logga in med stadens konto (ADFS)</a>' in page
    assert identity_providers()[0].options["issuer"] == "https://idp.example.org"


def test_an_invalid_provider_name_is_a_configuration_error(settings):
    settings.SOCIALA_SSO_PROVIDERS = {
        "Bad Name": {"protocol": "oidc", "issuer": "https://x", "client_id": "c"}
    }
    with pytest.raises(ValueError, match="not a valid provider name"):
        identity_providers()


def test_a_provider_that_cannot_be_reached_gives_a_page_not_an_error(client, settings):
    settings.SOCIALA_SSO_PROVIDERS = {
        "oidc": {"protocol": "oidc", "issuer": "http://127.0.0.1:9", "client_id": "c", "timeout_seconds": 2}
    }
    response = client.get("/sso/oidc/login/")
    assert response.status_code == 403
    assert "Vi når inte organisationens inloggningstjänst just nu" in response.content.decode()
    assert AuditEvent.objects.get(action="sso_login_refused").details["reason"] == "provider_unavailable"


def test_a_saml_post_without_the_session_cookie_is_posted_on_from_our_own_page(client, saml_settings):
    response = client.post("/sso/saml/acs/", {"SAMLResponse": "PHNhbWxwOlJlc3BvbnNlLz4=", "RelayState": "r"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'action="/sso/saml/acs/"' in page and 'name="sociala_bounced" value="1"' in page
    assert 'value="PHNhbWxwOlJlc3BvbnNlLz4="' in page
    assert "<script>" not in page and "sso/continue.js" in page
    # Posted on and still without a pending request: refused, not bounced again.
    again = client.post(
        "/sso/saml/acs/",
        {"SAMLResponse": "PHNhbWxwOlJlc3BvbnNlLz4=", "RelayState": "r", "sociala_bounced": "1"},
    )
    assert again.status_code == 403


def test_the_second_factor_rule_of_the_role_applies_after_the_provider(
    client, oidc_settings, mappings, settings
):
    settings.SOCIALA_SECURITY = {"second_factor_required_roles": ["caseworker"]}
    callback = oidc_sign_in_at_idp(client.get("/sso/oidc/login/")["Location"], "anna.berg", PASSWORD)
    response = client.get(local_path(callback))
    assert response["Location"] == "/account/second-factor/setup/"
    assert "_auth_user_id" not in client.session


def test_a_trusted_provider_stands_for_the_second_factor(client, oidc_settings, mappings, settings):
    settings.SOCIALA_SECURITY = {"second_factor_required_roles": ["caseworker"]}
    settings.SOCIALA_SSO_PROVIDERS["oidc"]["trust_idp_second_factor"] = True
    callback = oidc_sign_in_at_idp(client.get("/sso/oidc/login/")["Location"], "anna.berg", PASSWORD)
    assert client.get(local_path(callback))["Location"] == "/"
    assert "_auth_user_id" in client.session


def test_the_idle_timeout_ends_an_sso_session(client, oidc_settings, mappings):
    callback = oidc_sign_in_at_idp(client.get("/sso/oidc/login/")["Location"], "anna.berg", PASSWORD)
    client.get(local_path(callback))
    assert client.get("/").status_code == 200
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - 31 * 60
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="session_timeout").count() == 1


def test_the_base_url_setting_names_our_endpoints_behind_a_proxy(client, saml_settings, settings):
    settings.SOCIALA_SSO_PROVIDERS["saml"]["base_url"] = "https://sociala.example.org/"
    xml = client.get("/sso/saml/metadata/").content.decode()
    assert 'entityID="https://sociala.example.org/sso/saml/metadata/"' in xml
    assert 'Location="https://sociala.example.org/sso/saml/acs/"' in xml


def test_a_returning_users_sign_in_costs_a_constant_number_of_queries(
    client, oidc_settings, mappings, django_assert_num_queries
):
    """Session, lockout check, provisioning (nothing to change), the second factors (app and security
    keys), login and the audit event: 30 queries whatever the number of groups and assignments."""
    for _ in range(2):
        callback = oidc_sign_in_at_idp(client.get("/sso/oidc/login/")["Location"], "bo.ek", PASSWORD)
        client.get(local_path(callback))
        client.logout()
    callback = oidc_sign_in_at_idp(client.get("/sso/oidc/login/")["Location"], "bo.ek", PASSWORD)
    with django_assert_num_queries(30):
        assert client.get(local_path(callback)).status_code == 302
