"""The citizen's login in the browser session, kept apart from staff logins.

The Django session holds only the id of the ``CitizenSession`` row under its own key; ``request.user``
stays anonymous, so every staff page (``login_required``, the access policy) stays closed to a citizen.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth import logout as staff_logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from . import services

SESSION_KEY = "portal.citizen_session"
PENDING_KEY = "portal.eid_pending"


def current_citizen(request):
    """The signed-in citizen of this request, or None."""
    if not hasattr(request, "_portal_citizen"):
        request._portal_citizen = services.active_citizen_session(request.session.get(SESSION_KEY))
        if request._portal_citizen is None and SESSION_KEY in request.session:
            del request.session[SESSION_KEY]
    return request._portal_citizen


def citizen_required(view):
    """Open the page only to a signed-in citizen (others go to the portal's login page)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        citizen = current_citizen(request)
        if citizen is None:
            return redirect(f"{reverse('portal:login')}?{urlencode({'next': request.get_full_path()})}")
        request.citizen = citizen
        return view(request, *args, **kwargs)

    return wrapper


def sign_in(request, citizen) -> None:
    """Start the citizen's browser session: a new session key (no fixation), no staff login beside it."""
    if request.user.is_authenticated:
        staff_logout(request)
    request.session.cycle_key()
    request.session.pop(PENDING_KEY, None)
    request.session[SESSION_KEY] = citizen.pk
    request._portal_citizen = citizen


def sign_out(request) -> None:
    citizen = current_citizen(request)
    if citizen is not None:
        services.end_citizen_session(citizen=citizen)
    request.session.flush()
    request._portal_citizen = None


def safe_next(request, url: str | None, default: str) -> str:
    if (
        url
        and url.startswith("/portal/")
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return url
    return default
