"""Staff sign-in over SAML 2.0 with pysaml2: this is the service provider (SP).

1. ``start_login`` makes an AuthnRequest for the identity provider, signed with the SP's key over the
   HTTP-Redirect binding, and returns the URL to send the browser to and the request's id; the caller
   keeps the id in the session.
2. The provider posts a Response to the assertion consumer service (HTTP-POST binding).
   ``finish_login`` lets pysaml2 check it: the XML signature of the assertion (or the response) with the
   provider's certificate from its metadata, the Destination and the SubjectConfirmation's Recipient
   (our ACS URL), InResponseTo (only the request this session sent; unsolicited responses are refused),
   the Audience (our entity id), NotBefore and NotOnOrAfter with a small clock tolerance, and the status.
   The issuer must be the configured provider. The NameID is the user's stable subject.
3. ``metadata_xml`` is the SP's metadata for the provider's administrator (entity id, ACS, certificate).
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from dataclasses import dataclass

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NAMEID_FORMAT_TRANSIENT
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from .conf import IdentityProvider
from .services import ExternalClaims

logger = logging.getLogger(__name__)


class SamlError(Exception):
    """The SAML sign-in failed; ``code`` for the log."""

    def __init__(self, code: str, detail: str = ""):
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}" if detail else code)


@dataclass(frozen=True)
class SpEndpoints:
    entity_id: str
    acs_url: str


_lock = threading.Lock()
_clients: dict[tuple, tuple[float, Saml2Client]] = {}
METADATA_CACHE_SECONDS = 3600


def clear_caches() -> None:
    with _lock:
        _clients.clear()


def _metadata_source(provider: IdentityProvider) -> dict:
    if provider["idp_metadata_xml"]:
        return {"inline": [provider["idp_metadata_xml"]]}
    if provider["idp_metadata_file"]:
        return {"local": [provider["idp_metadata_file"]]}
    return {"remote": [{"url": provider["idp_metadata_url"]}]}


def sp_config(provider: IdentityProvider, endpoints: SpEndpoints) -> SPConfig:
    xmlsec = provider["xmlsec_binary"] or shutil.which("xmlsec1")
    if not xmlsec:
        raise SamlError("not_configured", "the xmlsec1 program is not installed")
    config = SPConfig()
    config.load(
        {
            "entityid": endpoints.entity_id,
            "xmlsec_binary": xmlsec,
            "key_file": provider["sp_key_file"],
            "cert_file": provider["sp_cert_file"],
            "encryption_keypairs": [
                {"key_file": provider["sp_key_file"], "cert_file": provider["sp_cert_file"]}
            ],
            "metadata": _metadata_source(provider),
            "accepted_time_diff": int(provider["accepted_time_diff_seconds"]),
            "allow_unknown_attributes": True,
            "service": {
                "sp": {
                    "name": "Sociala",
                    "endpoints": {"assertion_consumer_service": [(endpoints.acs_url, BINDING_HTTP_POST)]},
                    "allow_unsolicited": False,
                    "authn_requests_signed": bool(provider["sign_authn_requests"]),
                    "want_assertions_signed": True,
                    "want_response_signed": False,
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "name_id_format_allow_create": True,
                    "signing_algorithm": SIG_RSA_SHA256,
                    "digest_algorithm": DIGEST_SHA256,
                }
            },
        }
    )
    return config


def saml_client(provider: IdentityProvider, endpoints: SpEndpoints) -> Saml2Client:
    """A client per provider and endpoints; the provider's metadata is read again after an hour."""
    key = (provider.name, endpoints, tuple(sorted((k, str(v)) for k, v in provider.options.items())))
    now = time.monotonic()
    with _lock:
        cached = _clients.get(key)
    if cached and now - cached[0] < METADATA_CACHE_SECONDS:
        return cached[1]
    try:
        client = Saml2Client(config=sp_config(provider, endpoints))
    except SamlError:
        raise
    except Exception as error:  # pysaml2 raises many kinds while loading metadata
        raise SamlError("provider_unavailable", f"{type(error).__name__}: {error}") from error
    with _lock:
        _clients[key] = (now, client)
    return client


