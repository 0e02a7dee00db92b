"""Reads of cases and their records, restricted by the access policy; reads of personal data are logged."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sociala.access.policy import (
    EMERGENCY,
    PersonAccess,
    case_visibility,
    person_access,
    restrict_cases,
    restrict_to_assigned,
)
from sociala.audit.models import AuditEvent
from sociala.audit.services import record_event
from sociala.people.models import Person

from .choices import DeadlineStatus, JournalStatus, Stage
from .models import Case, Deadline, Decision, JournalEntry, Order, Phrase


def visible_cases(user) -> QuerySet[Case]:
    """Cases the user may see."""
    return restrict_cases(Case.objects.all(), user)


def case_for_user(user, case_id: int, *, action: str = "view_case", log: bool = True) -> Case:
    """Open one case: 404 when missing or out of scope; the read is logged.

    ``log=False`` for a request that may show nothing of the case (a journal autosave answers
    "Sparat 14:32"): the caller logs the read with ``log_case_read`` if it does show it, and the
    request's writes are logged by the services in any case."""
    case = (
        Case.objects.select_related(
            "person", "case_type", "unit", "district", "assigned_to", "process__definition"
        )
        # The engine's state and the BPMN text are read when a step is taken or the diagram is
        # drawn, not to show the case (kilobytes parsed on every view otherwise).
        .defer("process__state", "process__definition__bpmn_xml")
        .filter(pk=case_id)
        .first()
    )
    how = case_visibility(user, case) if case is not None else ""
    if not how:
        raise Http404
    # A read is flagged as emergency access only when nothing else opens the person; a case of the
    # user's own or opened by consent already does, so the person's other routes need not be asked.
    case.read_access = PersonAccess(True) if how != EMERGENCY else person_access(user, case.person)
    if log:
        log_case_read(user, case, action)
    return case


def log_case_read(user, case: Case, action: str = "view_case") -> None:
    """Log that the user was shown the case (read through ``case_for_user``)."""
    access = case.read_access
    record_event(
        actor=user,
        action=action,
        person_id=case.person_id,
        case_id=case.pk,
        object_type="case",
        object_id=case.pk,
        is_emergency=access.is_emergency,
        reason=access.reason,
    )


def cases_of_person(user, person: Person) -> QuerySet[Case]:
    """The person's cases the user may see, newest first."""
    return (
        visible_cases(user)
        .filter(person=person)
        .select_related("case_type", "unit", "assigned_to")
        .order_by("-received_on", "-pk")
    )


def decisions_of_cases(case_ids) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(case_id__in=case_ids)
        .select_related("case__case_type", "decided_by")
        .prefetch_related("items")
        .order_by("-decided_at")
    )


def journal_entries(
    user,
    *,
    person: Person | None = None,
    case: Case | None = None,
    category: str = "",
    author_id: int | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
    visible_case_ids: list[int] | None = None,
) -> QuerySet[JournalEntry]:
    """Signed entries in visible cases, plus the user's own drafts; filterable.

    ``visible_case_ids``: the cases to read from, when the caller has just read them through the
    policy (the person page's ``cases_of_person``, the case page's ``case_for_user``); the policy's
    filter is then not compiled and run a second time."""
    if visible_case_ids is not None:
        entries = JournalEntry.objects.filter(case_id__in=visible_case_ids)
    else:
        # A correlated EXISTS (one primary-key probe per entry) rather than ``case__in``: the latter
        # makes PostgreSQL list every case the user may see, which grows with the city.
        entries = JournalEntry.objects.filter(Exists(visible_cases(user).filter(pk=OuterRef("case_id"))))
    entries = entries.filter(Q(status=JournalStatus.SIGNED) | Q(author=user))
    if person is not None:
        entries = entries.filter(person=person)
    if case is not None:
        entries = entries.filter(case=case)
    if category:
        entries = entries.filter(category=category)
    if author_id:
        entries = entries.filter(author_id=author_id)
    if period_from:
        entries = entries.filter(occurred_on__gte=period_from)
    if period_to:
        entries = entries.filter(occurred_on__lte=period_to)
    return entries.select_related("author", "case__case_type", "corrects").prefetch_related(
        Prefetch("corrections", queryset=JournalEntry.objects.only("id", "corrects_id", "signed_at"))
    )


def journal_entry_for_user(user, entry_id: int) -> JournalEntry:
    entry = journal_entries(user).filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    return entry


