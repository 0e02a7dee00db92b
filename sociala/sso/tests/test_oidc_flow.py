"""OpenID Connect sign-in end to end against panva's oidc-provider running on localhost."""

from __future__ import annotations

import urllib.parse
from datetime import timedelta

import pytest

from sociala.accounts.models import Assignment, User
from sociala.audit.models import AuditEvent
from sociala.sso.models import ExternalIdentity, ProvisionedAssignment
from sociala.sso.testing.flows import local_path, oidc_sign_in_at_idp

from .conftest import CLIENT_ID, PASSWORD

pytestmark = pytest.mark.django_db


def start(client, next_url=""):
    response = client.get("/sso/oidc/login/" + (f"?next={urllib.parse.quote(next_url)}" if next_url else ""))
    assert response.status_code == 302, response.content[:300]
    return response["Location"]


def query_of(url: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def with_query(url: str, **changes) -> str:
    parts = urllib.parse.urlsplit(url)
    query = {**dict(urllib.parse.parse_qsl(parts.query)), **changes}
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def test_sign_in_provisions_the_user_and_lands_on_the_start_page(client, oidc_settings, oidc_op, mappings):
    authorize = start(client)
    params = query_of(authorize)
    assert authorize.startswith(oidc_op.issuer + "/auth?")
    assert params["client_id"] == CLIENT_ID and params["code_challenge_method"] == "S256"
    assert params["response_type"] == "code" and params["state"] and params["nonce"]
    callback = oidc_sign_in_at_idp(authorize, "anna.berg", PASSWORD)
    assert callback.startswith("http://testserver/sso/oidc/callback/?code=")
    response = client.get(local_path(callback))
    assert response.status_code == 302 and response["Location"] == "/"
    user = ExternalIdentity.objects.get(idp="oidc", subject="8f2c9d1e-anna").user
    assert (user.username, user.get_full_name(), user.email) == (
        "anna.berg",
        "Anna Berg",
        "anna.berg@stad.example",
    )
    assert [(a.role, a.unit.name) for a in user.assignments.all()] == [
        ("caseworker", "Individ- och familjeomsorg Rinkeby-Kista")
    ]
    assert int(client.session["_auth_user_id"]) == user.pk
    start_page = client.get("/")
    assert start_page.status_code == 200
    assert "Anna Berg" in start_page.content.decode()


def test_next_page_is_kept_through_the_provider(client, oidc_settings, mappings):
    callback = oidc_sign_in_at_idp(start(client, "/persons/"), "anna.berg", PASSWORD)
    response = client.get(local_path(callback))
    assert response["Location"] == "/persons/"


def test_groups_are_applied_again_at_each_sign_in_and_local_assignments_are_kept(
    client, oidc_settings, mappings, city, today
):
    callback = oidc_sign_in_at_idp(start(client), "bo.ek", PASSWORD)
    client.get(local_path(callback))
    user = ExternalIdentity.objects.get(idp="oidc", subject="77aa01bb-bo").user
    assert user.assignments.count() == 2
    # An administrator gives Bo an assignment by hand; the provider knows nothing of it.
    from sociala.accounts.services.administration import add_assignment

    local = add_assignment(
        actor=city.users["admin.lokal"],
        user=user,
        role="caseworker",
        unit=city.unit("Rinkeby-Kista", "elderly"),
        valid_from=today,
    )
    # The mapping of the manager's group ends: at the next sign-in that assignment ends, nothing else.
    from sociala.sso.services import end_group_mapping

    end_group_mapping(
        actor=city.users["admin"], mapping=mappings[("oidc", "chef")], last_day=today - timedelta(days=1)
    )
    client.logout()
    callback = oidc_sign_in_at_idp(start(client), "bo.ek", PASSWORD)
    assert client.get(local_path(callback)).status_code == 302
    active = sorted((a.role, a.unit.name) for a in user.assignments.all() if a.is_active_on(today))
    assert active == [
        ("caseworker", "Individ- och familjeomsorg Rinkeby-Kista"),
        ("caseworker", "Äldreomsorg, myndighet Rinkeby-Kista"),
    ]
    local.refresh_from_db()
    assert local.valid_to is None
    ended = AuditEvent.objects.get(action="sso_end_assignment")
    assert ended.details["group"] == "sociala-chef-ao-bromma"
    assert ended.details["valid_to"] == (today - timedelta(days=1)).isoformat()
    # Still one identity and one user; the username was not taken twice.
    assert ExternalIdentity.objects.filter(user=user).count() == 1
    assert User.objects.filter(username__startswith="bo.ek").count() == 1


def test_wrong_state_is_refused(client, oidc_settings, mappings):
    callback = oidc_sign_in_at_idp(start(client), "anna.berg", PASSWORD)
    response = client.get(local_path(with_query(callback, state="forged-state")))
    assert response.status_code == 403
    assert "Börja om från början" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not ExternalIdentity.objects.exists()
    assert AuditEvent.objects.get(action="sso_login_refused").details["reason"] == "state_mismatch"


def test_wrong_nonce_is_refused(client, oidc_settings, mappings):
    # The provider is asked with another nonce than the one this session remembers.
    authorize = with_query(start(client), nonce="a-nonce-this-session-never-made")
    callback = oidc_sign_in_at_idp(authorize, "anna.berg", PASSWORD)
    response = client.get(local_path(callback))
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert not ExternalIdentity.objects.exists()
    assert AuditEvent.objects.get(action="sso_login_refused").details["reason"] == "nonce_mismatch"


def test_a_code_challenge_this_session_did_not_make_is_refused(client, oidc_settings, mappings):
    # PKCE: the provider is given the challenge of a verifier that only an attacker knows; redeeming the
    # code with this session's verifier fails at the provider's token endpoint.
    from sociala.integrations.eid.client import code_challenge

    authorize = with_query(start(client), code_challenge=code_challenge("an-attackers-verifier-" + "x" * 40))
    callback = oidc_sign_in_at_idp(authorize, "anna.berg", PASSWORD)
    response = client.get(local_path(callback))
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert not ExternalIdentity.objects.exists()
    refused = AuditEvent.objects.get(action="sso_login_refused")
    assert refused.details["reason"] == "token_error"
    assert "invalid_grant" in refused.details["detail"]


def test_a_replayed_callback_is_refused(client, oidc_settings, mappings):
    callback = oidc_sign_in_at_idp(start(client), "anna.berg", PASSWORD)
    assert client.get(local_path(callback)).status_code == 302
    client.logout()
    response = client.get(local_path(callback))
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_unmapped_groups_get_a_refusal_and_no_session(client, oidc_settings, mappings):
    callback = oidc_sign_in_at_idp(start(client), "nils.holm", PASSWORD)
    response = client.get(local_path(callback))
    assert response.status_code == 403
    assert "ger ingen behörighet i Sociala" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not ExternalIdentity.objects.exists()
    assert not User.objects.filter(username="nils.holm").exists()
    assert not Assignment.objects.filter(provisioned__isnull=False).exists()
    refused = AuditEvent.objects.get(action="sso_login_refused")
    assert refused.details["reason"] == "no_group" and refused.details["subject"] == "5e5e5e5e-nils"


def test_a_locked_user_name_is_refused_after_the_provider(client, oidc_settings, mappings, settings):
    from sociala.accounts.services import record_login_failure

    callback = oidc_sign_in_at_idp(start(client), "anna.berg", PASSWORD)
    client.get(local_path(callback))
    client.logout()
    for _ in range(5):
        record_login_failure("anna.berg", "10.0.0.9")
    callback = oidc_sign_in_at_idp(start(client), "anna.berg", PASSWORD)
    response = client.get(local_path(callback))
    assert response.status_code == 403
    assert "För många misslyckade inloggningar" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not ProvisionedAssignment.objects.filter(assignment__valid_to__isnull=False).exists()
    assert AuditEvent.objects.filter(action="sso_login_refused").get().details["reason"] == "locked"
