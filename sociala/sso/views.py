"""Staff sign-in through an identity provider: start, the OpenID Connect callback, the SAML assertion
consumer service and the SP metadata. No page here is shown to a signed-in user's data; a refused
sign-in shows why and leaves no session."""

from __future__ import annotations

import logging
import secrets
import time

from django.conf import settings
from django.contrib.auth import login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from sociala.accounts.middleware import SIGNED_IN_KEY, touch
from sociala.accounts.services import LoginLocked, check_login_allowed, record_login_success, system_actor
from sociala.accounts.services import login as login_services
from sociala.accounts.views import client_ip, finish_password_login
from sociala.audit.services import record_event

from . import oidc, saml
from .conf import IdentityProvider, identity_provider
from .models import ExternalIdentity
from .services import ExternalClaims, SsoRefused, sign_in_from_idp

logger = logging.getLogger(__name__)

PENDING_KEY = "sociala_sso_pending"

ERROR_MESSAGES = {
    "provider_unavailable": _(
        "Vi når inte organisationens inloggningstjänst just nu. Försök igen om en stund."
    ),
    "cancelled": _("Inloggningen avbröts."),
    "expired": _("Inloggningen tog för lång tid. Börja om från början."),
    "state_mismatch": _("Inloggningen gick inte att slutföra. Börja om från början."),
}
DEFAULT_ERROR = _("Inloggningen kunde inte bekräftas. Börja om från början.")


def _provider(name: str, protocol: str | None = None) -> IdentityProvider:
    provider = identity_provider(name)
    if provider is None or (protocol and provider.protocol != protocol):
        raise Http404
    return provider


def _absolute(request, provider: IdentityProvider, view: str) -> str:
    """An absolute URL of ours as the provider knows it: from ``base_url`` when set (behind a proxy
    that terminates TLS), else from the request."""
    path = reverse(view, args=[provider.name])
    base = (provider.options.get("base_url") or "").rstrip("/")
    return base + path if base else request.build_absolute_uri(path)


def _saml_endpoints(request, provider: IdentityProvider) -> saml.SpEndpoints:
    return saml.SpEndpoints(
        entity_id=provider["sp_entity_id"] or _absolute(request, provider, "sso:saml_metadata"),
        acs_url=_absolute(request, provider, "sso:saml_acs"),
    )


def _refuse(request, provider: IdentityProvider, code: str, message, *, detail: str = "", subject: str = ""):
    """Audit the refusal and show why; any half-made sign-in in this session is forgotten."""
    request.session.pop(PENDING_KEY, None)
    record_event(
        actor=system_actor(),
        action="sso_login_refused",
        object_type="sso_provider",
        object_id=provider.name,
        details={
            "idp": provider.name,
            "protocol": provider.protocol,
            "reason": code,
            "detail": detail[:500],
            "subject": subject,
            "ip": client_ip(request) or "",
        },
    )
    logger.info("SSO sign-in through %s refused: %s %s", provider.name, code, detail)
    context = {"message": str(message), "provider": provider, "no_group": code == "no_group"}
    return render(request, "sso/refused.html", context, status=403)


def _safe_next(request, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


def _sign_in(request, provider: IdentityProvider, claims: ExternalClaims, target: str) -> HttpResponse:
    """The provider vouched for the user: apply the local lockout, provision, and start the session."""
    ip = client_ip(request)
    known = (
        ExternalIdentity.objects.select_related("user")
        .filter(idp=provider.name, subject=claims.subject)
        .first()
    )
    try:
        check_login_allowed(known.user.username if known else "", ip)
    except LoginLocked as locked:
        return _refuse(request, provider, "locked", locked.message, subject=claims.subject)
    try:
        result = sign_in_from_idp(claims=claims)
    except SsoRefused as refused:
        return _refuse(request, provider, refused.code, refused.message, subject=claims.subject)
    user = result.user
    request.session.pop(PENDING_KEY, None)
    if not provider.options.get("trust_idp_second_factor") and login_services.needs_second_factor(user):
        # The local rules of the second factor apply as after a password: the code (or its set-up)
        # comes before the session.
        record_login_success(user, ip)
        return finish_password_login(request, user, target)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SIGNED_IN_KEY] = time.time()
    touch(request, force=True)
    record_login_success(user, ip)
    record_event(
        actor=user,
        action="login",
        object_type="user",
        object_id=user.pk,
        details={
            "method": provider.protocol,
            "idp": provider.name,
            "created": result.created,
            "assignments_added": list(result.added),
            "assignments_ended": list(result.ended),
        },
    )
    return redirect(target or settings.LOGIN_REDIRECT_URL)


