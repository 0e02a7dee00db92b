"""Writes for staff accounts: the system actor, sign-in safety (login.py) and access administration
(administration.py)."""

from __future__ import annotations

from sociala.accounts.models import User

SYSTEM_USERNAME = "sociala-system"


def system_actor() -> User:
    """The actor for scheduled jobs (escalation, culling): it cannot sign in."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "Sociala", "last_name": "system", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


from .login import (  # noqa: E402 - login.py uses system_actor from here
    LoginLocked,
    check_login_allowed,
    needs_second_factor,
    reauthenticate,
    record_login_failure,
    record_login_success,
    verify_second_factor,
)

__all__ = [
    "SYSTEM_USERNAME",
    "LoginLocked",
    "check_login_allowed",
    "needs_second_factor",
    "reauthenticate",
    "record_login_failure",
    "record_login_success",
    "system_actor",
    "verify_second_factor",
]
