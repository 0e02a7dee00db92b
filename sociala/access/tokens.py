"""Writes for staff accounts."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils import timezone

from sociala.accounts.models import ApiToken, User
from sociala.audit.services import record_event


class InvalidCredentials(Exception):
    """Wrong user name or password."""


def issue_api_token(*, username: str, password: str) -> str:
    """Check a user's password and return a new bearer token (only its hash is kept)."""
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        raise InvalidCredentials
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
