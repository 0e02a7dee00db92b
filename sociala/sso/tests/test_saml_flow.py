"""SAML 2.0 sign-in end to end against pysaml2's IdP on localhost."""

from __future__ import annotations

import base64

import pytest

from sociala.accounts.models import Assignment, User
from sociala.audit.models import AuditEvent
from sociala.sso.models import ExternalIdentity, ProvisionedAssignment
from sociala.sso.testing.flows import local_path, saml_sign_in_at_idp

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def start(client, next_url=""):
    response = client.get("/sso/saml/login/" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302
    return response["Location"]


def sign_in(client, username, password=PASSWORD):
    acs, fields = saml_sign_in_at_idp(start(client), username, password)
    return acs, fields


def test_sign_in_provisions_the_user_from_groups(client, saml_settings, saml_idp, mappings, city):
    sso_url = start(client)
    assert sso_url.startswith(saml_idp.base_url + "/sso/redirect?SAMLRequest=")
    assert "&Signature=" in sso_url and "SigAlg=" in sso_url
    acs, fields = saml_sign_in_at_idp(sso_url, "bo.ek", PASSWORD)
    assert acs == "http://testserver/sso/saml/acs/"
    assert saml_idp.requests_seen[-1]["issuer"] == "http://testserver/sso/saml/metadata/"
    response = client.post(local_path(acs), fields)
    assert response.status_code == 302
    assert response["Location"] == "/"
    identity = ExternalIdentity.objects.get(idp="saml", subject="77aa01bb-bo")
    user = identity.user
    assert (user.username, user.first_name, user.last_name, user.email) == (
        "bo.ek",
        "Bo",
        "Ek",
        "bo.ek@stad.example",
    )
    assert not user.has_usable_password()
    rows = sorted((a.role, a.unit.name) for a in user.assignments.all())
    assert rows == [
        ("caseworker", "Individ- och familjeomsorg Rinkeby-Kista"),
        ("unit_manager", "Äldreomsorg, myndighet Bromma"),
    ]
    assert ProvisionedAssignment.objects.filter(assignment__user=user).count() == 2
    assert int(client.session["_auth_user_id"]) == user.pk
    page = client.get("/")
    assert page.status_code == 200
    login = AuditEvent.objects.filter(action="login", user_id=user.pk).get()
    assert login.details["method"] == "saml" and login.details["idp"] == "saml"
    assert AuditEvent.objects.filter(action="sso_add_assignment").count() == 2
    assert AuditEvent.objects.filter(action="sso_create_user", object_id=str(user.pk)).count() == 1


def _tamper(fields: dict, old: bytes, new: bytes) -> dict:
    xml = base64.b64decode(fields["SAMLResponse"])
    assert old in xml
    return {**fields, "SAMLResponse": base64.b64encode(xml.replace(old, new)).decode()}


def assert_nothing_written(client, reason_part=""):
    assert "_auth_user_id" not in client.session
    assert not ExternalIdentity.objects.exists()
    assert not ProvisionedAssignment.objects.exists()
    assert not User.objects.filter(username__in=["anna.berg", "bo.ek", "nils.holm"]).exists()
    refused = AuditEvent.objects.filter(action="sso_login_refused").last()
    assert refused is not None
    assert reason_part in refused.details["reason"] + " " + refused.details["detail"]


def test_tampered_assertion_is_refused(client, saml_settings, mappings):
    acs, fields = sign_in(client, "anna.berg")
    fields = _tamper(fields, b"sociala-ifo-rinkeby", b"sociala-chef-ao-bromma")
    response = client.post(local_path(acs), fields)
    assert response.status_code == 403
    assert "Inloggningen kunde inte bekräftas" in response.content.decode()
    assert_nothing_written(client, "invalid_response")


def test_expired_assertion_is_refused(client, saml_settings, saml_idp, mappings):
    saml_idp.lifetime_minutes = -5
    acs, fields = sign_in(client, "anna.berg")
    response = client.post(local_path(acs), fields)
    assert response.status_code == 403
    assert_nothing_written(client, "invalid_response")


def test_wrong_audience_is_refused(client, saml_settings, mappings, settings):
    acs, fields = sign_in(client, "anna.berg")
    # Sociala now calls itself something else than the audience the IdP signed for.
    settings.SOCIALA_SSO_PROVIDERS["saml"]["sp_entity_id"] = "https://sociala.example.org/another-sp"
    response = client.post(local_path(acs), fields)
    assert response.status_code == 403
    assert_nothing_written(client, "AudienceRestrictions")


def test_response_to_another_sessions_request_is_refused(client, saml_settings, mappings, django_user_model):
    from django.test import Client

    acs, fields = sign_in(client, "anna.berg")
    other = Client()
    start(other)  # the other browser has a request of its own outstanding
    response = other.post(local_path(acs), fields)
    assert response.status_code == 403
    assert "_auth_user_id" not in other.session
    assert not ExternalIdentity.objects.exists()


def test_replayed_response_is_refused(client, saml_settings, mappings):
    acs, fields = sign_in(client, "anna.berg")
    assert client.post(local_path(acs), fields).status_code == 302
    client.logout()
    response = client.post(local_path(acs), {**fields, "sociala_bounced": "1"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_unmapped_groups_get_a_refusal_and_nothing_is_written(client, saml_settings, mappings):
    acs, fields = sign_in(client, "nils.holm")
    response = client.post(local_path(acs), fields)
    assert response.status_code == 403
    text = response.content.decode()
    assert "ger ingen behörighet i Sociala" in text
    assert "Inget har sparats om dig" in text
    assert_nothing_written(client, "no_group")


def test_wrong_password_at_the_idp_never_reaches_sociala(client, saml_settings, mappings):
    with pytest.raises(AssertionError, match="wrong user name or password"):
        sign_in(client, "anna.berg", "wrong")
    assert not Assignment.objects.filter(provisioned__isnull=False).exists()


def test_metadata_describes_the_service_provider(client, saml_settings):
    xml = client.get("/sso/saml/metadata/").content.decode()
    assert 'entityID="http://testserver/sso/saml/metadata/"' in xml
    assert 'Location="http://testserver/sso/saml/acs/"' in xml
    assert 'AuthnRequestsSigned="true"' in xml
    assert "<ns1:X509Certificate>" in xml or "X509Certificate>" in xml


def test_the_idp_metadata_can_come_from_its_url(client, saml_settings, saml_idp, mappings, settings):
    from sociala.sso import saml

    options = settings.SOCIALA_SSO_PROVIDERS["saml"]
    options.pop("idp_metadata_xml")
    options["idp_metadata_url"] = f"{saml_idp.base_url}/metadata"
    saml.clear_caches()
    acs, fields = sign_in(client, "anna.berg")
    response = client.post(local_path(acs), fields)
    assert response.status_code == 302 and response["Location"] == "/"
    assert ExternalIdentity.objects.get(idp="saml").user.username == "anna.berg"


def test_a_transient_name_id_is_refused(client, saml_settings, mappings):
    acs, fields = sign_in(client, "tillfallig")
    response = client.post(local_path(acs), fields)
    assert response.status_code == 403
    assert_nothing_written(client, "transient NameID")
