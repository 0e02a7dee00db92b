"""Identity providers for staff sign-in, read from ``settings.SOCIALA_SSO_PROVIDERS``.

A dict keyed by a short name (used in URLs and stored with each external identity), for example::

    SOCIALA_SSO_PROVIDERS = {
        "azure": {
            "protocol": "oidc",
            "label": "Stadens konto",
            "issuer": "https://login.example.org/tenant/v2.0",
            "client_id": "...", "client_secret": "...",
            "groups_claim": "groups",
        },
        "adfs": {
            "protocol": "saml",
            "idp_metadata_url": "https://adfs.example.org/FederationMetadata/2007-06/FederationMetadata.xml",
            "sp_entity_id": "https://sociala.example.org/sso/adfs/metadata/",
            "sp_cert_file": "/etc/sociala/sp.crt", "sp_key_file": "/etc/sociala/sp.key",
            "groups_attribute": "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
        },
    }

settings.py fills one OpenID Connect provider (``oidc``) and one SAML provider (``saml``) from the
environment (see docs/operations.md). A provider without its required settings is left out, and with
none the sign-in page shows no button.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")

OIDC_DEFAULTS: dict = {
    # Sociala's address as the provider sees it, e.g. "https://sociala.example.org"; empty: from the request.
    "base_url": "",
    # False: a user whose role requires the second factor (SOCIALA_SECURITY) also gives Sociala's own
    # code after the provider; True: the provider's multi-factor authentication is trusted instead.
    "trust_idp_second_factor": False,
    "label": "",
    "issuer": "",
    "client_id": "",
    "client_secret": "",
    "scopes": "openid profile email groups",
    # The claim holding the user's groups (a list of names or ids).
    "groups_claim": "groups",
    # The claim used for the user name on first sign-in (the subject is what identifies the user).
    "username_claim": "preferred_username",
    "token_endpoint_auth_method": "client_secret_basic",
    "acr_values": "",
    "algorithms": ["RS256", "PS256", "ES256"],
    "leeway_seconds": 60,
    "timeout_seconds": 10,
    "login_max_seconds": 600,
    "metadata_cache_seconds": 3600,
}

SAML_DEFAULTS: dict = {
    # Sociala's address as the provider sees it, e.g. "https://sociala.example.org"; empty: from the request.
    "base_url": "",
    # False: a user whose role requires the second factor (SOCIALA_SECURITY) also gives Sociala's own
    # code after the provider; True: the provider's multi-factor authentication is trusted instead.
    "trust_idp_second_factor": False,
    "label": "",
    # The identity provider's metadata: a URL, a file, or the XML itself.
    "idp_metadata_url": "",
    "idp_metadata_file": "",
    "idp_metadata_xml": "",
    # The provider's entity id; empty: the only one in the metadata.
    "idp_entity_id": "",
    # This service provider: entity id (empty: the metadata URL) and its signing key and certificate.
    "sp_entity_id": "",
    "sp_cert_file": "",
    "sp_key_file": "",
    # Attribute names in the assertion.
    "groups_attribute": "groups",
    "username_attribute": "uid",
    "given_name_attribute": "givenName",
    "family_name_attribute": "sn",
    "email_attribute": "mail",
    # Sign the AuthnRequest (needs sp_key_file); the IdP's assertions must always be signed.
    "sign_authn_requests": True,
    "accepted_time_diff_seconds": 60,
    "login_max_seconds": 600,
    "xmlsec_binary": "",
}


@dataclass(frozen=True)
class IdentityProvider:
    """One configured identity provider."""

    name: str
    protocol: str  # "oidc" or "saml"
    label: str
    options: dict = field(default_factory=dict)

    def __getitem__(self, key: str):
        return self.options[key]

    @property
    def button_text(self) -> str:
        return self.label or str(_("Logga in med organisationens konto"))


def _complete(name: str, raw: dict) -> IdentityProvider | None:
    protocol = raw.get("protocol", "")
    if not NAME_PATTERN.match(name):
        raise ValueError(f"SOCIALA_SSO_PROVIDERS: {name!r} is not a valid provider name (a-z, 0-9, -)")
    if protocol == "oidc":
        options = {**OIDC_DEFAULTS, **raw}
        options["issuer"] = (options["issuer"] or "").rstrip("/")
        if not (options["issuer"] and options["client_id"]):
            return None
    elif protocol == "saml":
        options = {**SAML_DEFAULTS, **raw}
        if not (options["idp_metadata_url"] or options["idp_metadata_file"] or options["idp_metadata_xml"]):
            return None
        if not (options["sp_cert_file"] and options["sp_key_file"]):
            return None
    else:
        raise ValueError(f"SOCIALA_SSO_PROVIDERS[{name!r}]: protocol must be 'oidc' or 'saml'")
    return IdentityProvider(
        name=name, protocol=protocol, label=str(options.get("label") or ""), options=options
    )


def identity_providers() -> list[IdentityProvider]:
    """The configured providers, in the order of the setting."""
    found = []
    for name, raw in (getattr(settings, "SOCIALA_SSO_PROVIDERS", {}) or {}).items():
        provider = _complete(name, raw or {})
        if provider is not None:
            found.append(provider)
    return found


def identity_provider(name: str) -> IdentityProvider | None:
    return next((p for p in identity_providers() if p.name == name), None)
