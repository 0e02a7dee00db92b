"""The access policy: who may read and write which person's data.

Every selector and API endpoint goes through these functions. The policy is
written against field names rather than importing the domain apps (they
depend on us, not we on them).

Rules, in the order they are applied:

* Only roles whose work needs personal data (caseworker, unit manager, provider
  staff, out-of-hours duty) see persons at all.
* A case is visible to the caseworkers of its unit and its assignee, and to
  the managers of its unit; only in the service areas of the assignment.
* A person is visible when the user sees one of the person's cases, when the
  person lives in a district the user works in (to start a new case), or
  through a valid emergency access. Provider staff see a person only while
  their provider has an active order for that person.
* Protected registration and fictitious identity: never visible through the
  district rule; only through a case, an order or emergency access. The
  address of such persons is never shown. A confidentiality-marked person's
  address is shown only to users who see one of their cases.
* Emergency access opens one person's cases in the user's service areas for a
  limited time; every read under it is flagged in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from sociala.accounts.choices import Role
from sociala.people.choices import ProtectionLevel
from sociala.people.models import Person

from .models import EmergencyAccess

VIEW = "view"
WRITE = "write"

OPEN_LEVELS = (ProtectionLevel.NONE, ProtectionLevel.CONFIDENTIALITY_MARKED)


@dataclass
class Scope:
    """What one user's assignments open, worked out once per request."""

    case_unit_ids: set[int] = field(default_factory=set)
    manager_unit_ids: set[int] = field(default_factory=set)
    district_ids: set[int] = field(default_factory=set)
    service_areas: set[str] = field(default_factory=set)
    provider_ids: set[int] = field(default_factory=set)
    emergency_areas: set[str] = field(default_factory=set)
    may_use_emergency_access: bool = False

    @property
    def sees_personal_data(self) -> bool:
        return bool(
            self.case_unit_ids or self.manager_unit_ids or self.provider_ids or self.may_use_emergency_access
        )


def scope_for(user, on: date | None = None) -> Scope:
    """The user's scope from their active assignments (cached on the user object)."""
    if user is None or not user.is_authenticated:
        return Scope()
    on = on or timezone.localdate()
    cached = getattr(user, "_access_scope", None)
    if cached and cached[0] == on:
        return cached[1]
    scope = Scope()
    for assignment in user.active_assignments(on):
        if assignment.role in (Role.CASEWORKER, Role.UNIT_MANAGER) and assignment.unit_id:
            scope.case_unit_ids.add(assignment.unit_id)
            if assignment.role == Role.UNIT_MANAGER:
                scope.manager_unit_ids.add(assignment.unit_id)
            scope.district_ids.add(assignment.unit.administration.committee_id)
            scope.service_areas |= assignment.areas
            scope.emergency_areas |= assignment.areas
            scope.may_use_emergency_access = True
        elif assignment.role == Role.PROVIDER_STAFF and assignment.provider_id:
            scope.provider_ids.add(assignment.provider_id)
        elif assignment.role == Role.OUT_OF_HOURS:
            scope.emergency_areas |= assignment.areas
            scope.may_use_emergency_access = True
    user._access_scope = (on, scope)
    return scope


def _case_model():
    return Person._meta.get_field("cases").related_model


def _active_emergency(user, now=None):
    now = now or timezone.now()
    return EmergencyAccess.objects.filter(user=user, granted_at__lte=now, expires_at__gt=now)


def case_q(user, scope: Scope | None = None, prefix: str = "") -> Q:
    """A Q over Case (or over a relation to it, with ``prefix``) matching the cases the user may see."""
    scope = scope or scope_for(user)
    p = prefix
    if not (scope.case_unit_ids or scope.emergency_areas):
        return Q(pk__in=[])
    q = Q(pk__in=[]) if not p else Q(**{f"{p}pk__in": []})
    if scope.case_unit_ids:
        q |= Q(**{f"{p}unit_id__in": scope.case_unit_ids, f"{p}service_area__in": scope.service_areas})
        q |= Q(**{f"{p}assigned_to_id": user.pk})
    if scope.emergency_areas:
        emergency_persons = _active_emergency(user).values("person_id")
        q |= Q(**{f"{p}person_id__in": emergency_persons, f"{p}service_area__in": scope.emergency_areas})
    return q


