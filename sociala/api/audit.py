"""Log review: the audit log for log reviewers; reading it is itself logged."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import Query, Router

from sociala.audit.selectors import events_for_review
from sociala.audit.services import record_event
from sociala.core.errors import InvalidInput

from .common import ERRORS, require_log_reviewer
from .schemas import AuditEventPage, AuditFilterIn, audit_event_out

router = Router(tags=["audit"])


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
