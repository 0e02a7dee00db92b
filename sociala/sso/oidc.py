"""Staff sign-in over OpenID Connect: the relying party of ``integrations.eid`` (Authorization Code with
PKCE, state and nonce, the ID token verified against the provider's JWKS) with a staff provider's
configuration, and the claims read as the staff member's subject, names and groups."""

from __future__ import annotations

from sociala.integrations.eid.client import EidClient, EidError, PendingLogin
from sociala.integrations.eid.conf import EidConfig

from .conf import IdentityProvider
from .services import ExternalClaims

__all__ = ["EidError", "PendingLogin", "StaffOidcClient", "claims_from_id_token", "client_for"]


def config_for(provider: IdentityProvider) -> EidConfig:
    options = provider.options
    return EidConfig(
        issuer=options["issuer"],
        client_id=options["client_id"],
        client_secret=options["client_secret"],
        pin_claim="",
        scopes=options["scopes"],
        acr_values=options["acr_values"],
        token_endpoint_auth_method=options["token_endpoint_auth_method"],
        algorithms=tuple(a for a in options["algorithms"] if a.upper() != "NONE" and not a.startswith("HS")),
        leeway_seconds=int(options["leeway_seconds"]),
        timeout_seconds=int(options["timeout_seconds"]),
        login_max_seconds=int(options["login_max_seconds"]),
        metadata_cache_seconds=int(options["metadata_cache_seconds"]),
        uses_simulator=False,
    )


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def claims_from_id_token(provider: IdentityProvider, claims: dict) -> ExternalClaims:
    groups = claims.get(provider["groups_claim"]) or []
    if isinstance(groups, str):
        groups = [groups]
    return ExternalClaims(
        idp=provider.name,
        subject=str(claims["sub"]),
        username=_text(claims.get(provider["username_claim"])) or _text(claims.get("email")),
        given_name=_text(claims.get("given_name")),
        family_name=_text(claims.get("family_name")),
        email=_text(claims.get("email")),
        groups=tuple(str(g) for g in groups if isinstance(g, str | int)),
    )


class StaffOidcClient(EidClient):
    """The e-ID relying party, returning the staff member's claims instead of a personal identity number."""

    def __init__(self, provider: IdentityProvider, transport=None):
        self.provider = provider
        super().__init__(config_for(provider), transport=transport)

    def identity_from_claims(self, claims: dict) -> ExternalClaims:  # type: ignore[override]  # staff claims, not a citizen's identity
        return claims_from_id_token(self.provider, claims)


def client_for(provider: IdentityProvider) -> StaffOidcClient:
    return StaffOidcClient(provider)
