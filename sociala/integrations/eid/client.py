"""The relying party: OpenID Connect Authorization Code flow with PKCE against an e-ID provider.

1. ``start_login`` reads the provider's discovery document and returns the authorization URL with a
   fresh ``state``, ``nonce`` and PKCE ``code_verifier`` (S256), which the caller keeps in the
   user's session (``PendingLogin``).
2. The provider sends the browser back to the redirect URI with ``code`` and ``state``.
   ``finish_login`` checks the state, redeems the code at the token endpoint (client secret and code
   verifier), verifies the ID token's signature with the provider's published keys (JWKS; a key set
   that lacks the token's ``kid`` is fetched again once, for key rotation), its issuer, audience,
   expiry, issue time and nonce, and returns the person's identity number from the configured claim.

Nothing here trusts the browser: the identity comes only from a verified ID token fetched over the
back channel.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass

import jwt
from django.utils.translation import gettext_lazy as _

from sociala.core.identity_numbers import InvalidIdentityNumber, parse_identity_number

from .conf import EidConfig
from .transport import Response, TransportError, UrllibTransport

DISCOVERY_PATH = "/.well-known/openid-configuration"


class EidError(Exception):
    """The login failed; ``code`` says why (for the log), ``message`` what to tell the person."""

    MESSAGES = {
        "not_configured": _("Inloggning med e-legitimation är inte påslagen här."),
        "provider_unavailable": _(
            "Vi når inte tjänsten för e-legitimation just nu. Försök igen om en stund."
        ),
        "cancelled": _("Inloggningen avbröts."),
        "provider_error": _("Inloggningen misslyckades hos tjänsten för e-legitimation. Försök igen."),
        "state_mismatch": _("Inloggningen gick inte att slutföra. Börja om från början."),
        "expired": _("Inloggningen tog för lång tid. Börja om från början."),
        "token_error": _("Inloggningen gick inte att slutföra. Försök igen."),
        "invalid_id_token": _("Inloggningen kunde inte bekräftas. Försök igen."),
        "nonce_mismatch": _("Inloggningen kunde inte bekräftas. Försök igen."),
        "no_identity_number": _("Din e-legitimation gav oss inget personnummer."),
    }

    def __init__(self, code: str, detail: str = ""):
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}" if detail else code)

    @property
    def message(self) -> str:
        return str(self.MESSAGES.get(self.code, self.MESSAGES["provider_error"]))


@dataclass(frozen=True)
class PendingLogin:
    """What the relying party remembers between the redirect to the provider and the callback."""

    state: str
    nonce: str
    code_verifier: str
    redirect_uri: str
    issuer: str
    started_at: float
    next_url: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> PendingLogin:
        return cls(**{key: data[key] for key in cls.__dataclass_fields__ if key in data})


@dataclass(frozen=True)
class EidIdentity:
    """A verified login: who the provider says the person is."""

    personal_identity_number: str
    issuer: str
    subject: str
    auth_time: int | None
    acr: str
    given_name: str
    family_name: str


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def code_challenge(verifier: str) -> str:
    """PKCE S256: BASE64URL(SHA256(ASCII(code_verifier))) (RFC 7636 4.2)."""
    return b64url(hashlib.sha256(verifier.encode("ascii")).digest())


# --- provider metadata, cached per process -------------------------------------------------------

_cache_lock = threading.Lock()
_discovery_cache: dict[str, tuple[float, dict]] = {}
_jwks_cache: dict[str, tuple[float, dict]] = {}


def clear_caches() -> None:
    with _cache_lock:
        _discovery_cache.clear()
        _jwks_cache.clear()


def default_transport(config: EidConfig):
    """Real HTTP; plain HTTP is allowed only towards the simulator."""
    return UrllibTransport(timeout=config.timeout_seconds, allow_http=config.uses_simulator)


class EidClient:
    """One relying party configuration with its HTTP transport."""

    def __init__(self, config: EidConfig, transport=None):
        if not config.is_configured:
            raise EidError("not_configured")
        self.config = config
        self.transport = transport or default_transport(config)

    # -- metadata --

    def _get_json(self, url: str) -> dict:
        try:
            response = self.transport.get(url)
            if response.status != 200:
                raise EidError("provider_unavailable", f"GET {url}: HTTP {response.status}")
            return response.json()
        except TransportError as error:
            raise EidError("provider_unavailable", str(error)) from error

    def discovery(self) -> dict:
        """The provider's discovery document; its issuer must be exactly the configured one."""
        issuer = self.config.issuer
        now = time.monotonic()
        with _cache_lock:
            cached = _discovery_cache.get(issuer)
        if cached and now - cached[0] < self.config.metadata_cache_seconds:
            return cached[1]
        document = self._get_json(issuer + DISCOVERY_PATH)
        if document.get("issuer") != issuer:
            raise EidError(
                "provider_unavailable", f"discovery issuer {document.get('issuer')!r} != {issuer!r}"
            )
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(document.get(key), str):
                raise EidError("provider_unavailable", f"discovery document lacks {key}")
        methods = document.get("code_challenge_methods_supported")
        if methods is not None and "S256" not in methods:
            raise EidError("provider_unavailable", "the provider does not support PKCE S256")
        with _cache_lock:
            _discovery_cache[issuer] = (now, document)
        return document

    def _jwks(self, *, refresh: bool = False) -> dict:
        uri = self.discovery()["jwks_uri"]
        now = time.monotonic()
        with _cache_lock:
            cached = _jwks_cache.get(uri)
        if cached and not refresh and now - cached[0] < self.config.metadata_cache_seconds:
            return cached[1]
        key_set = self._get_json(uri)
        if not isinstance(key_set.get("keys"), list):
            raise EidError("provider_unavailable", "the JWKS has no keys")
        with _cache_lock:
            _jwks_cache[uri] = (now, key_set)
        return key_set

    # -- step 1 --

    def start_login(
        self, *, redirect_uri: str, next_url: str = "", ui_locales: str = ""
    ) -> tuple[str, PendingLogin]:
        """The URL to send the browser to, and what to keep in the session until the callback."""
        document = self.discovery()
        pending = PendingLogin(
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            code_verifier=secrets.token_urlsafe(64),
            redirect_uri=redirect_uri,
            issuer=self.config.issuer,
            started_at=time.time(),
            next_url=next_url,
        )
        params = {
            "response_type": "code",
            "client_id": self.config.client_id,
            "redirect_uri": redirect_uri,
            "scope": self.config.scopes,
            "state": pending.state,
            "nonce": pending.nonce,
            "code_challenge": code_challenge(pending.code_verifier),
            "code_challenge_method": "S256",
        }
        if self.config.acr_values:
            params["acr_values"] = self.config.acr_values
        if ui_locales:
            params["ui_locales"] = ui_locales
        endpoint = document["authorization_endpoint"]
        separator = "&" if urllib.parse.urlsplit(endpoint).query else "?"
        return endpoint + separator + urllib.parse.urlencode(params), pending

    # -- step 2 --

    def finish_login(self, *, params: dict[str, str], pending: PendingLogin | None) -> EidIdentity:
        """Check the callback, redeem the code and verify the ID token."""
        state = params.get("state") or ""
        if pending is None or not state or not hmac.compare_digest(state, pending.state):
            raise EidError("state_mismatch")
        if pending.issuer != self.config.issuer:
            raise EidError("state_mismatch", "the login was started against another provider")
        if time.time() - pending.started_at > self.config.login_max_seconds:
            raise EidError("expired")
        if params.get("error"):
            code = "cancelled" if params["error"] == "access_denied" else "provider_error"
            raise EidError(code, f"{params['error']}: {params.get('error_description', '')}")
        code = params.get("code") or ""
        if not code:
            raise EidError("provider_error", "no code in the callback")
        tokens = self._redeem(code, pending)
        claims = self.verify_id_token(tokens.get("id_token"), nonce=pending.nonce)
        return self.identity_from_claims(claims)

    def _redeem(self, code: str, pending: PendingLogin) -> dict:
        document = self.discovery()
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": pending.redirect_uri,
            "code_verifier": pending.code_verifier,
        }
        headers: dict[str, str] = {}
        if self.config.token_endpoint_auth_method == "client_secret_post":  # noqa: S105 - a method name
            data["client_id"] = self.config.client_id
            data["client_secret"] = self.config.client_secret
        else:
            # RFC 6749 2.3.1: both parts form-urlencoded before Basic encoding.
            pair = f"{urllib.parse.quote(self.config.client_id, safe='')}:{urllib.parse.quote(self.config.client_secret, safe='')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
        try:
            response: Response = self.transport.post_form(document["token_endpoint"], data, headers)
            body = response.json()
        except TransportError as error:
            raise EidError("token_error", str(error)) from error
        if response.status != 200:
            raise EidError("token_error", f"HTTP {response.status}: {body.get('error', '')}")
        if not isinstance(body.get("id_token"), str):
            raise EidError("token_error", "no id_token in the token response")
        if str(body.get("token_type", "")).lower() != "bearer":
            raise EidError("token_error", "token_type is not Bearer")
        return body

    def verify_id_token(self, id_token, *, nonce: str) -> dict:
        """The ID token's claims after every check of OpenID Connect Core 3.1.3.7 that applies."""
        if not isinstance(id_token, str) or not id_token:
            raise EidError("invalid_id_token", "missing")
        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.PyJWTError as error:
            raise EidError("invalid_id_token", f"header: {error}") from error
        algorithm = header.get("alg")
        if algorithm not in self.config.algorithms:
            raise EidError("invalid_id_token", f"algorithm {algorithm!r} not accepted")
        key = self._signing_key(header, algorithm)
        try:
            claims = jwt.decode(
                id_token,
                key=key,
                algorithms=[algorithm],
                audience=self.config.client_id,
                issuer=self.config.issuer,
                leeway=self.config.leeway_seconds,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.PyJWTError as error:
            raise EidError("invalid_id_token", f"{type(error).__name__}: {error}") from error
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.config.client_id:
            raise EidError("invalid_id_token", "several audiences and azp is not this client")
        if "azp" in claims and claims["azp"] != self.config.client_id:
            raise EidError("invalid_id_token", "azp is another client")
        token_nonce = claims.get("nonce")
        if not isinstance(token_nonce, str) or not hmac.compare_digest(token_nonce, nonce):
            raise EidError("nonce_mismatch")
        return claims

    def _signing_key(self, header: dict, algorithm: str):
        kid = header.get("kid")
        for refresh in (False, True):
            candidates = []
            for entry in self._jwks(refresh=refresh)["keys"]:
                if entry.get("use", "sig") != "sig":
                    continue
                if kid is not None and entry.get("kid") != kid:
                    continue
                if entry.get("alg") not in (None, algorithm):
                    continue
                candidates.append(entry)
            if len(candidates) == 1 or (candidates and kid is not None):
                try:
                    return jwt.PyJWK(candidates[0], algorithm=algorithm).key
                except jwt.PyJWTError as error:
                    raise EidError("invalid_id_token", f"unusable key: {error}") from error
        raise EidError("invalid_id_token", f"no key {kid!r} in the provider's key set")

    def identity_from_claims(self, claims: dict) -> EidIdentity:
        raw = claims.get(self.config.pin_claim)
        if not isinstance(raw, str) or not raw.strip():
            raise EidError("no_identity_number", f"claim {self.config.pin_claim!r} missing")
        try:
            number = parse_identity_number(raw)
        except InvalidIdentityNumber as error:
            raise EidError("no_identity_number", f"claim {self.config.pin_claim!r}: {error.code}") from error
        auth_time = claims.get("auth_time")
        return EidIdentity(
            personal_identity_number=number.value,
            issuer=claims["iss"],
            subject=str(claims["sub"]),
            auth_time=auth_time if isinstance(auth_time, int) else None,
            acr=str(claims.get("acr", "")),
            given_name=str(claims.get("given_name", "")),
            family_name=str(claims.get("family_name", "")),
        )
