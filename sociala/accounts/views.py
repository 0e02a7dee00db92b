"""Sign-in security pages: the second factor (TOTP) at sign-in and its set-up, and the session status
that the timeout warning reads."""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from sociala.accounts import totp
from sociala.accounts.conf import security_setting
from sociala.accounts.middleware import SIGNED_IN_KEY, idle_seconds_left, touch
from sociala.accounts.models import TotpDevice, User
from sociala.accounts.services import login as login_services
from sociala.accounts.services.webauthn import NAME_MAX as KEY_NAME_MAX
from sociala.audit.services import record_event
from sociala.core.errors import InvalidInput
from sociala.web.forms import StyledForm

PENDING_KEY = "sociala_pending_login"


class CodeForm(StyledForm):
    code = forms.CharField(
        label=_("Engångskod"),
        max_length=8,
        help_text=_("De sex siffrorna i din autentiseringsapp"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class KeyNameForm(StyledForm):
    name = forms.CharField(
        label=_("Namn på nyckeln"),
        max_length=KEY_NAME_MAX,
        help_text=_("Så att du känner igen den, till exempel ”Gul nyckel” eller ”Min dator”"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class RemoveKeyForm(StyledForm):
    password = forms.CharField(
        label=_("Ditt lösenord"),
        help_text=_("Skriv ditt lösenord igen för att ta bort nyckeln"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordForm(StyledForm, PasswordChangeForm):
    """Django's password change (current password, new twice, the password validators), styled."""


def client_ip(request) -> str | None:
    """The client's address as the server sees it (set SOCIALA behind a proxy that rewrites REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR") or None


def _complete_login(request, user: User, target: str, *, second_factor: str = "") -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SIGNED_IN_KEY] = time.time()
    touch(request)
    details = {"second_factor": second_factor} if second_factor else {}
    record_event(actor=user, action="login", object_type="user", object_id=user.pk, details=details)
    return redirect(target or settings.LOGIN_REDIRECT_URL)


def finish_password_login(request, user: User, target: str) -> HttpResponse:
    """After a correct password: sign in, or first ask for the second factor (or its set-up when the
    user's role requires one). The login view calls this instead of ``login()``."""
    if not login_services.needs_second_factor(user):
        return _complete_login(request, user, target)
    request.session.cycle_key()
    request.session[PENDING_KEY] = {"user_id": user.pk, "target": target, "started": time.time()}
    if not login_services.has_second_factor(user):
        return redirect("accounts:second_factor_setup")
    return redirect("accounts:second_factor")


def _pending_user(request) -> tuple[User | None, str]:
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return None, ""
    if time.time() - pending.get("started", 0) > security_setting("second_factor_pending_minutes") * 60:
        request.session.pop(PENDING_KEY, None)
        return None, ""
    user = User.objects.filter(pk=pending["user_id"], is_active=True).first()
    return user, pending.get("target", "")


@require_http_methods(["GET", "POST"])
def second_factor(request):
    """Step two of signing in: the code from the authenticator app."""
    user, target = _pending_user(request)
    if user is None:
        messages.error(request, _("Inloggningen tog för lång tid. Logga in igen."))
        return redirect("web:login")
    form = CodeForm(request.POST or None)
    status = 200
    has_totp = login_services.confirmed_device(user) is not None
    if request.method == "POST":
        if form.is_valid():
            try:
                ok = login_services.verify_second_factor(
                    user=user, code=form.cleaned_data["code"], ip=client_ip(request)
                )
            except login_services.LoginLocked as locked:
                request.session.pop(PENDING_KEY, None)
                messages.error(request, locked.message)
                return redirect("web:login")
            if ok:
                return _complete_login(request, user, target, second_factor="totp")
            form.add_error("code", _("Koden stämmer inte. Skriv de sex siffrorna som appen visar nu."))
        status = 422
    context = {"form": form, "has_totp": has_totp, "has_keys": user.webauthn_credentials.exists()}
    return render(request, "accounts/second_factor.html", context, status=status)


def _setup_context(user: User, device: TotpDevice) -> dict:
    issuer = security_setting("totp_issuer")
    secret = device.secret
    return {
        "secret": secret,
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "uri": totp.provisioning_uri(secret, account=user.username, issuer=issuer),
        "issuer": issuer,
    }


@require_http_methods(["GET", "POST"])
def second_factor_setup(request):
    """Set up an authenticator app: the secret as text and as an otpauth URI, then one code to confirm.
    Reached signed in (from the security page) or during a sign-in whose role requires a second factor."""
    if request.user.is_authenticated:
        user, target, pending = request.user, "", False
    else:
        user, target = _pending_user(request)
        pending = True
        if user is None:
            return redirect("web:login")
    if login_services.confirmed_device(user) is not None:
        return redirect("accounts:security" if not pending else "accounts:second_factor")
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is None or (request.method == "POST" and "restart" in request.POST):
        device = login_services.start_totp_enrolment(actor=user)
    form = CodeForm(request.POST if request.method == "POST" and "code" in request.POST else None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                login_services.confirm_totp(actor=user, code=form.cleaned_data["code"])
            except InvalidInput as error:
                form.add_service_errors(error)
            else:
                if pending:
                    return _complete_login(request, user, target, second_factor="totp_setup")
                messages.success(
                    request, _("Tvåstegsverifiering är på. Nästa gång du loggar in frågar vi efter en kod.")
                )
                return redirect("accounts:security")
        status = 422
    context = {"form": form, "pending": pending, **_setup_context(user, device)}
    return render(request, "accounts/second_factor_setup.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def security(request):
    """The user's own sign-in security: whether the second factor is on, and turning it off."""
    device = login_services.confirmed_device(request.user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                login_services.remove_totp(actor=request.user, code=form.cleaned_data["code"])
            except InvalidInput as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Tvåstegsverifiering är avstängd."))
                return redirect("accounts:security")
        status = 422
    from sociala.accounts.services import webauthn as keys

    from .webauthn_views import request_origin

    context = {
        "device": device,
        "form": form,
        "keys": list(keys.credentials_of(request.user)),
        "key_form": KeyNameForm(),
        "keys_available": keys.relying_party(request_origin(request)) is not None,
        "required": login_services.second_factor_required_by_role(request.user),
        "idle_minutes": security_setting("session_idle_minutes"),
    }
    return render(request, "accounts/security.html", context, status=status)


def _status_payload(request) -> dict:
    left = idle_seconds_left(request)
    return {
        "authenticated": request.user.is_authenticated,
        "seconds_left": left,
        "warning_seconds": security_setting("session_warning_seconds"),
        "title": str(_("Du loggas snart ut")),
        "text": str(
            _("Du har inte gjort något på en stund. Av säkerhetsskäl loggas du ut om %(seconds)s sekunder.")
        ),
        "continue": str(_("Fortsätt arbeta")),
    }


@require_http_methods(["GET"])
def session_status(request):
    """How long until the idle session ends (read by the warning script; does not count as activity)."""
    return JsonResponse(_status_payload(request))


@require_POST
def session_keepalive(request):
    """The user chose to go on working: the idle time starts again."""
    if request.user.is_authenticated:
        touch(request, force=True)
    return JsonResponse(_status_payload(request))


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    """Change one's own password: the current one first. Every other session of the user ends (Django
    checks each session against the password hash); a wrong current password counts as a failure."""
    form = PasswordForm(request.user, request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            login_services.check_login_allowed(request.user.username, client_ip(request))
        except login_services.LoginLocked as locked:
            form.add_error(None, locked.message)
        else:
            if form.is_valid():
                form.save()
                update_session_auth_hash(request, form.user)
                record_event(
                    actor=request.user,
                    action="password_changed",
                    object_type="user",
                    object_id=request.user.pk,
                )
                messages.success(request, _("Lösenordet är bytt. Du är utloggad på andra enheter."))
                return redirect("accounts:security")
            if "old_password" in form.errors:
                login_services.record_login_failure(
                    request.user.username, client_ip(request), factor="password_change"
                )
        status = 422
    return render(request, "accounts/password_change.html", {"form": form}, status=status)
