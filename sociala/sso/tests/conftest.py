"""Real identity providers on localhost for the SSO tests, and the group mappings of the test city."""

from __future__ import annotations

import pytest

from sociala.accounts.choices import Role
from sociala.integrations.eid import client as eid_client
from sociala.sso import saml
from sociala.sso.services import add_group_mapping
from sociala.sso.testing.certs import make_key_pair
from sociala.sso.testing.oidc_op import start_op
from sociala.sso.testing.saml_idp import SamlTestIdp

CLIENT_ID = "sociala-staff"
CLIENT_SECRET = "test-client-secret-0123456789abcdef"
OTHER_CLIENT_ID = "another-application"
SHORT_CLIENT_ID = "sociala-short-lived-tokens"

USERS = {
    # A caseworker in Rinkeby-Kista's individual and family unit.
    "anna.berg": {
        "sub": "8f2c9d1e-anna",
        "given_name": "Anna",
        "family_name": "Berg",
        "groups": ["sociala-ifo-rinkeby"],
    },
    # Caseworker there, and manager of the elderly care unit in Bromma.
    "bo.ek": {
        "sub": "77aa01bb-bo",
        "given_name": "Bo",
        "family_name": "Ek",
        "groups": ["sociala-ifo-rinkeby", "sociala-chef-ao-bromma", "Domain Users"],
    },
    # Only groups Sociala does not know.
    "nils.holm": {
        "sub": "5e5e5e5e-nils",
        "given_name": "Nils",
        "family_name": "Holm",
        "groups": ["Domain Users", "kantin"],
    },
}
PASSWORD = "idp-test-password"


@pytest.fixture(scope="session")
def oidc_op():
    users = {name: {**u, "password": PASSWORD, "email": f"{name}@stad.example"} for name, u in USERS.items()}
    callback = ["http://testserver/sso/oidc/callback/"]
    op = start_op(
        clients=[
            {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": callback},
            # Another application registered at the same provider (its tokens are not for Sociala).
            {"client_id": OTHER_CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": callback},
            # Sociala as a client whose ID tokens last one second.
            {
                "client_id": SHORT_CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": callback,
                "id_token_ttl": 1,
            },
        ],
        users=users,
    )
    yield op
    op.stop()


@pytest.fixture(scope="session")
def saml_idp(tmp_path_factory):
    users = {
        name: {
            "password": PASSWORD,
            "subject": u["sub"],
            "givenName": u["given_name"],
            "sn": u["family_name"],
            "mail": f"{name}@stad.example",
            "groups": u["groups"],
        }
        for name, u in USERS.items()
    }
    users["tillfallig"] = {**users["anna.berg"], "subject": "", "transient": True}
    idp = SamlTestIdp(tmp_path_factory.mktemp("saml-idp"), users).start()
    yield idp
    idp.stop()


@pytest.fixture(scope="session")
def sp_keys(tmp_path_factory):
    return make_key_pair(tmp_path_factory.mktemp("saml-sp"), "sociala-sp")


@pytest.fixture
def oidc_settings(settings, oidc_op):
    eid_client.clear_caches()
    settings.SOCIALA_SSO_PROVIDERS = {
        "oidc": {
            "protocol": "oidc",
            "issuer": oidc_op.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        }
    }
    yield settings
    eid_client.clear_caches()


@pytest.fixture
def saml_settings(settings, saml_idp, sp_keys, client):
    """Sociala trusts the IdP's metadata; the IdP trusts the SP metadata that Sociala publishes."""
    saml.clear_caches()
    key_file, cert_file = sp_keys
    settings.SOCIALA_SSO_PROVIDERS = {
        "saml": {
            "protocol": "saml",
            "idp_metadata_xml": saml_idp.metadata_xml(),
            "sp_key_file": str(key_file),
            "sp_cert_file": str(cert_file),
        }
    }
    response = client.get("/sso/saml/metadata/")
    assert response.status_code == 200
    saml_idp.trust_sp(response.content.decode())
    saml_idp.lifetime_minutes = 5
    yield settings
    saml.clear_caches()
    saml_idp.lifetime_minutes = 5


@pytest.fixture
def mappings(city):
    """The city's groups: IFO caseworkers in Rinkeby-Kista, the elderly care manager in Bromma."""
    admin = city.users["admin"]
    rows = {}
    for idp in ("oidc", "saml"):
        rows[(idp, "ifo")] = add_group_mapping(
            actor=admin,
            idp=idp,
            group="sociala-ifo-rinkeby",
            role=Role.CASEWORKER,
            unit=city.unit("Rinkeby-Kista", "individual_family"),
        )
        rows[(idp, "chef")] = add_group_mapping(
            actor=admin,
            idp=idp,
            group="sociala-chef-ao-bromma",
            role=Role.UNIT_MANAGER,
            unit=city.unit("Bromma", "elderly"),
        )
    return rows
