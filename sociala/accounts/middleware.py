"""Signing out a session that has been idle too long (the page warns two minutes before)."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from sociala.accounts.conf import security_setting
from sociala.audit.services import record_event

LAST_ACTIVITY_KEY = "sociala_last_activity"
SIGNED_IN_KEY = "sociala_signed_in_at"
# Writing the session on every request costs a database write; a minute's precision is enough.
TOUCH_EVERY_SECONDS = 30


def _idle_limit() -> int:
    return int(security_setting("session_idle_minutes")) * 60


def touch(request, *, force: bool = False) -> None:
    now = time.time()
    request.session.setdefault(SIGNED_IN_KEY, now)
    last = request.session.get(LAST_ACTIVITY_KEY)
    if force or last is None or now - last >= TOUCH_EVERY_SECONDS:
        request.session[LAST_ACTIVITY_KEY] = now


def _max_age() -> int:
    return int(security_setting("session_max_hours")) * 3600


def idle_seconds_left(request) -> int:
    """Seconds until the session ends, idle or at its maximum age (0 when signed out)."""
    if not request.user.is_authenticated:
        return 0
    now = time.time()
    last = request.session.get(LAST_ACTIVITY_KEY, now)
    signed_in = request.session.get(SIGNED_IN_KEY, now)
    return max(0, int(min(_idle_limit() - (now - last), _max_age() - (now - signed_in))))


def _expired(request) -> str:
    """Why the session has ended ("idle" or "max_age"), or "" while it lasts."""
    now = time.time()
    last = request.session.get(LAST_ACTIVITY_KEY)
    signed_in = request.session.get(SIGNED_IN_KEY)
    if last is not None and now - last > _idle_limit():
        return "idle"
    if signed_in is not None and now - signed_in > _max_age():
        return "max_age"
    return ""


class SessionTimeoutMiddleware:
    """After the authentication middleware: a signed-in session idle longer than the setting, or older
    than the maximum age, is signed out and audited; every other request counts as activity, except the
    warning script's status check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/api/"):
            reason = _expired(request)
            if reason:
                record_event(
                    actor=user,
                    action="session_timeout",
                    object_type="user",
                    object_id=user.pk,
                    details={
                        "reason": reason,
                        "idle_minutes": security_setting("session_idle_minutes"),
                        "max_hours": security_setting("session_max_hours"),
                    },
                )
                logout(request)
                if reason == "idle":
                    messages.warning(
                        request, _("Du loggades ut eftersom du inte hade gjort något på en stund.")
                    )
                else:
                    messages.warning(
                        request,
                        _(
                            "Du loggades ut eftersom det har gått %(hours)s timmar sedan du loggade in. Logga in igen."
                        )
                        % {"hours": security_setting("session_max_hours")},
                    )
                login_url = reverse("web:login")
                if not request.headers.get("HX-Request"):
                    target = request.get_full_path() if request.method == "GET" else request.path
                    return redirect(f"{login_url}?{urlencode({'next': target})}")
                response = HttpResponse(status=401)
                response["HX-Redirect"] = login_url
                return response
            if request.path != reverse("accounts:session_status"):
                touch(request)
        return self.get_response(request)