@require_GET
def start(request, name: str):
    """Send the browser to the identity provider (the button on the sign-in page)."""
    provider = _provider(name)
    target = _safe_next(request, request.GET.get("next", ""))
    if provider.protocol == "oidc":
        redirect_uri = _absolute(request, provider, "sso:oidc_callback")
        try:
            url, pending = oidc.client_for(provider).start_login(
                redirect_uri=redirect_uri, next_url=target, ui_locales=request.LANGUAGE_CODE
            )
        except oidc.EidError as error:
            return _refuse(
                request,
                provider,
                error.code,
                ERROR_MESSAGES.get(error.code, DEFAULT_ERROR),
                detail=error.detail,
            )
        request.session[PENDING_KEY] = {"idp": provider.name, "protocol": "oidc", **pending.as_dict()}
        return redirect(url)
    relay_state = secrets.token_urlsafe(24)
    try:
        url, request_id = saml.start_login(
            provider, _saml_endpoints(request, provider), relay_state=relay_state
        )
    except saml.SamlError as error:
        return _refuse(
            request, provider, error.code, ERROR_MESSAGES.get(error.code, DEFAULT_ERROR), detail=error.detail
        )
    request.session[PENDING_KEY] = {
        "idp": provider.name,
        "protocol": "saml",
        "request_id": request_id,
        "relay_state": relay_state,
        "started_at": time.time(),
        "next_url": target,
    }
    return redirect(url)


def _pending(request, provider: IdentityProvider) -> dict | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or pending.get("idp") != provider.name:
        return None
    if pending.get("protocol") != provider.protocol:
        return None
    return pending


@require_GET
def oidc_callback(request, name: str):
    """The provider sends the browser back here with ``code`` and ``state``."""
    provider = _provider(name, "oidc")
    pending_data = _pending(request, provider)
    pending = oidc.PendingLogin.from_dict(pending_data) if pending_data else None
    request.session.pop(PENDING_KEY, None)
    try:
        claims = oidc.client_for(provider).finish_login(params=request.GET.dict(), pending=pending)
    except oidc.EidError as error:
        return _refuse(
            request, provider, error.code, ERROR_MESSAGES.get(error.code, DEFAULT_ERROR), detail=error.detail
        )
    return _sign_in(request, provider, claims, pending.next_url if pending else "")


@csrf_exempt  # posted by the identity provider's page; the signed response and InResponseTo protect it
@require_POST
def saml_acs(request, name: str):
    """The assertion consumer service: the provider's page posts the signed Response here."""
    provider = _provider(name, "saml")
    saml_response = request.POST.get("SAMLResponse", "")
    pending = _pending(request, provider)
    if pending is None and request.POST.get("sociala_bounced") != "1":
        # A cross-site POST carries no SameSite=Lax session cookie: post the same form once more from
        # our own origin, where the browser sends it.
        context = {
            "action": request.path,
            "saml_response": saml_response,
            "relay_state": request.POST.get("RelayState", ""),
        }
        return render(request, "sso/continue.html", context)
    request.session.pop(PENDING_KEY, None)
    if pending is None:
        return _refuse(
            request, provider, "state_mismatch", ERROR_MESSAGES["state_mismatch"], detail="no pending request"
        )
    if time.time() - float(pending.get("started_at", 0)) > int(provider["login_max_seconds"]):
        return _refuse(request, provider, "expired", ERROR_MESSAGES["expired"])
    relay_state = request.POST.get("RelayState", "")
    if not secrets.compare_digest(relay_state, str(pending.get("relay_state", ""))):
        return _refuse(
            request, provider, "state_mismatch", ERROR_MESSAGES["state_mismatch"], detail="RelayState"
        )
    try:
        claims = saml.finish_login(
            provider,
            _saml_endpoints(request, provider),
            saml_response=saml_response,
            request_id=str(pending.get("request_id", "")),
        )
    except saml.SamlError as error:
        return _refuse(
            request, provider, error.code, ERROR_MESSAGES.get(error.code, DEFAULT_ERROR), detail=error.detail
        )
    return _sign_in(request, provider, claims, str(pending.get("next_url", "")))


@require_GET
def saml_metadata(request, name: str):
    """This service provider's SAML metadata (public: entity id, ACS URL and certificates)."""
    provider = _provider(name, "saml")
    try:
        xml = saml.metadata_xml(provider, _saml_endpoints(request, provider))
    except saml.SamlError as error:
        logger.warning("SAML metadata for %s: %s", provider.name, error)
        return HttpResponse(status=503)
    return HttpResponse(xml, content_type="application/samlmetadata+xml")
