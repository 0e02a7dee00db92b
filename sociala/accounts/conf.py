"""Settings of sign-in and sessions, read from ``settings.SOCIALA_SECURITY`` (a dict) over the defaults.

An installation sets only what differs, e.g. ``SOCIALA_SECURITY = {"session_idle_minutes": 20}``.
"""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    # Failed sign-ins (password or code) for one user name within the window before it is locked.
    "max_failures_per_username": 5,
    # Failed sign-ins from one address within the window before that address is locked.
    "max_failures_per_ip": 20,
    # The window in which failures are counted, and how long a lock lasts after the last failure.
    "lockout_minutes": 15,
    # Signed out after this long without a request; the page warns two minutes before.
    "session_idle_minutes": 30,
    # Signed out this long after signing in, however active (ASVS 3.3.2: 12 hours).
    "session_max_hours": 12,
    # Seconds before the idle timeout that the page warns.
    "session_warning_seconds": 120,
    # Roles that must use a second factor (TOTP). None: the administrators and log reviewers, except in
    # demo mode (where the published demo logins must work without a phone).
    "second_factor_required_roles": None,
    # How long a started sign-in may wait for its second factor.
    "second_factor_pending_minutes": 5,
    # WebAuthn (security keys): the origin the browser must report and the RP ID the keys are bound to.
    # None: SOCIALA_BASE_URL and its host name (decision 0022).
    "webauthn_origin": None,
    "webauthn_rp_id": None,
    # The issuer name shown in the authenticator app.
    "totp_issuer": None,  # None: SOCIALA_MUNICIPALITY_NAME
}


def security_setting(name: str):
    """One setting of sign-in and sessions."""
    configured = getattr(settings, "SOCIALA_SECURITY", {}) or {}
    value = configured.get(name, DEFAULTS[name])
    if name == "totp_issuer" and not value:
        return f"Sociala {getattr(settings, 'SOCIALA_MUNICIPALITY_NAME', '')}".strip()
    if name == "second_factor_required_roles" and value is None:
        return [] if getattr(settings, "DEMO_MODE", False) else list(ADMINISTRATIVE_ROLES)
    return value


ADMINISTRATIVE_ROLES = ("local_administrator", "system_administrator", "log_reviewer")
