"""Writes for staff accounts."""

from __future__ import annotations

from .models import User

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
