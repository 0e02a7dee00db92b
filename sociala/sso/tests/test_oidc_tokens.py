"""ID tokens from the real provider that reach Sociala changed on the back channel: a man in the middle
between Sociala and the token endpoint (a transport that wraps the real HTTP one) alters, swaps or
delays the token response. Every one is refused and nothing is written."""

from __future__ import annotations

import base64
import json
import time
import urllib.parse

import pytest
import requests

from sociala.audit.models import AuditEvent
from sociala.integrations.eid import client as eid_client
from sociala.integrations.eid.client import code_challenge
from sociala.integrations.eid.transport import Response
from sociala.sso.models import ExternalIdentity
from sociala.sso.testing.flows import local_path, oidc_sign_in_at_idp

from .conftest import CLIENT_SECRET, OTHER_CLIENT_ID, PASSWORD, SHORT_CLIENT_ID

pytestmark = pytest.mark.django_db


class ManInTheMiddle:
    """Real HTTP, with the token endpoint's answer passed through ``change`` first."""

    def __init__(self, inner, change):
        self.inner, self.change = inner, change

    def get(self, url):
        return self.inner.get(url)

    def post_form(self, url, data, headers):
        response = self.inner.post_form(url, data, headers)
        body = self.change(response.json())
        return Response(response.status, json.dumps(body).encode())


@pytest.fixture
def intercept(monkeypatch):
    real = eid_client.default_transport

    def install(change):
        monkeypatch.setattr(
            eid_client, "default_transport", lambda config: ManInTheMiddle(real(config), change)
        )

    return install


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _payload(token: str) -> dict:
    return json.loads(_b64(token.split(".")[1]))


def refused_reason() -> tuple[str, str]:
    event = AuditEvent.objects.get(action="sso_login_refused")
    return event.details["reason"], event.details["detail"]


def run(client, username="anna.berg"):
    callback = oidc_sign_in_at_idp(client.get("/sso/oidc/login/")["Location"], username, PASSWORD)
    return client.get(local_path(callback))


def assert_refused_and_nothing_written(client, response):
    assert response.status_code == 403
    assert "Inloggningen kunde inte bekräftas" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not ExternalIdentity.objects.exists()


def test_the_untouched_token_is_accepted_through_the_same_wrapper(client, oidc_settings, mappings, intercept):
    seen = []
    intercept(lambda body: seen.append(_payload(body["id_token"])) or body)
    assert run(client)["Location"] == "/"
    assert seen[0]["groups"] == ["sociala-ifo-rinkeby"] and seen[0]["aud"] == "sociala-staff"


def test_a_token_whose_claims_were_changed_is_refused(client, oidc_settings, mappings, intercept):
    def add_a_group(body):
        header, payload, signature = body["id_token"].split(".")
        claims = json.loads(_b64(payload))
        claims["groups"] = [*claims["groups"], "sociala-chef-ao-bromma"]
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return {**body, "id_token": f"{header}.{forged}.{signature}"}

    intercept(add_a_group)
    assert_refused_and_nothing_written(client, run(client))
    assert refused_reason() == ("invalid_id_token", "InvalidSignatureError: Signature verification failed")


def test_a_token_issued_to_another_application_is_refused(
    client, oidc_settings, oidc_op, mappings, intercept
):
    """Token substitution: a valid, signed ID token of the same provider, with this session's nonce,
    but issued to another client."""
    authorize = client.get("/sso/oidc/login/")["Location"]
    nonce = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize).query))["nonce"]
    verifier = "v" * 50
    other = urllib.parse.urlsplit(authorize)._replace(
        query=urllib.parse.urlencode(
            {
                "client_id": OTHER_CLIENT_ID,
                "response_type": "code",
                "scope": "openid profile email groups",
                "redirect_uri": "http://testserver/sso/oidc/callback/",
                "state": "other-state",
                "nonce": nonce,
                "code_challenge": code_challenge(verifier),
                "code_challenge_method": "S256",
            }
        )
    )
    browser = requests.Session()
    other_callback = oidc_sign_in_at_idp(urllib.parse.urlunsplit(other), "anna.berg", PASSWORD, browser)
    code = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(other_callback).query))["code"]
    tokens = requests.post(
        oidc_op.issuer + "/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "http://testserver/sso/oidc/callback/",
            "code_verifier": verifier,
        },
        auth=(OTHER_CLIENT_ID, CLIENT_SECRET),
        timeout=10,
    ).json()
    assert _payload(tokens["id_token"])["aud"] == OTHER_CLIENT_ID
    assert _payload(tokens["id_token"])["nonce"] == nonce
    intercept(lambda body: {**body, "id_token": tokens["id_token"]})
    callback = oidc_sign_in_at_idp(authorize, "anna.berg", PASSWORD, browser)
    response = client.get(local_path(callback))
    assert_refused_and_nothing_written(client, response)
    assert refused_reason() == ("invalid_id_token", "InvalidAudienceError: Audience doesn't match")


def test_an_expired_token_is_refused(client, oidc_settings, mappings, intercept):
    options = oidc_settings.SOCIALA_SSO_PROVIDERS["oidc"]
    options.update(client_id=SHORT_CLIENT_ID, leeway_seconds=0)

    def arrive_late(body):
        claims = _payload(body["id_token"])
        assert claims["exp"] - claims["iat"] == 1
        time.sleep(2.1)  # the provider's one-second token is past its expiry when it arrives
        return body

    intercept(arrive_late)
    assert_refused_and_nothing_written(client, run(client))
    assert refused_reason() == ("invalid_id_token", "ExpiredSignatureError: Signature has expired")
