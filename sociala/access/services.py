"""Writes of the access app: emergency access."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.audit.services import record_event
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.people.models import Person

from .models import EmergencyAccess
from .policy import can_request_emergency_access

MIN_REASON_LENGTH = 10


@transaction.atomic
def grant_emergency_access(*, actor, person: Person, reason: str) -> EmergencyAccess:
    """Give the actor time-limited access to one person, with a stated reason, flagged for review."""
    if not can_request_emergency_access(actor):
        raise NotPermitted
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise InvalidInput({"reason": str(_("Skriv varför du behöver nödåtkomst (minst 10 tecken)."))})
    now = timezone.now()
    grant = EmergencyAccess.objects.create(
        user=actor,
        person=person,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(minutes=settings.SOCIALA_EMERGENCY_ACCESS_MINUTES),
    )
    record_event(
        actor=actor,
        action="emergency_access_granted",
        person_id=person.pk,
        object_type="emergency_access",
        object_id=grant.pk,
        is_emergency=True,
        reason=reason,
        details={"expires_at": grant.expires_at.isoformat()},
    )
    if hasattr(actor, "_access_scope"):
        del actor._access_scope
    return grant
