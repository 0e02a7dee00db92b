"""Log review (loggkontroll): rules that flag accesses in the audit log, a monthly random sample per
district, and the reviewers' verdicts.

A flagged access is one user's events about one person on one local day, under one rule (for "many
persons", the user's whole day). The run reads the log from where it stopped (``ReviewCursor``) and is
safe to repeat: a flag is unique per rule, user, person and day. Rules and thresholds are data
(``ReviewRule``, loaded by a data migration).

The reads of cases and orders go through field names, as in the access policy, so that ``audit`` does
not import the domain apps.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.accounts.choices import Role
from sociala.accounts.models import Assignment, User
from sociala.accounts.services import SYSTEM_USERNAME
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.people.models import Person

from .models import (
    AuditEvent,
    ReviewCursor,
    ReviewFlag,
    ReviewRule,
    ReviewRuleCode,
    ReviewVerdict,
    ReviewVerdictChoice,
)
from .services import record_event

# The reviewers' own work is not itself flagged.
REVIEW_ACTIONS = frozenset(
    {"review_audit_log", "view_review_flag", "review_verdict", "draw_review_sample", "download_review_report"}
)
CASE_ROLES = frozenset({Role.CASEWORKER, Role.UNIT_MANAGER})


def _case_model():
    return Person._meta.get_field("cases").related_model


def _order_model():
    case_model = _case_model()
    intervention = case_model._meta.get_field("interventions").related_model
    return intervention._meta.get_field("orders").related_model


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def rules_in_force(on: date) -> dict[str, ReviewRule]:
    """The latest version of each rule valid on ``on``, active or not."""
    rules: dict[str, ReviewRule] = {}
    for rule in ReviewRule.objects.filter(valid_from__lte=on).order_by("code", "-valid_from"):
        rules.setdefault(rule.code, rule)
    return rules


# --- Who may review ------------------------------------------------------------------------------------


def reviewer_district_ids(user) -> set[int] | None:
    """The districts whose accesses the user reviews: None for every district, an empty set for none."""
    if user is None or not user.is_authenticated:
        return set()
    districts: set[int] = set()
    for assignment in user.active_assignments():
        if assignment.role != Role.LOG_REVIEWER:
            continue
        if assignment.district_id is None:
            return None
        districts.add(assignment.district_id)
    return districts


def may_review(user) -> bool:
    return reviewer_district_ids(user) != set()


def may_review_flag(user, flag: ReviewFlag) -> bool:
    districts = reviewer_district_ids(user)
    if districts == set() or flag.user_id == user.pk:
        return False
    return districts is None or flag.district_id in districts


# --- The rules -----------------------------------------------------------------------------------------


def _surnames(text: str) -> set[str]:
    return {part for part in re.split(r"[\s\-]+", (text or "").casefold()) if len(part) >= 2}


def _address_key(street: str, postal_code: str) -> tuple[str, str]:
    return (re.sub(r"\s+", " ", (street or "").casefold()).strip(), (postal_code or "").replace(" ", ""))


def same_address(user: User, person: Person) -> bool:
    user_street, user_code = _address_key(user.street_address, user.postal_code)
    person_street, person_code = _address_key(person.street_address, person.postal_code)
    if not user_street or user_street != person_street:
        return False
    return not (user_code and person_code) or user_code == person_code


class _UserFacts:
    """What the rules need to know about one user, loaded once per run."""

    def __init__(self, user: User, assignments: list[Assignment]):
        self.user = user
        self.assignments = assignments
        self._caseload: dict[tuple[int, date], bool] = {}

    def active_on(self, day: date) -> list[Assignment]:
        return [a for a in self.assignments if a.is_active_on(day)]

    def district_on(self, day: date) -> int | None:
        for assignment in self.active_on(day):
            if assignment.district_id:
                return assignment.district_id
        return None

    def has_caseload(self, person_id: int, day: date) -> bool:
        """Whether the person is one of the user's: a case assigned to them or in their unit, or an order
        to their provider, as of that day."""
        key = (person_id, day)
        if key not in self._caseload:
            active = self.active_on(day)
            units = {a.unit_id for a in active if a.role in CASE_ROLES and a.unit_id}
            providers = {a.provider_id for a in active if a.role == Role.PROVIDER_STAFF and a.provider_id}
            q = Q(assigned_to_id=self.user.pk)
            if units:
                q |= Q(unit_id__in=units)
            found = _case_model().objects.filter(q, person_id=person_id).exists()
            if not found and providers:
                found = (
                    _order_model()
                    .objects.filter(provider_id__in=providers, intervention__case__person_id=person_id)
                    .filter(sent_at__lt=start_of(day + timedelta(days=1)))
                    .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=start_of(day)))
                    .exists()
                )
            self._caseload[key] = found
        return self._caseload[key]


def _load_users(user_ids) -> dict[int, _UserFacts]:
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
    assignments: dict[int, list[Assignment]] = {pk: [] for pk in users}
    for assignment in Assignment.objects.filter(user_id__in=users).select_related(
        "unit__administration", "team__unit__administration"
    ):
        assignments[assignment.user_id].append(assignment)
    return {pk: _UserFacts(user, assignments[pk]) for pk, user in users.items()}


def flags_for_event(
    event: AuditEvent, facts: _UserFacts, person: Person, rules: dict[str, ReviewRule]
) -> list[tuple[str, dict]]:
    """The rules this one event breaks, each with details for the reviewer."""

    def active(code: str) -> bool:
        rule = rules.get(code)
        return rule is not None and rule.is_active

    day = local_day(event.occurred_at)
    found: list[tuple[str, dict]] = []
    if event.is_emergency and active(ReviewRuleCode.EMERGENCY_ACCESS):
        found.append((ReviewRuleCode.EMERGENCY_ACCESS, {"reason": event.reason}))
    if person.protection_level and active(ReviewRuleCode.PROTECTED_PERSON):
        found.append((ReviewRuleCode.PROTECTED_PERSON, {"protection_level": person.protection_level}))
    if (
        not event.is_emergency
        and active(ReviewRuleCode.OUTSIDE_CASELOAD)
        and not facts.has_caseload(person.pk, day)
    ):
        found.append((ReviewRuleCode.OUTSIDE_CASELOAD, {}))
    shared = _surnames(facts.user.last_name) & _surnames(person.last_name)
    if shared and active(ReviewRuleCode.SAME_SURNAME):
        found.append((ReviewRuleCode.SAME_SURNAME, {"surname": sorted(shared)[0]}))
    if active(ReviewRuleCode.SAME_ADDRESS) and same_address(facts.user, person):
        found.append((ReviewRuleCode.SAME_ADDRESS, {}))
    return found


@dataclass
class ReviewRunResult:
    """What one run read and flagged."""

    events_read: int = 0
    flags_created: int = 0
    last_seq: int = 0


def _reviewable(events):
    return [
        e for e in events if e.user_id and e.username != SYSTEM_USERNAME and e.action not in REVIEW_ACTIONS
    ]


def _save_flags(candidates: dict[tuple, ReviewFlag]) -> int:
    if not candidates:
        return 0
    keys = list(candidates)
    existing = set(
        ReviewFlag.objects.filter(
            rule__in={k[0] for k in keys},
            user_id__in={k[1] for k in keys},
            day__in={k[3] for k in keys},
        ).values_list("rule", "user_id", "person_id", "day")
    )
    new = [flag for key, flag in candidates.items() if key not in existing]
    ReviewFlag.objects.bulk_create(new)
    return len(new)


def _review_batch(events: list[AuditEvent], now: datetime) -> int:
    """Flag the accesses in one batch of events; returns the number of new flags."""
    events = _reviewable(events)
    if not events:
        return 0
    facts = _load_users({e.user_id for e in events})
    persons = Person.objects.in_bulk({e.person_id for e in events if e.person_id})
    rules_by_day: dict[date, dict[str, ReviewRule]] = {}
    candidates: dict[tuple, ReviewFlag] = {}
    touched: set[tuple[int, date]] = set()

    def add(rule: str, event: AuditEvent, person_id: int | None, day: date, district_id, details: dict):
        key = (rule, event.user_id, person_id, day)
        if key not in candidates:
            candidates[key] = ReviewFlag(
                rule=rule,
                user_id=event.user_id,
                username=event.username,
                person_id=person_id,
                day=day,
                district_id=district_id,
                first_event=event,
                details=details,
                created_at=now,
            )

    for event in events:
        user_facts = facts.get(event.user_id)
        if user_facts is None:
            continue
        day = local_day(event.occurred_at)
        touched.add((event.user_id, day))
        person = persons.get(event.person_id) if event.person_id else None
        if person is None:
            continue
        rules = rules_by_day.setdefault(day, rules_in_force(day))
        district_id = user_facts.district_on(day) or person.district_id
        for rule, details in flags_for_event(event, user_facts, person, rules):
            add(rule, event, person.pk, day, district_id, details)
    for (user_id, day), count, event in _busy_days(touched, events):
        rules = rules_by_day.setdefault(day, rules_in_force(day))
        rule = rules.get(ReviewRuleCode.MANY_PERSONS)
        if rule is None or not rule.is_active or rule.threshold is None or count <= rule.threshold:
            continue
        add(
            ReviewRuleCode.MANY_PERSONS,
            event,
            None,
            day,
            facts[user_id].district_on(day),
            {"persons": count, "threshold": rule.threshold},
        )
    return _save_flags(candidates)


def _busy_days(touched: set[tuple[int, date]], events: list[AuditEvent]):
    """For each user and day in the batch: the number of distinct persons in the whole day's log."""
    if not touched:
        return []
    first = min(day for _user, day in touched)
    last = max(day for _user, day in touched)
    rows = (
        AuditEvent.objects.filter(
            user_id__in={user for user, _day in touched},
            person_id__isnull=False,
            occurred_at__gte=start_of(first),
            occurred_at__lt=start_of(last + timedelta(days=1)),
        )
        .exclude(action__in=REVIEW_ACTIONS)
        .annotate(day=TruncDate("occurred_at", tzinfo=timezone.get_current_timezone()))
        .values("user_id", "day")
        .annotate(persons=Count("person_id", distinct=True))
    )
    last_event = {}
    for event in events:
        last_event[(event.user_id, local_day(event.occurred_at))] = event
    return [
        ((row["user_id"], row["day"]), row["persons"], last_event[(row["user_id"], row["day"])])
        for row in rows
        if (row["user_id"], row["day"]) in touched
    ]


