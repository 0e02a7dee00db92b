"""Log review: the audit log for log reviewers; reading it is itself logged."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router

from sociala.audit.models import AuditEvent
from sociala.audit.services import record_event
from sociala.core.errors import InvalidInput

from .common import ERRORS, require_log_reviewer
from .schemas import AuditEventPage, AuditFilterIn, audit_event_out

router = Router(tags=["audit"])


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def events_for_review(
    *,
    person_id: int | None = None,
    user_id: int | None = None,
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
    if date_from is not None:
        events = events.filter(occurred_at__gte=_start_of(date_from))
    if date_to is not None:
        events = events.filter(occurred_at__lt=_start_of(date_to + timedelta(days=1)))
    if is_emergency is not None:
        events = events.filter(is_emergency=is_emergency)
    return events.order_by("-seq")


@router.get("/events", response={200: AuditEventPage, **ERRORS})
def list_audit_events(request, filters: Query[AuditFilterIn]):
    """Audit events newest first (log reviewers only), by person, user, date range and emergency access."""
    user = request.auth
    require_log_reviewer(user)
    if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
        raise InvalidInput({"to": _("Slutdatum kan inte ligga före startdatum.")})
    events = events_for_review(
        person_id=filters.person,
        user_id=filters.user,
        date_from=filters.date_from,
        date_to=filters.date_to,
        is_emergency=filters.is_emergency,
    )
    count = events.count()
    items = [audit_event_out(e) for e in events[filters.offset : filters.offset + filters.limit]]
    record_event(
        actor=user,
        action="review_audit_log",
        person_id=filters.person,
        object_type="audit_log",
        details={
            "person": filters.person,
            "user": filters.user,
            "from": filters.date_from.isoformat() if filters.date_from else None,
            "to": filters.date_to.isoformat() if filters.date_to else None,
            "is_emergency": filters.is_emergency,
            "offset": filters.offset,
        },
    )
    return AuditEventPage(items=items, count=count)
