"""Settings of the e-ID login, read from ``settings.SOCIALA_EID`` (a dict) over the defaults below.

Against a real provider set ``issuer`` (the provider's issuer URL; the discovery document is read from
``<issuer>/.well-known/openid-configuration``), ``client_id`` and ``client_secret`` as registered with
the provider, and ``pin_claim`` to the claim that carries the personal identity number (the Swedish
OIDC profile uses ``https://id.oidc.se/claim/personalIdentityNumber``). With no issuer, demo mode uses
the built-in simulator under /eid-simulator/ and outside demo mode the login is off.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings

SIMULATOR_CLIENT_ID = "sociala-portal"
SIMULATOR_PATH = "/eid-simulator"

DEFAULTS: dict = {
    "issuer": "",
    "client_id": "",
    "client_secret": "",
    # The claim in the ID token that holds the personal identity number.
    "pin_claim": "personal_identity_number",
    "scopes": "openid",
    # Requested authentication context, e.g. "http://id.elegnamnden.se/loa/1.0/loa3"; empty: none.
    "acr_values": "",
    # How the client authenticates at the token endpoint: client_secret_basic or client_secret_post.
    "token_endpoint_auth_method": "client_secret_basic",
    # Signature algorithms accepted on ID tokens ("none" and HMAC are never accepted).
    "algorithms": ["RS256", "PS256", "ES256"],
    # Seconds of clock difference tolerated on exp, iat and nbf.
    "leeway_seconds": 60,
    # Seconds to wait for the provider.
    "timeout_seconds": 10,
    # How long a started login may take before the callback is refused.
    "login_max_seconds": 600,
    # How long discovery documents and key sets are cached in the process.
    "metadata_cache_seconds": 3600,
}


@dataclass(frozen=True)
class EidConfig:
    """The relying party's configuration for one request."""

    issuer: str
    client_id: str
    client_secret: str
    pin_claim: str
    scopes: str
    acr_values: str
    token_endpoint_auth_method: str
    algorithms: tuple[str, ...]
    leeway_seconds: int
    timeout_seconds: int
    login_max_seconds: int
    metadata_cache_seconds: int
    uses_simulator: bool

    @property
    def is_configured(self) -> bool:
        return bool(self.issuer and self.client_id)


def _raw() -> dict:
    merged = dict(DEFAULTS)
    merged.update(getattr(settings, "SOCIALA_EID", {}) or {})
    return merged


def simulator_enabled() -> bool:
    """The simulator is served in demo mode only."""
    return bool(getattr(settings, "DEMO_MODE", False))


def simulator_client_secret() -> str:
    """The secret of the simulator's one registered client, derived from SECRET_KEY (both sides know it)."""
    return hmac.new(settings.SECRET_KEY.encode(), b"sociala-eid-simulator-client", hashlib.sha256).hexdigest()


def eid_config(request=None) -> EidConfig:
    """The configuration in force; in demo mode without an issuer, the simulator on this host."""
    raw = _raw()
    issuer = (raw["issuer"] or "").rstrip("/")
    uses_simulator = False
    client_id, client_secret = raw["client_id"], raw["client_secret"]
    if not issuer and simulator_enabled() and request is not None:
        issuer = request.build_absolute_uri(SIMULATOR_PATH)
        client_id, client_secret = SIMULATOR_CLIENT_ID, simulator_client_secret()
        uses_simulator = True
    return EidConfig(
        issuer=issuer,
        client_id=client_id,
        client_secret=client_secret,
        pin_claim=raw["pin_claim"],
        scopes=raw["scopes"],
        acr_values=raw["acr_values"],
        token_endpoint_auth_method=raw["token_endpoint_auth_method"],
        algorithms=tuple(a for a in raw["algorithms"] if a.upper() != "NONE" and not a.startswith("HS")),
        leeway_seconds=int(raw["leeway_seconds"]),
        timeout_seconds=int(raw["timeout_seconds"]),
        login_max_seconds=int(raw["login_max_seconds"]),
        metadata_cache_seconds=int(raw["metadata_cache_seconds"]),
        uses_simulator=uses_simulator,
    )
