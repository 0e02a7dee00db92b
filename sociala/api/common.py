"""What every endpoint checks before it reads: the caller's role."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja.errors import HttpError

from sociala.access.policy import may_review_logs, scope_for

from .schemas import ErrorOut, InvalidInputOut

# The errors every authenticated endpoint may answer with (429: over a rate limit, with Retry-After).
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidInputOut, 429: ErrorOut}


def require_personal_data_role(user) -> None:
    """403 for roles that never see persons (administrators, controllers, log reviewers)."""
    if not scope_for(user).sees_personal_data:
        raise HttpError(403, str(_("Din roll ger inte tillgång till personuppgifter.")))


def require_log_reviewer(user) -> None:
    if not may_review_logs(user):
        raise HttpError(403, str(_("Bara loggranskare får läsa loggen.")))