def idp_entity_id(provider: IdentityProvider, client: Saml2Client) -> str:
    if provider["idp_entity_id"]:
        return provider["idp_entity_id"]
    found = list(client.metadata.identity_providers())
    if len(found) != 1:
        raise SamlError(
            "not_configured", f"{len(found)} identity providers in the metadata; set idp_entity_id"
        )
    return found[0]


def start_login(provider: IdentityProvider, endpoints: SpEndpoints, *, relay_state: str) -> tuple[str, str]:
    """The URL of the provider's single sign-on service with a (signed) AuthnRequest, and its id."""
    client = saml_client(provider, endpoints)
    sign = bool(provider["sign_authn_requests"])
    try:
        request_id, info = client.prepare_for_authenticate(
            entityid=idp_entity_id(provider, client),
            relay_state=relay_state,
            binding=BINDING_HTTP_REDIRECT,
            sign=sign,
            sigalg=SIG_RSA_SHA256 if sign else None,
            digest_alg=DIGEST_SHA256,
            nameid_format=NAMEID_FORMAT_PERSISTENT,
        )
    except SamlError:
        raise
    except Exception as error:
        raise SamlError("provider_unavailable", f"{type(error).__name__}: {error}") from error
    location = dict(info["headers"]).get("Location", "")
    if not location:
        raise SamlError("provider_unavailable", "no redirect location for the AuthnRequest")
    return location, request_id


def _first(ava: dict, name: str) -> str:
    values = ava.get(name) or []
    return str(values[0]).strip() if values else ""


def finish_login(
    provider: IdentityProvider, endpoints: SpEndpoints, *, saml_response: str, request_id: str
) -> ExternalClaims:
    """Verify the posted Response against the request this session sent, and read the user's claims."""
    if not saml_response:
        raise SamlError("invalid_response", "no SAMLResponse")
    if not request_id:
        raise SamlError("state_mismatch", "no outstanding request in this session")
    client = saml_client(provider, endpoints)
    try:
        response = client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding={request_id: endpoints.acs_url}
        )
    except Exception as error:  # pysaml2 signals every failed check with its own exception type
        raise SamlError("invalid_response", f"{type(error).__name__}: {error}") from error
    if response is None or response.assertion is None:
        raise SamlError("invalid_response", "no valid assertion")
    if response.in_response_to != request_id:
        raise SamlError("state_mismatch", "InResponseTo is not this session's request")
    expected_issuer = idp_entity_id(provider, client)
    if response.issuer() != expected_issuer:
        raise SamlError("invalid_response", f"issuer {response.issuer()!r} is not {expected_issuer!r}")
    name_id = response.name_id
    if getattr(name_id, "format", None) == NAMEID_FORMAT_TRANSIENT:
        # A transient NameID changes at every sign-in: it cannot identify the same user next time.
        raise SamlError("invalid_response", "transient NameID; the IdP must send a persistent one")
    subject = (getattr(name_id, "text", "") or "").strip()
    ava = response.get_identity() or {}
    groups = ava.get(provider["groups_attribute"]) or []
    return ExternalClaims(
        idp=provider.name,
        subject=subject,
        username=_first(ava, provider["username_attribute"]),
        given_name=_first(ava, provider["given_name_attribute"]),
        family_name=_first(ava, provider["family_name_attribute"]),
        email=_first(ava, provider["email_attribute"]),
        groups=tuple(str(g).strip() for g in groups if str(g).strip()),
    )


def metadata_xml(provider: IdentityProvider, endpoints: SpEndpoints) -> str:
    """This service provider's metadata, to register Sociala at the identity provider."""
    config = saml_client(provider, endpoints).config
    return str(entity_descriptor(config))
