"""The e-ID simulator: an OpenID Connect provider for demo mode and tests, served under /eid-simulator/.

It speaks the protocol a real provider speaks (discovery, JWKS, authorization endpoint, token endpoint
with client authentication and PKCE S256, RS256-signed ID tokens), so the relying party runs unchanged
against it. Instead of a real e-ID, the tester picks a test person from the database or types a
personnummer. Every page answers 404 outside demo mode.

Authorization codes are signed, short-lived and single use (the code's id is remembered in the cache
until it expires), so nothing needs a table of its own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
import urllib.parse
from datetime import date
from functools import lru_cache
from pathlib import Path

import jwt
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.backends.django import DjangoTemplates
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sociala.core.identity_numbers import InvalidIdentityNumber, parse_identity_number
from sociala.integrations.eid.client import code_challenge
from sociala.integrations.eid.conf import (
    SIMULATOR_CLIENT_ID,
    SIMULATOR_PATH,
    simulator_client_secret,
    simulator_enabled,
)
from sociala.people.models import Person, name_key

from . import keys

CODE_SALT = "sociala.eid-simulator.code"
CODE_SECONDS = 120
ID_TOKEN_SECONDS = 300
# The Swedish e-ID framework's level of assurance 3 (what BankID and Freja eID+ give).
ACR_LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
PERSONS_SHOWN = 25
PIN_CLAIM = "personal_identity_number"

_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@lru_cache(maxsize=1)
def _engine() -> DjangoTemplates:
    return DjangoTemplates(
        {
            "NAME": "eid_simulator",
            "DIRS": [str(_TEMPLATES)],
            "APP_DIRS": False,
            "OPTIONS": {"context_processors": ["django.template.context_processors.i18n"]},
        }
    )


def _render(request, name: str, context: dict, status: int = 200) -> HttpResponse:
    html = _engine().get_template(name).render(context, request)
    response = HttpResponse(html, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _require_demo() -> None:
    if not simulator_enabled():
        raise Http404


def issuer_for(request) -> str:
    return request.build_absolute_uri(SIMULATOR_PATH)


def _endpoint(request, name: str) -> str:
    return f"{issuer_for(request)}/{name}"


@require_GET
def discovery(request):
    """OpenID Provider Metadata (OpenID Connect Discovery 1.0, section 3)."""
    _require_demo()
    return JsonResponse(
        {
            "issuer": issuer_for(request),
            "authorization_endpoint": _endpoint(request, "authorize"),
            "token_endpoint": _endpoint(request, "token"),
            "jwks_uri": _endpoint(request, "jwks.json"),
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "profile"],
            "claims_supported": [
                "iss",
                "sub",
                "aud",
                "exp",
                "iat",
                "auth_time",
                "nonce",
                "acr",
                "given_name",
                "family_name",
                "name",
                "birthdate",
                PIN_CLAIM,
            ],
            "acr_values_supported": [ACR_LOA3],
            "ui_locales_supported": ["sv", "en"],
        }
    )


@require_GET
def jwks(request):
    """The public signing key (RFC 7517)."""
    _require_demo()
    return JsonResponse({"keys": [keys.public_jwk()]})


def _redirect_error(redirect_uri: str, state: str, error: str, description: str = "") -> HttpResponseRedirect:
    params = {"error": error, "state": state}
    if description:
        params["error_description"] = description
    separator = "&" if urllib.parse.urlsplit(redirect_uri).query else "?"
    return HttpResponseRedirect(redirect_uri + separator + urllib.parse.urlencode(params))


def _same_origin(request, url: str) -> bool:
    """The simulator's one client may only be sent back to the host that serves the simulator."""
    parts = urllib.parse.urlsplit(url)
    own = urllib.parse.urlsplit(request.build_absolute_uri("/"))
    return (parts.scheme, parts.netloc) == (own.scheme, own.netloc) and not parts.fragment


AUTH_PARAMS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "acr_values",
    "ui_locales",
)


def _persons(query: str):
    adult_born_before = date.today().replace(year=date.today().year - 18)
    persons = Person.objects.filter(is_deceased=False, birth_date__lte=adult_born_before)
    query = (query or "").strip()
    if query:
        digits = "".join(ch for ch in query if ch.isdigit())
        if len(digits) >= 6 and len(digits) == len(query.replace("-", "").replace(" ", "")):
            persons = persons.filter(personal_identity_number__contains=digits)
        else:
            for word in name_key(query).split():
                persons = persons.filter(
                    Q(first_name_key__startswith=word) | Q(last_name_key__startswith=word)
                )
    return persons.order_by("last_name_key", "first_name_key", "pk")[:PERSONS_SHOWN]


