"""Reads of the audit log, for log review (callers check the log-reviewer role)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from .models import AuditEvent, ReviewFlag, ReviewRuleCode, ReviewVerdict, ReviewVerdictChoice


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


# --- Log review ----------------------------------------------------------------------------------------


def review_queue(
    user,
    *,
    district_id: int | None = None,
    rule: str | None = None,
    status: str = "open",
    month: tuple[int, int] | None = None,
) -> QuerySet[ReviewFlag]:
    """Flagged accesses the reviewer may judge (never their own), oldest first; ``status`` is open, done
    or all."""
    from .review import month_bounds, reviewer_district_ids

    districts = reviewer_district_ids(user)
    if districts == set():
        return ReviewFlag.objects.none()
    flags = ReviewFlag.objects.exclude(user_id=user.pk)
    if districts is not None:
        flags = flags.filter(district_id__in=districts)
    if district_id is not None:
        flags = flags.filter(district_id=district_id)
    if rule:
        flags = flags.filter(rule=rule)
    if status == "open":
        flags = flags.filter(verdict="")
    elif status == "done":
        flags = flags.exclude(verdict="")
    if month is not None:
        first, last = month_bounds(*month)
        flags = flags.filter(day__gte=first, day__lte=last)
    return flags.order_by("day", "pk")


@dataclass
class FlagContext:
    """What a reviewer needs to judge one flagged access."""

    flag: ReviewFlag
    user: Any
    person: Any
    events: list[AuditEvent]
    assignments: list[Any]
    cases: list[Any]
    emergency_grants: list[Any]
    consents: list[Any]
    verdicts: list[Any]


def flag_context(flag: ReviewFlag) -> FlagContext:
    """The flagged user's events that day (about the person, or all of them for a busy day), their
    assignments then, the person's cases with unit and assignee, and emergency grants and consents."""
    from sociala.access.models import Consent, EmergencyAccess
    from sociala.accounts.models import Assignment, User
    from sociala.people.models import Person

    day_start = _start_of(flag.day)
    day_end = _start_of(flag.day + timedelta(days=1))
    events = AuditEvent.objects.filter(
        user_id=flag.user_id, occurred_at__gte=day_start, occurred_at__lt=day_end
    )
    if flag.person_id is not None:
        events = events.filter(person_id=flag.person_id)
    user = User.objects.filter(pk=flag.user_id).first()
    person = (
        Person.objects.select_related("district").filter(pk=flag.person_id).first()
        if flag.person_id
        else None
    )
    assignments = [
        a
        for a in Assignment.objects.filter(user_id=flag.user_id).select_related(
            "unit__administration__committee", "team", "committee", "provider"
        )
        if a.is_active_on(flag.day)
    ]
    cases: list[Any] = []
    grants: list[Any] = []
    consents: list[Any] = []
    if person is not None:
        case_model = Person._meta.get_field("cases").related_model
        cases = list(
            case_model.objects.filter(person=person)
            .select_related("unit", "assigned_to", "case_type")
            .order_by("-received_on")[:20]
        )
        grants = list(
            EmergencyAccess.objects.filter(
                user_id=flag.user_id, person=person, granted_at__lt=day_end, expires_at__gt=day_start
            ).order_by("granted_at")
        )
        consents = list(Consent.objects.filter(person=person).order_by("-valid_from"))
    return FlagContext(
        flag=flag,
        user=user,
        person=person,
        events=list(events.order_by("seq")[:200]),
        assignments=assignments,
        cases=cases,
        emergency_grants=grants,
        consents=consents,
        verdicts=list(flag.verdicts.all()),
    )


def monthly_review_report(district_id: int, year: int, month: int) -> dict:
    """The month's log review of one district: flags per rule with verdicts, the random sample, and
    every access judged a breach or needing follow-up."""
    from .review import month_bounds

    first, last = month_bounds(year, month)
    flags = ReviewFlag.objects.filter(district_id=district_id, day__gte=first, day__lte=last)
    per_rule = []
    counts = {
        (row["rule"], row["verdict"]): row["n"]
        for row in flags.values("rule", "verdict").annotate(n=Count("pk")).order_by()
    }
    for code, label in ReviewRuleCode.choices:
        by_verdict = {v: counts.get((code, v), 0) for v in ["", *ReviewVerdictChoice.values]}
        total = sum(by_verdict.values())
        per_rule.append(
            {
                "code": code,
                "label": label,
                "total": total,
                "open": by_verdict[""],
                **{k: by_verdict[k] for k in ReviewVerdictChoice.values},
            }
        )
    sample = list(flags.filter(rule=ReviewRuleCode.RANDOM_SAMPLE).order_by("day", "pk"))
    findings = list(
        flags.filter(verdict__in=[ReviewVerdictChoice.FOLLOW_UP, ReviewVerdictChoice.BREACH]).order_by(
            "day", "pk"
        )
    )
    latest = {}
    for verdict in ReviewVerdict.objects.filter(flag__in=[*sample, *findings]).order_by("decided_at", "pk"):
        latest[verdict.flag_id] = verdict
    return {
        "first": first,
        "last": last,
        "per_rule": per_rule,
        "total": sum(r["total"] for r in per_rule),
        "open": sum(r["open"] for r in per_rule),
        "sample": sample,
        "findings": findings,
        "latest_verdicts": latest,
    }
