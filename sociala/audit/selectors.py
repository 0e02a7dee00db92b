"""Reads of the audit log, for log review (callers check the log-reviewer role)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEvent


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def events_for_review(
    *,
    person_id: int | None = None,
    user_id: int | None = None,
    username: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    is_emergency: bool | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events, newest first, filtered by person, user and local dates (both ends included)."""
    events = AuditEvent.objects.all()
    if person_id is not None:
        events = events.filter(person_id=person_id)
    if user_id is not None:
        events = events.filter(user_id=user_id)
    if username:
        events = events.filter(username=username)
    if date_from is not None:
        events = events.filter(occurred_at__gte=_start_of(date_from))
    if date_to is not None:
        events = events.filter(occurred_at__lt=_start_of(date_to + timedelta(days=1)))
    if is_emergency is not None:
        events = events.filter(is_emergency=is_emergency)
    return events.order_by("-seq")
