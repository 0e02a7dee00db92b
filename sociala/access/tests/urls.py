"""The site's URLs plus the security pages, as the lead wires them (see the report); and a sign-in view
with the lockout and second-factor change applied exactly as proposed for web/views/auth.py."""

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.shortcuts import render
from django.urls import include, path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from sociala.accounts.services import (
    LoginLocked,
    check_login_allowed,
    record_login_failure,
    record_login_success,
)
from sociala.accounts.views import client_ip, finish_password_login


class LoginForm(forms.Form):
    """The fields of web.forms.LoginForm (not imported: the domain apps' tests stay off the web layer)."""

    username = forms.CharField(max_length=150)
    password = forms.CharField(widget=forms.PasswordInput)


def login_view(request):
    """web.views.auth.login_view with the proposed change (marked)."""
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username, ip = form.cleaned_data["username"], client_ip(request)  # new
        try:  # new
            check_login_allowed(username, ip)  # new
        except LoginLocked as locked:  # new
            form.add_error(None, locked.message)  # new
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                record_login_failure(username, ip)  # new
                form.add_error(None, _("Fel användarnamn eller lösenord."))
            else:
                record_login_success(user, ip)  # new
                target = request.POST.get("next") or request.GET.get("next") or ""
                if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                    target = ""
                return finish_password_login(
                    request, user, target
                )  # replaces login() + record_event + redirect
    return render(
        request, "web/login.html", {"form": form, "demo_users": [], "next": request.GET.get("next", "")}
    )


urlpatterns = [
    path("login/", login_view, name="wired_login"),
    path("", include("sociala.accounts.urls")),
    path("", include("sociala.access.urls")),
    path("", include("sociala.audit.urls")),
    path("", include("sociala.urls")),
]

MIDDLEWARE = [*settings.MIDDLEWARE]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "sociala.accounts.middleware.SessionTimeoutMiddleware",
)
