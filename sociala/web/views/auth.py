"""Signing in and out."""

from django.conf import settings
from django.contrib.auth import authenticate, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sociala.accounts.services import (
    LoginLocked,
    check_login_allowed,
    record_login_failure,
    record_login_success,
)
from sociala.accounts.views import client_ip, finish_password_login
from sociala.audit.services import record_event
from sociala.web.forms import LoginForm


def login_view(request):
    """The sign-in form with lockout after repeated failures; the demo logins are listed in demo mode."""
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username, ip = form.cleaned_data["username"], client_ip(request)
        try:
            check_login_allowed(username, ip)
        except LoginLocked as locked:
            form.add_error(None, locked.message)
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                record_login_failure(username, ip)
                form.add_error(None, _("Fel användarnamn eller lösenord."))
            else:
                record_login_success(user, ip)
                target = request.POST.get("next") or request.GET.get("next") or ""
                if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                    target = ""
                # Asks for the second factor when the user has one, then signs in and logs it.
                return finish_password_login(request, user, target)
    from sociala.demo.organization import DEMO_USERS

    demo_users = [(u[0], u[3]) for u in DEMO_USERS] if settings.DEMO_MODE else []
    return render(
        request,
        "web/login.html",
        {"form": form, "demo_users": demo_users, "next": request.GET.get("next", "")},
    )


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        record_event(actor=request.user, action="logout", object_type="user", object_id=request.user.pk)
    logout(request)
    return redirect("web:login")
