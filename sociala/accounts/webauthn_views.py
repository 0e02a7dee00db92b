"""Security keys (WebAuthn): adding and removing them on the security page, and signing in with one after
the password. The browser side is static/accounts/webauthn.js (no inline script); the ceremonies' options
and results travel as JSON, the challenge stays in the session and is used once."""

from __future__ import annotations

import base64
import json
import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from sociala.accounts.services import login as login_services
from sociala.accounts.services import webauthn as keys
from sociala.core.errors import InvalidInput, NotPermitted

from .views import PENDING_KEY, RemoveKeyForm, _complete_login, _pending_user, client_ip

REGISTRATION_KEY = "sociala_webauthn_registration"
ASSERTION_KEY = "sociala_webauthn_assertion"
# How long a challenge may wait for the browser (the options ask the browser for 60 s).
CHALLENGE_SECONDS = 120
# A browser's answer is a few kilobytes; more is not an answer.
MAX_BODY_BYTES = 64 * 1024


def request_origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _relying_party(request):
    return keys.relying_party(request_origin(request))


def _store_challenge(request, key: str, challenge: bytes, user_id: int) -> None:
    request.session[key] = {
        "challenge": base64.b64encode(challenge).decode(),
        "user_id": user_id,
        "started": time.time(),
    }


def _take_challenge(request, key: str, user_id: int) -> bytes | None:
    """The session's challenge for this user, removed as it is read (each works once)."""
    stored = request.session.pop(key, None)
    if not stored or stored.get("user_id") != user_id:
        return None
    if time.time() - stored.get("started", 0) > CHALLENGE_SECONDS:
        return None
    return base64.b64decode(stored["challenge"])


def _json_body(request) -> dict:
    if len(request.body) > MAX_BODY_BYTES:
        return {}
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _unavailable() -> JsonResponse:
    return JsonResponse(
        {"error": str(_("Säkerhetsnycklar är inte inställda för den här installationen."))}, status=503
    )


@login_required
@require_POST
def register_options(request):
    """Options for adding a key (navigator.credentials.create)."""
    rp = _relying_party(request)
    if rp is None:
        return _unavailable()
    options, challenge = keys.registration_options(actor=request.user, rp=rp)
    _store_challenge(request, REGISTRATION_KEY, challenge, request.user.pk)
    return JsonResponse(json.loads(options))


@login_required
@require_POST
def register(request):
    """Save the key the browser created, under the name the user gave it."""
    rp = _relying_party(request)
    if rp is None:
        return _unavailable()
    body = _json_body(request)
    challenge = _take_challenge(request, REGISTRATION_KEY, request.user.pk)
    try:
        saved = keys.register_webauthn_credential(
            actor=request.user,
            name=str(body.get("name") or ""),
            credential=body.get("credential"),
            challenge=challenge,
            rp=rp,
        )
    except InvalidInput as error:
        return JsonResponse({"errors": error.errors}, status=422)
    messages.success(request, _("Säkerhetsnyckeln ”%(name)s” är tillagd.") % {"name": saved.name})
    return JsonResponse({"redirect": reverse("accounts:security")}, status=201)


@login_required
@require_http_methods(["GET", "POST"])
def remove(request, credential_id: int):
    """Remove one of one's own keys, after the password again."""
    credential = keys.credentials_of(request.user).filter(pk=credential_id).first()
    if credential is None:
        raise Http404
    form = RemoveKeyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                keys.remove_webauthn_credential(
                    actor=request.user,
                    credential_pk=credential.pk,
                    password=form.cleaned_data["password"],
                    ip=client_ip(request),
                )
            except NotPermitted:
                raise Http404 from None
            except InvalidInput as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request, _("Säkerhetsnyckeln ”%(name)s” är borttagen.") % {"name": credential.name}
                )
                return redirect("accounts:security")
        status = 422
    return render(
        request, "accounts/webauthn_remove.html", {"form": form, "credential": credential}, status=status
    )


@require_POST
def login_options(request):
    """Options for signing in with a key (navigator.credentials.get), for the sign-in under way."""
    user, _target = _pending_user(request)
    if user is None:
        return JsonResponse({"redirect": reverse("web:login")}, status=409)
    rp = _relying_party(request)
    if rp is None:
        return _unavailable()
    if not keys.has_webauthn(user):
        return JsonResponse({"error": str(_("Du har ingen säkerhetsnyckel."))}, status=409)
    options, challenge = keys.authentication_options(user=user, rp=rp)
    _store_challenge(request, ASSERTION_KEY, challenge, user.pk)
    return JsonResponse(json.loads(options))


@require_POST
def login(request):
    """Step two of signing in, with a key: the signed challenge."""
    user, target = _pending_user(request)
    if user is None:
        messages.error(request, _("Inloggningen tog för lång tid. Logga in igen."))
        return JsonResponse({"redirect": reverse("web:login")}, status=409)
    rp = _relying_party(request)
    if rp is None:
        return _unavailable()
    challenge = _take_challenge(request, ASSERTION_KEY, user.pk)
    try:
        ok = keys.verify_webauthn_assertion(
            user=user,
            credential=_json_body(request).get("credential"),
            challenge=challenge,
            rp=rp,
            ip=client_ip(request),
        )
    except login_services.LoginLocked as locked:
        request.session.pop(PENDING_KEY, None)
        messages.error(request, locked.message)
        return JsonResponse({"redirect": reverse("web:login")}, status=429)
    if not ok:
        return JsonResponse(
            {"error": str(_("Nyckeln kunde inte användas. Försök igen eller använd en annan nyckel."))},
            status=422,
        )
    response = _complete_login(request, user, target, second_factor="webauthn")
    return JsonResponse({"redirect": response["Location"]})
