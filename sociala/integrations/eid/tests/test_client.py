"""The relying party on its own: the whole flow against the simulator, and every way an ID token
must be refused."""

from __future__ import annotations

import time
import urllib.parse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client

from sociala.integrations.eid.client import EidClient, EidError, PendingLogin, code_challenge
from sociala.integrations.eid.conf import SIMULATOR_CLIENT_ID, eid_config
from sociala.integrations.eid.simulator import keys
from sociala.tests.factories import make_person

ISSUER = "http://testserver/eid-simulator"


def test_the_client_logs_in_against_the_simulator_without_the_portal(city, transport, rf):
    """start_login → the provider's page → finish_login, as any relying party would use the adapter."""
    person = make_person(city)
    rp = EidClient(eid_config(rf.get("/")), transport=transport)
    url, pending = rp.start_login(redirect_uri="http://testserver/somewhere/callback", next_url="/portal/")
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    assert params["code_challenge"] == code_challenge(pending.code_verifier)
    browser = Client()
    back = browser.post(
        urllib.parse.urlsplit(url).path, {**params, "chosen": person.personal_identity_number}
    )
    callback = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(back["Location"]).query))
    identity = rp.finish_login(params=callback, pending=PendingLogin.from_dict(pending.as_dict()))
    assert identity.personal_identity_number == person.personal_identity_number
    assert identity.issuer == ISSUER
    assert identity.acr == "http://id.elegnamnden.se/loa/1.0/loa3"
    assert (identity.given_name, identity.family_name) == (person.first_name, person.last_name)
    assert len(identity.subject) == 32 and person.personal_identity_number not in identity.subject


def test_the_simulator_is_closed_outside_demo_mode(settings, db):
    settings.DEMO_MODE = False
    browser = Client()
    for url in (
        "/eid-simulator/.well-known/openid-configuration",
        "/eid-simulator/jwks.json",
        "/eid-simulator/authorize",
    ):
        assert browser.get(url).status_code == 404
    assert browser.post("/eid-simulator/token").status_code == 404
    assert browser.post("/portal/login/start/").status_code == 503


# --- the ID token checks -------------------------------------------------------------------------


@pytest.fixture
def rp(transport, rf):
    """The relying party as configured for the simulator on http://testserver."""
    return EidClient(eid_config(rf.get("/")), transport=transport)


def _claims(**changes) -> dict:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": "abc",
        "aud": SIMULATOR_CLIENT_ID,
        "exp": now + 300,
        "iat": now,
        "nonce": "the-nonce",
        "personal_identity_number": "194001079120",
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _sign(claims: dict, key=None, kid=None, algorithm="RS256") -> str:
    return jwt.encode(
        claims,
        key or keys.signing_key(),
        algorithm=algorithm,
        headers={"kid": kid or keys.public_jwk()["kid"]},
    )


def test_a_valid_token_gives_the_identity_number(rp, db):
    identity = rp.identity_from_claims(rp.verify_id_token(_sign(_claims()), nonce="the-nonce"))
    assert identity.personal_identity_number == "194001079120"
    assert identity.subject == "abc"


@pytest.mark.parametrize(
    ("token", "code", "detail"),
    [
        pytest.param(
            lambda: _sign(_claims(), key=rsa.generate_private_key(public_exponent=65537, key_size=2048)),
            "invalid_id_token",
            "InvalidSignatureError",
            id="wrong-signature",
        ),
        pytest.param(lambda: _sign(_claims(nonce="another")), "nonce_mismatch", "", id="wrong-nonce"),
        pytest.param(lambda: _sign(_claims(nonce=None)), "nonce_mismatch", "", id="no-nonce"),
        pytest.param(
            lambda: _sign(_claims(aud="another-client")),
            "invalid_id_token",
            "InvalidAudienceError",
            id="wrong-audience",
        ),
        pytest.param(
            lambda: _sign(_claims(aud=[SIMULATOR_CLIENT_ID, "other"])),
            "invalid_id_token",
            "several audiences",
            id="several-audiences-without-azp",
        ),
        pytest.param(
            lambda: _sign(_claims(exp=int(time.time()) - 120, iat=int(time.time()) - 600)),
            "invalid_id_token",
            "ExpiredSignatureError",
            id="expired",
        ),
        pytest.param(
            lambda: _sign(_claims(iss="http://evil.example")),
            "invalid_id_token",
            "InvalidIssuerError",
            id="wrong-issuer",
        ),
        pytest.param(
            lambda: _sign(_claims(iat=int(time.time()) + 3600)),
            "invalid_id_token",
            "ImmatureSignatureError",
            id="issued-in-the-future",
        ),
        pytest.param(
            lambda: _sign(_claims(exp=None)), "invalid_id_token", "MissingRequiredClaimError", id="no-expiry"
        ),
        pytest.param(
            lambda: _sign(_claims(), kid="unknown-key"),
            "invalid_id_token",
            "no key 'unknown-key'",
            id="unknown-key",
        ),
        pytest.param(
            lambda: jwt.encode(_claims(), "secret-secret-secret-secret-32by", algorithm="HS256"),
            "invalid_id_token",
            "algorithm 'HS256' not accepted",
            id="hmac",
        ),
        pytest.param(
            lambda: jwt.encode(_claims(), None, algorithm="none"),
            "invalid_id_token",
            "algorithm 'none'",
            id="unsigned",
        ),
    ],
)
def test_a_bad_id_token_is_refused(rp, db, token, code, detail):
    with pytest.raises(EidError) as refused:
        rp.verify_id_token(token(), nonce="the-nonce")
    assert refused.value.code == code
    assert detail in refused.value.detail


def test_a_token_without_the_identity_claim_is_refused(rp, db):
    claims = rp.verify_id_token(_sign(_claims(personal_identity_number=None)), nonce="the-nonce")
    with pytest.raises(EidError) as refused:
        rp.identity_from_claims(claims)
    assert refused.value.code == "no_identity_number"


def test_the_claim_name_is_a_setting(settings, transport, rf, db):
    settings.SOCIALA_EID = {"pin_claim": "https://id.oidc.se/claim/personalIdentityNumber"}
    rp = EidClient(eid_config(rf.get("/")), transport=transport)
    token = _sign(_claims(**{"https://id.oidc.se/claim/personalIdentityNumber": "194001079120"}))
    assert (
        rp.identity_from_claims(rp.verify_id_token(token, nonce="the-nonce")).personal_identity_number
        == "194001079120"
    )


def test_a_callback_after_the_time_limit_is_refused(rp):
    pending = PendingLogin(
        state="s",
        nonce="n",
        code_verifier="v" * 43,
        redirect_uri="x",
        issuer=ISSUER,
        started_at=time.time() - 3600,
    )
    with pytest.raises(EidError) as refused:
        rp.finish_login(params={"state": "s", "code": "c"}, pending=pending)
    assert refused.value.code == "expired"


def test_pkce_challenge_matches_rfc_7636_appendix_b():
    assert (
        code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )


def test_a_real_provider_is_configured_by_settings(settings, rf):
    settings.SOCIALA_EID = {
        "issuer": "https://eid.example.se/oidc/",
        "client_id": "sociala",
        "client_secret": "s3cret",
    }
    config = eid_config(rf.get("/"))
    assert (config.issuer, config.client_id, config.uses_simulator) == (
        "https://eid.example.se/oidc",
        "sociala",
        False,
    )
    settings.DEMO_MODE = False
    settings.SOCIALA_EID = {}
    assert not eid_config(rf.get("/")).is_configured
