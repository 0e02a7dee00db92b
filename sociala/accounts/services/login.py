"""Signing in safely: lockout after repeated failures, the second factor (TOTP), re-authentication."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.accounts import totp
from sociala.accounts.conf import security_setting
from sociala.accounts.models import LoginAttempt, TotpDevice, User
from sociala.audit.services import record_event
from sociala.core.errors import InvalidInput, NotPermitted

# Attempts older than this are removed when new ones are recorded; the audit log keeps the history.
KEEP_ATTEMPTS = timedelta(days=1)


class LoginLocked(Exception):
    """Too many failed sign-ins for this user name or from this address; try again after ``until``."""

    def __init__(self, until: datetime):
        self.until = until
        super().__init__(f"locked until {until.isoformat()}")

    @property
    def message(self) -> str:
        minutes = max(1, int((self.until - timezone.now()).total_seconds() // 60) + 1)
        return str(
            _(
                "För många misslyckade inloggningar. Vänta %(minutes)s minuter och försök igen, "
                "eller kontakta din lokala administratör."
            )
            % {"minutes": minutes}
        )


def _key(username: str) -> str:
    return (username or "").strip().lower()[:150]


def _window() -> timedelta:
    return timedelta(minutes=security_setting("lockout_minutes"))


def locked_until(username: str, ip: str | None, now: datetime | None = None) -> datetime | None:
    """When the lock on this user name or address ends, or None when sign-in is allowed."""
    now = now or timezone.now()
    window = _window()
    since = now - window
    until = None
    key = _key(username)
    last_success = (
        LoginAttempt.objects.filter(username=key, succeeded=True)
        .order_by("-attempted_at")
        .values_list("attempted_at", flat=True)
        .first()
    )
    failures = LoginAttempt.objects.filter(username=key, succeeded=False, attempted_at__gte=since)
    if last_success is not None:
        failures = failures.filter(attempted_at__gt=last_success)
    times = list(failures.order_by("-attempted_at").values_list("attempted_at", flat=True))
    if len(times) >= security_setting("max_failures_per_username"):
        until = times[0] + window
    if ip:
        by_ip = list(
            LoginAttempt.objects.filter(ip_address=ip, succeeded=False, attempted_at__gte=since)
            .order_by("-attempted_at")
            .values_list("attempted_at", flat=True)
        )
        if len(by_ip) >= security_setting("max_failures_per_ip"):
            ip_until = by_ip[0] + window
            until = max(until, ip_until) if until else ip_until
    return until if until and until > now else None


def check_login_allowed(username: str, ip: str | None) -> None:
    """Raise LoginLocked when this user name or address has failed too often; call before checking
    the password (a locked attempt is refused without looking at the password)."""
    until = locked_until(username, ip)
    if until is not None:
        raise LoginLocked(until)


def _user_named(username: str) -> User | None:
    return User.objects.filter(username__iexact=(username or "").strip()).first()


def record_login_failure(username: str, ip: str | None, *, factor: str = "password") -> None:
    """Count a failed sign-in (wrong password or code) and audit it; audit the lock when this failure
    causes one. The attempted name is logged only when it belongs to a user (it may be a mistyped
    password)."""
    from . import system_actor

    now = timezone.now()
    with transaction.atomic():
        LoginAttempt.objects.create(
            username=_key(username), ip_address=ip or None, succeeded=False, attempted_at=now
        )
        user = _user_named(username)
        actor = user or system_actor()
        details = {"ip": ip or "", "factor": factor, "username_known": user is not None}
        record_event(
            actor=actor,
            action="login_failed",
            object_type="user",
            object_id=user.pk if user else "",
            details=details,
        )
        until = locked_until(username, ip, now)
        if until is not None:
            record_event(
                actor=actor,
                action="login_locked",
                object_type="user",
                object_id=user.pk if user else "",
                details={**details, "until": until.isoformat()},
            )
    LoginAttempt.objects.filter(attempted_at__lt=now - KEEP_ATTEMPTS).delete()


def record_login_success(user: User, ip: str | None) -> None:
    """Note a correct password: the failure count of the user name starts again."""
    now = timezone.now()
    LoginAttempt.objects.create(
        username=_key(user.username), ip_address=ip or None, succeeded=True, attempted_at=now
    )
    LoginAttempt.objects.filter(attempted_at__lt=now - KEEP_ATTEMPTS).delete()


def reauthenticate(*, user: User, password: str, ip: str | None = None) -> None:
    """Ask for the password again before a sensitive action (emergency access). A wrong password
    counts as a failed sign-in; raises InvalidInput on the ``password`` field."""
    try:
        check_login_allowed(user.username, ip)
    except LoginLocked as locked:
        raise InvalidInput({"password": locked.message}) from None
    if not password or not check_password(password, user.password):
        record_login_failure(user.username, ip, factor="reauthentication")
        raise InvalidInput({"password": _("Lösenordet stämmer inte. Skriv ditt eget lösenord igen.")})
    record_event(actor=user, action="reauthenticated", object_type="user", object_id=user.pk)


# --- The second factor -------------------------------------------------------------------------------


def confirmed_device(user: User) -> TotpDevice | None:
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    return device


def second_factor_required_by_role(user: User) -> bool:
    required = set(security_setting("second_factor_required_roles"))
    return bool(required & user.roles)


def has_second_factor(user: User) -> bool:
    """The user has an authenticator app or at least one security key."""
    return confirmed_device(user) is not None or user.webauthn_credentials.exists()


def needs_second_factor(user: User) -> bool:
    """Whether signing in takes a second step after the password: the user has an authenticator app or a
    security key, or their role requires one (then they set it up before they get in)."""
    return has_second_factor(user) or second_factor_required_by_role(user)


def start_totp_enrolment(*, actor: User) -> TotpDevice:
    """Make a new secret for the actor's authenticator app; it counts once a code from it is confirmed."""
    if confirmed_device(actor) is not None:
        raise InvalidInput(
            {"code": _("Du har redan tvåstegsverifiering. Ta bort den först om du byter telefon.")}
        )
    with transaction.atomic():
        TotpDevice.objects.filter(user=actor).delete()
        device = TotpDevice.objects.create(user=actor, secret=totp.new_secret())
        record_event(actor=actor, action="totp_enrolment_started", object_type="user", object_id=actor.pk)
    return device


