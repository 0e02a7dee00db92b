"""Writes for staff accounts."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils import timezone

from sociala.accounts.models import ApiToken, User
from sociala.accounts.services import (
    LoginLocked,
    check_login_allowed,
    needs_second_factor,
    record_login_failure,
    record_login_success,
    verify_second_factor,
)
from sociala.audit.services import record_event


class InvalidCredentials(Exception):
    """Wrong user name, password or one-time code."""


class CredentialsLocked(InvalidCredentials):
    """Too many failed attempts for this user name or address; ``message`` says how long to wait."""

    def __init__(self, locked: LoginLocked):
        self.until = locked.until
        self.message = locked.message
        super().__init__(self.message)


def issue_api_token(*, username: str, password: str, code: str = "", ip: str | None = None) -> str:
    """Check a user's password (and one-time code when they have a second factor) and return a new
    bearer token (only its hash is kept). Failures count towards the same lockout as the sign-in page."""
    try:
        check_login_allowed(username, ip)
    except LoginLocked as locked:
        raise CredentialsLocked(locked) from None
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        record_login_failure(username, ip)
        raise InvalidCredentials
    record_login_success(user, ip)
    if needs_second_factor(user):
        try:
            if not verify_second_factor(user=user, code=code, ip=ip):
                raise InvalidCredentials
        except LoginLocked as locked:
            raise CredentialsLocked(locked) from None
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        key_hash=ApiToken.hash(key),
        expires_at=timezone.now() + timedelta(hours=settings.SOCIALA_API_TOKEN_HOURS),
    )
    record_event(actor=user, action="api_token_issued", object_type="user", object_id=user.pk)
    return key


def user_for_token(key: str) -> User | None:
    """The active user a valid, unexpired token belongs to."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(key), expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user