def run_log_review(*, batch_size: int = 2000, max_batches: int | None = None) -> ReviewRunResult:
    """Read the audit log from where the last run stopped and flag the accesses the rules pick out."""
    result = ReviewRunResult()
    batches = 0
    while max_batches is None or batches < max_batches:
        with transaction.atomic():
            cursor, _created = ReviewCursor.objects.select_for_update().get_or_create(id=1)
            events = list(AuditEvent.objects.filter(seq__gt=cursor.last_seq).order_by("seq")[:batch_size])
            if not events:
                result.last_seq = cursor.last_seq
                break
            now = timezone.now()
            result.flags_created += _review_batch(events, now)
            result.events_read += len(events)
            cursor.last_seq = events[-1].seq
            cursor.updated_at = now
            cursor.save(update_fields=["last_seq", "updated_at"])
            result.last_seq = cursor.last_seq
        batches += 1
    return result


# --- The monthly sample --------------------------------------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def district_user_ids(district_id: int, first: date, last: date) -> set[int]:
    """Users with an assignment in the district at some time during the period."""
    return set(
        Assignment.objects.filter(
            Q(committee_id=district_id)
            | Q(unit__administration__committee_id=district_id)
            | Q(team__unit__administration__committee_id=district_id),
            valid_from__lte=last,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        .values_list("user_id", flat=True)
    )


@transaction.atomic
def draw_monthly_sample(*, actor, district_id: int, year: int, month: int) -> list[ReviewFlag]:
    """Draw the month's random sample of accesses by the district's staff into the review queue.
    The draw is reproducible (seeded by district and month) and made once; a second call returns it."""
    districts = reviewer_district_ids(actor)
    if districts == set() or (districts is not None and district_id not in districts):
        raise NotPermitted
    first, last = month_bounds(year, month)
    if first > timezone.localdate():
        raise InvalidInput({"month": _("Stickprov kan bara göras för en månad som har börjat.")})
    existing = list(
        ReviewFlag.objects.filter(
            rule=ReviewRuleCode.RANDOM_SAMPLE, district_id=district_id, day__gte=first, day__lte=last
        ).order_by("day", "pk")
    )
    if existing:
        return existing
    rule = rules_in_force(last).get(ReviewRuleCode.RANDOM_SAMPLE)
    size = rule.threshold if rule is not None and rule.is_active and rule.threshold else 0
    users = district_user_ids(district_id, first, last)
    rows = (
        AuditEvent.objects.filter(
            user_id__in=users,
            person_id__isnull=False,
            occurred_at__gte=start_of(first),
            occurred_at__lt=start_of(last + timedelta(days=1)),
        )
        .exclude(action__in=REVIEW_ACTIONS)
        .exclude(username=SYSTEM_USERNAME)
        .annotate(day=TruncDate("occurred_at", tzinfo=timezone.get_current_timezone()))
        .values("user_id", "person_id", "day")
        .annotate(first_seq=Count("seq"))
        .order_by("user_id", "person_id", "day")
    )
    candidates = sorted({(r["user_id"], r["person_id"], r["day"]) for r in rows})
    chosen = random.Random(f"{district_id}-{year}-{month:02d}").sample(candidates, min(size, len(candidates)))
    now = timezone.now()
    flags = []
    for user_id, person_id, day in sorted(chosen):
        event = (
            AuditEvent.objects.filter(
                user_id=user_id,
                person_id=person_id,
                occurred_at__gte=start_of(day),
                occurred_at__lt=start_of(day + timedelta(days=1)),
            )
            .exclude(action__in=REVIEW_ACTIONS)
            .order_by("seq")
            .first()
        )
        if event is None:
            continue
        flags.append(
            ReviewFlag(
                rule=ReviewRuleCode.RANDOM_SAMPLE,
                user_id=user_id,
                username=event.username,
                person_id=person_id,
                day=day,
                district_id=district_id,
                first_event=event,
                details={"month": f"{year}-{month:02d}", "drawn_from": len(candidates)},
                created_at=now,
            )
        )
    ReviewFlag.objects.bulk_create(flags)
    record_event(
        actor=actor,
        action="draw_review_sample",
        object_type="district",
        object_id=district_id,
        details={"month": f"{year}-{month:02d}", "drawn": len(flags), "candidates": len(candidates)},
    )
    return flags


# --- Verdicts ------------------------------------------------------------------------------------------


@transaction.atomic
def record_verdict(*, actor, flag: ReviewFlag, verdict: str, comment: str = "") -> ReviewVerdict:
    """A reviewer judges one flagged access: without remark, needs follow-up, or a breach (with a
    comment for the last two)."""
    flag = ReviewFlag.objects.select_for_update().get(pk=flag.pk)
    if not may_review_flag(actor, flag):
        raise NotPermitted
    comment = (comment or "").strip()
    if verdict not in ReviewVerdictChoice.values:
        raise InvalidInput({"verdict": _("Välj ett utfall.")})
    if verdict != ReviewVerdictChoice.OK and not comment:
        raise InvalidInput({"comment": _("Skriv vad som ska följas upp eller vad som var fel.")})
    now = timezone.now()
    row = ReviewVerdict.objects.create(
        flag=flag,
        verdict=verdict,
        comment=comment,
        reviewer_id=actor.pk,
        reviewer_username=actor.username,
        decided_at=now,
    )
    before = flag.verdict
    flag.verdict = verdict
    flag.reviewed_at = now
    flag.reviewed_by_id = actor.pk
    flag.save(update_fields=["verdict", "reviewed_at", "reviewed_by_id"])
    record_event(
        actor=actor,
        action="review_verdict",
        person_id=flag.person_id,
        object_type="review_flag",
        object_id=flag.pk,
        details={
            "rule": flag.rule,
            "verdict": verdict,
            "verdict_before": before,
            "reviewed_user": flag.username,
        },
    )
    return row
