"""Signing in with e-ID (OpenID Connect) and out again."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sociala.accounts.services import system_actor
from sociala.audit.services import record_event
from sociala.integrations.eid.client import EidClient, EidError, PendingLogin
from sociala.integrations.eid.conf import eid_config
from sociala.portal import services
from sociala.portal.auth import PENDING_KEY, current_citizen, safe_next, sign_in, sign_out

MAX_PENDING_LOGINS = 5


def _login_page(request, *, error: str = "", status: int = 200):
    config = eid_config(request)
    return render(
        request,
        "portal/login.html",
        {
            "configured": config.is_configured,
            "uses_simulator": config.uses_simulator,
            "next": safe_next(request, request.GET.get("next"), ""),
            "error": error,
        },
        status=status,
    )


@never_cache
def login_page(request):
    """The start of the login: one button to the e-ID provider."""
    if current_citizen(request) is not None:
        return redirect("portal:home")
    return _login_page(request)


@never_cache
@require_POST
def login_start(request):
    """Send the browser to the provider with a fresh state, nonce and PKCE challenge."""
    home = reverse("portal:home")
    try:
        client = EidClient(eid_config(request))
        url, pending = client.start_login(
            redirect_uri=request.build_absolute_uri(reverse("portal:login_callback")),
            next_url=safe_next(request, request.POST.get("next"), home),
            ui_locales=get_language() or "sv",
        )
    except EidError as error:
        return _login_page(request, error=error.message, status=503)
    waiting = dict(request.session.get(PENDING_KEY) or {})
    waiting[pending.state] = pending.as_dict()
    # A few logins may be under way in several tabs; the oldest are forgotten.
    newest = sorted(waiting.items(), key=lambda item: item[1].get("started_at", 0))[-MAX_PENDING_LOGINS:]
    request.session[PENDING_KEY] = dict(newest)
    return redirect(url)


@never_cache
def login_callback(request):
    """Back from the provider: redeem the code, verify the ID token, sign the citizen in."""
    waiting = dict(request.session.get(PENDING_KEY) or {})
    stored = waiting.pop(request.GET.get("state", ""), None)
    request.session[PENDING_KEY] = waiting
    pending = PendingLogin.from_dict(stored) if stored else None
    try:
        identity = EidClient(eid_config(request)).finish_login(params=request.GET.dict(), pending=pending)
    except EidError as error:
        record_event(
            actor=system_actor(),
            action="portal_login_failed",
            object_type="citizen_session",
            details={"channel": "portal", "code": error.code, "detail": error.detail[:300]},
        )
        return _login_page(request, error=error.message, status=400)
    citizen = services.start_citizen_session(identity=identity)
    if citizen is None:
        return render(request, "portal/not_in_register.html", status=403)
    sign_in(request, citizen)
    return redirect(pending.next_url if pending and pending.next_url else "portal:home")


@require_POST
def logout(request):
    sign_out(request)
    return redirect("portal:logged_out")


def logged_out(request):
    return render(request, "portal/logged_out.html")
