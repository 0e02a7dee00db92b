"""Issuing bearer tokens."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import Router
from ninja.errors import HttpError

from sociala.access.tokens import CredentialsLocked, InvalidCredentials, issue_api_token

from .schemas import ErrorOut, InvalidInputOut, TokenIn, TokenOut

router = Router(tags=["auth"])


@router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 422: InvalidInputOut, 429: ErrorOut},
)
def create_token(request, payload: TokenIn):
    """Exchange a user name and password for a bearer token (valid for a working day)."""
    try:
        token = issue_api_token(
            username=payload.username,
            password=payload.password,
            code=payload.code,
            ip=request.META.get("REMOTE_ADDR"),
        )
    except CredentialsLocked:
        raise HttpError(429, str(_("För många misslyckade försök. Försök igen om en stund."))) from None
    except InvalidCredentials:
        raise HttpError(401, str(_("Fel användarnamn eller lösenord."))) from None
    return TokenOut(token=token)