def open_deadlines_of_cases(case_ids) -> QuerySet[Deadline]:
    return (
        Deadline.objects.filter(case_id__in=case_ids, status=DeadlineStatus.OPEN)
        .select_related("case__case_type", "case__person", "rule")
        .order_by("due_on")
    )


def deadlines_for_start_page(user, limit: int = 50) -> list[Deadline]:
    """Open deadlines the user must act on, soonest first: their cases', their own and those escalated
    to them.

    Two narrow queries, each answered from an index and cut at ``limit``, merged here (as one
    query the three conditions are an OR across a join that no index serves, which read every open
    deadline in the city); then the soonest ``limit`` read whole, once."""
    keys = set(deadlines_of_my_cases(user).values_list("due_on", "pk")[:limit])
    keys |= set(deadlines_assigned_or_escalated(user).values_list("due_on", "pk")[:limit])
    soonest = [pk for _due, pk in sorted(keys)[:limit]]
    if not soonest:
        return []
    return list(
        Deadline.objects.filter(pk__in=soonest)
        .select_related("case__person", "rule")
        # What the start page shows of them: a hundred rows with every person column were a tenth
        # of the page's time.
        .only(*START_PAGE_DEADLINE_FIELDS)
        .order_by("due_on", "pk")
    )


START_PAGE_DEADLINE_FIELDS = (
    "case_id",
    "title",
    "due_on",
    "status",
    "assigned_to_id",
    "escalated_to_id",
    "rule__name",
    "rule__name_en",
    "case__reference",
    "case__person__first_name",
    "case__person__last_name",
)


def _start_page_deadlines(queryset: QuerySet[Deadline]) -> QuerySet[Deadline]:
    return queryset.filter(status=DeadlineStatus.OPEN).order_by("due_on", "pk")


def deadlines_of_my_cases(user) -> QuerySet[Deadline]:
    """Open deadlines of the cases assigned to the user."""
    return _start_page_deadlines(Deadline.objects.filter(case__in=assigned_cases(user).values("pk")))


def deadlines_assigned_or_escalated(user) -> QuerySet[Deadline]:
    """Open deadlines assigned or escalated to the user, of cases the user may see."""
    visible = visible_cases(user).filter(pk=OuterRef("case_id"))
    return _start_page_deadlines(
        Deadline.objects.filter(Q(assigned_to=user) | Q(escalated_to=user)).filter(Exists(visible))
    )


def assigned_cases(user) -> QuerySet[Case]:
    """The cases assigned to the user that the user may see (see ``restrict_to_assigned``)."""
    return restrict_to_assigned(Case.objects.all(), user)


def my_open_cases(user) -> QuerySet[Case]:
    return (
        assigned_cases(user)
        .exclude(stage=Stage.CLOSED)
        .select_related("person", "case_type")
        .order_by("stage", "-received_on")
    )


def open_cases_for_start_page(user) -> QuerySet[Case]:
    """``my_open_cases`` with only what the start page's list shows of them."""
    return my_open_cases(user).only(
        "stage",
        "reference",
        "received_on",
        "service_area",
        "unit_id",
        "assigned_to_id",
        "person__first_name",
        "person__last_name",
        "case_type__name",
        "case_type__name_en",
    )


def recent_person_ids(user, limit: int = 8) -> list[int]:
    """The persons the user opened most recently (from the user's own audit trail)."""
    seen: list[int] = []
    rows = (
        AuditEvent.objects.filter(user_id=user.pk, action="view_person", person_id__isnull=False)
        .order_by("-seq")
        .values_list("person_id", flat=True)[: limit * 5]
    )
    for person_id in rows:
        if person_id is not None and person_id not in seen:
            seen.append(person_id)
        if len(seen) == limit:
            break
    return seen


def active_orders_for_provider_user(user) -> QuerySet[Order]:
    """Orders of the providers the user works for (provider staff's work list)."""
    from sociala.access.policy import scope_for

    providers = scope_for(user).provider_ids
    return (
        Order.objects.filter(provider_id__in=providers, status="active")
        .select_related("intervention__case__person", "intervention__case__case_type", "provider")
        .order_by("-sent_at")
    )


def phrases_for(user) -> QuerySet[Phrase]:
    from sociala.access.policy import scope_for

    units = scope_for(user).case_unit_ids
    return Phrase.objects.filter(Q(unit__isnull=True) | Q(unit_id__in=units))


def today() -> date:
    return timezone.localdate()