def confirm_totp(*, actor: User, code: str, unix_time: float | None = None) -> TotpDevice:
    """Turn on the second factor once the app shows the right code."""
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=actor, confirmed_at__isnull=True).first()
        if device is None:
            raise InvalidInput({"code": _("Börja om: hämta en ny nyckel.")})
        step = totp.matching_step(device.secret, code, unix_time or timezone.now().timestamp())
        if step is None:
            raise InvalidInput({"code": _("Koden stämmer inte. Skriv de sex siffrorna som appen visar nu.")})
        device.confirmed_at = timezone.now()
        device.last_used_step = step
        device.save(update_fields=["confirmed_at", "last_used_step"])
        record_event(actor=actor, action="totp_enabled", object_type="user", object_id=actor.pk)
    return device


def verify_second_factor(*, user: User, code: str, ip: str | None, unix_time: float | None = None) -> bool:
    """Check a code at sign-in; each code works once. A wrong code counts as a failed sign-in and may
    lock the account (raises LoginLocked when already locked)."""
    check_login_allowed(user.username, ip)
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
        step = None
        if device is not None:
            step = totp.matching_step(
                device.secret, code, unix_time or timezone.now().timestamp(), after_step=device.last_used_step
            )
        if step is not None and device is not None:
            device.last_used_step = step
            device.save(update_fields=["last_used_step"])
    if step is None:
        record_login_failure(user.username, ip, factor="totp")
        return False
    return True


def remove_totp(*, actor: User, code: str) -> None:
    """The user turns off their own second factor with a current code (not when their role needs it)."""
    if second_factor_required_by_role(actor):
        raise InvalidInput({"code": _("Din roll kräver tvåstegsverifiering.")})
    device = confirmed_device(actor)
    if device is None or totp.matching_step(device.secret, code, timezone.now().timestamp()) is None:
        raise InvalidInput({"code": _("Koden stämmer inte. Skriv de sex siffrorna som appen visar nu.")})
    with transaction.atomic():
        device.delete()
        record_event(actor=actor, action="totp_removed", object_type="user", object_id=actor.pk)


def reset_second_factor(*, actor: User, user: User) -> None:
    """An administrator removes a user's authenticator app and security keys (a lost phone or key); the
    user sets up a new second factor at the next sign-in."""
    from .administration import admin_scope

    scope = admin_scope(actor)
    if not scope.may_administer or actor.pk == user.pk:
        raise NotPermitted
    if not scope.all_districts and not any(scope.covers(a) for a in user.assignments.all()):
        raise NotPermitted
    with transaction.atomic():
        had_app, _rows = TotpDevice.objects.filter(user=user).delete()
        keys_removed, _rows = user.webauthn_credentials.all().delete()
        record_event(
            actor=actor,
            action="second_factor_reset",
            object_type="user",
            object_id=user.pk,
            details={"had_app": bool(had_app), "keys_removed": keys_removed},
        )