@never_cache
@require_http_methods(["GET", "POST"])
def authorize(request):
    """The authorization endpoint: pick a test person (instead of opening the e-ID app)."""
    _require_demo()
    source = request.POST if request.method == "POST" else request.GET
    params = {name: source.get(name, "") for name in AUTH_PARAMS}
    # Errors in the client or the redirect URI are shown here, never sent back (RFC 6749 4.1.2.1).
    if params["client_id"] != SIMULATOR_CLIENT_ID:
        return _render(request, "eid_simulator/error.html", {"error": _("Okänd klient (client_id).")}, 400)
    if not params["redirect_uri"] or not _same_origin(request, params["redirect_uri"]):
        return _render(
            request,
            "eid_simulator/error.html",
            {"error": _("Otillåten återhoppsadress (redirect_uri).")},
            400,
        )
    redirect_uri, state = params["redirect_uri"], params["state"]
    if params["response_type"] != "code":
        return _redirect_error(redirect_uri, state, "unsupported_response_type")
    if "openid" not in params["scope"].split():
        return _redirect_error(redirect_uri, state, "invalid_scope", "scope must include openid")
    if not params["code_challenge"] or params["code_challenge_method"] != "S256":
        return _redirect_error(redirect_uri, state, "invalid_request", "PKCE with S256 is required")
    if not params["nonce"]:
        return _redirect_error(redirect_uri, state, "invalid_request", "nonce is required")

    error = ""
    typed = ""
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            return _redirect_error(redirect_uri, state, "access_denied", "the user cancelled")
        typed = (request.POST.get("personal_identity_number") or "").strip()
        try:
            number = parse_identity_number(request.POST.get("chosen") or typed)
        except InvalidIdentityNumber as problem:
            error = problem.message
        else:
            code = _issue_code(params, number.value)
            separator = "&" if urllib.parse.urlsplit(redirect_uri).query else "?"
            return HttpResponseRedirect(
                redirect_uri + separator + urllib.parse.urlencode({"code": code, "state": state})
            )
    query = request.GET.get("q", "") if request.method == "GET" else ""
    return _render(
        request,
        "eid_simulator/authorize.html",
        {
            "params": params,
            "persons": list(_persons(query)),
            "query": query,
            "typed": typed,
            "error": error,
        },
        400 if error else 200,
    )


def _issue_code(params: dict, number: str) -> str:
    payload = {
        "pin": number,
        "nonce": params["nonce"],
        "client_id": params["client_id"],
        "redirect_uri": params["redirect_uri"],
        "code_challenge": params["code_challenge"],
        "auth_time": int(time.time()),
        "jti": secrets.token_urlsafe(16),
    }
    return signing.dumps(payload, salt=CODE_SALT, compress=True)


def _token_error(error: str, description: str = "", status: int = 400) -> JsonResponse:
    body = {"error": error}
    if description:
        body["error_description"] = description
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    if status == 401:
        response["WWW-Authenticate"] = 'Basic realm="eid-simulator"'
    return response


def _client_credentials(request) -> tuple[str, str]:
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        try:
            decoded = base64.b64decode(header[6:], validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return "", ""
        client_id, _sep, secret = decoded.partition(":")
        return urllib.parse.unquote(client_id), urllib.parse.unquote(secret)
    return request.POST.get("client_id", ""), request.POST.get("client_secret", "")


def subject_for(number: str) -> str:
    """A pairwise subject: stable for the person and this client, without revealing the number."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{SIMULATOR_CLIENT_ID}:{number}".encode(), hashlib.sha256
    ).hexdigest()[:32]


@csrf_exempt  # a back-channel call from the client, authenticated with its secret
@require_POST
def token(request):
    """The token endpoint: authorization code + PKCE verifier + client secret → an ID token."""
    _require_demo()
    client_id, secret = _client_credentials(request)
    if client_id != SIMULATOR_CLIENT_ID or not hmac.compare_digest(secret, simulator_client_secret()):
        return _token_error("invalid_client", status=401)
    if request.POST.get("grant_type") != "authorization_code":
        return _token_error("unsupported_grant_type")
    try:
        payload = signing.loads(request.POST.get("code", ""), salt=CODE_SALT, max_age=CODE_SECONDS)
    except signing.BadSignature:
        return _token_error("invalid_grant", "the code is invalid or expired")
    if payload["client_id"] != client_id or payload["redirect_uri"] != request.POST.get("redirect_uri"):
        return _token_error("invalid_grant", "the code was issued to another client or redirect URI")
    verifier = request.POST.get("code_verifier", "")
    if not (43 <= len(verifier) <= 128) or not hmac.compare_digest(
        code_challenge(verifier), payload["code_challenge"]
    ):
        return _token_error("invalid_grant", "PKCE verification failed")
    if not cache.add(f"eid-simulator:code:{payload['jti']}", 1, timeout=CODE_SECONDS + 10):
        return _token_error("invalid_grant", "the code has already been used")
    now = int(time.time())
    number = payload["pin"]
    person = Person.objects.filter(personal_identity_number=number).only("first_name", "last_name").first()
    given, family = (person.first_name, person.last_name) if person else ("Test", "Testsson")
    parsed = parse_identity_number(number)
    claims = {
        "iss": issuer_for(request),
        "sub": subject_for(number),
        "aud": client_id,
        "exp": now + ID_TOKEN_SECONDS,
        "iat": now,
        "auth_time": payload["auth_time"],
        "nonce": payload["nonce"],
        "acr": ACR_LOA3,
        "given_name": given,
        "family_name": family,
        "name": f"{given} {family}",
        "birthdate": parsed.birth_date.isoformat(),
        PIN_CLAIM: number,
    }
    jwk = keys.public_jwk()
    id_token = jwt.encode(claims, keys.signing_key(), algorithm="RS256", headers={"kid": jwk["kid"]})
    response = JsonResponse(
        {
            "access_token": secrets.token_urlsafe(32),
            "token_type": "Bearer",
            "expires_in": ID_TOKEN_SECONDS,
            "id_token": id_token,
        }
    )
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response