def restrict_cases(queryset: QuerySet, user) -> QuerySet:
    """Cases the user may see."""
    scope = scope_for(user)
    if not scope.sees_personal_data:
        return queryset.none()
    return queryset.filter(case_q(user, scope))


def restrict_persons(queryset: QuerySet, user) -> QuerySet:
    """Persons the user may see (see the module docstring for the rules)."""
    scope = scope_for(user)
    if not scope.sees_personal_data:
        return queryset.none()
    case_model = _case_model()
    q: Any = Q(pk__in=[])  # Q combined with Exists expressions
    if scope.case_unit_ids or scope.emergency_areas:
        visible = case_model.objects.filter(case_q(user, scope), person_id=OuterRef("pk"))
        q |= Exists(visible)
    if scope.district_ids:
        q |= Q(district_id__in=scope.district_ids, protection_level__in=OPEN_LEVELS)
    if scope.emergency_areas:
        q |= Q(pk__in=_active_emergency(user).values("person_id"))
    if scope.provider_ids:
        order_model = (
            case_model._meta.get_field("interventions").related_model._meta.get_field("orders").related_model
        )
        orders = order_model.objects.filter(
            provider_id__in=scope.provider_ids, status="active", intervention__case__person_id=OuterRef("pk")
        )
        q |= Exists(orders)
    return queryset.filter(q)


@dataclass(frozen=True)
class PersonAccess:
    """How a user reaches one person: whether at all, through emergency access, and the address."""

    allowed: bool
    is_emergency: bool = False
    reason: str = ""
    shows_address: bool = False


def person_access(user, person: Person) -> PersonAccess:
    """Decide how the user may see this person; emergency only when nothing else opens it."""
    scope = scope_for(user)
    if not scope.sees_personal_data:
        return PersonAccess(False)
    case_model = _case_model()
    sees_case = False
    if scope.case_unit_ids:
        normal = Q(unit_id__in=scope.case_unit_ids, service_area__in=scope.service_areas) | Q(
            assigned_to_id=user.pk
        )
        sees_case = case_model.objects.filter(normal, person_id=person.pk).exists()
    by_district = person.district_id in scope.district_ids and person.protection_level in OPEN_LEVELS
    by_order = False
    if scope.provider_ids:
        by_order = restrict_persons(Person.objects.filter(pk=person.pk), user).exists()
    shows_address = not person.address_is_secret and (
        person.protection_level != ProtectionLevel.CONFIDENTIALITY_MARKED or sees_case or by_order
    )
    if sees_case or by_district or by_order:
        return PersonAccess(True, shows_address=shows_address)
    grant = _active_emergency(user).filter(person=person).order_by("-granted_at").first()
    if grant is not None:
        return PersonAccess(True, is_emergency=True, reason=grant.reason, shows_address=shows_address)
    return PersonAccess(False)


def emergency_only_access(user, person: Person) -> PersonAccess:
    """For logging a write: flagged as emergency only when an active grant exists and nothing else opens
    the person. Costs one query when the user has no grant (the usual case)."""
    if not _active_emergency(user).filter(person=person).exists():
        return PersonAccess(True)
    return person_access(user, person)


def can_write_case(user, case) -> bool:
    """Writing in a case (journal, documents, steps): the case must be visible to the user."""
    return restrict_cases(_case_model().objects.filter(pk=case.pk), user).exists()


def can_request_emergency_access(user) -> bool:
    return scope_for(user).may_use_emergency_access


def may_review_logs(user) -> bool:
    return user.is_authenticated and user.has_role(Role.LOG_REVIEWER)
