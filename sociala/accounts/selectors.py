"""Reads for access administration: staff, units and teams within an administrator's districts."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from sociala.organization.models import Committee, Team, Unit

from .models import Assignment, TeamAccess, User
from .services.administration import AdminScope, admin_scope


def units_in_scope(scope: AdminScope) -> QuerySet[Unit]:
    units = Unit.objects.select_related("administration__committee").order_by(
        "administration__committee__name", "name"
    )
    return units if scope.all_districts else units.filter(administration__committee_id__in=scope.district_ids)


def teams_in_scope(scope: AdminScope) -> QuerySet[Team]:
    teams = Team.objects.select_related("unit__administration__committee").order_by("unit__name", "name")
    return (
        teams
        if scope.all_districts
        else teams.filter(unit__administration__committee_id__in=scope.district_ids)
    )


def districts_in_scope(scope: AdminScope) -> QuerySet[Committee]:
    districts = Committee.objects.filter(kind=Committee.Kind.DISTRICT).order_by("name")
    return districts if scope.all_districts else districts.filter(pk__in=scope.district_ids)


def staff_for_administrator(actor: User, query: str = "", limit: int = 100) -> QuerySet[User]:
    """Staff with current or coming access in the administrator's districts; with a query, any staff
    member whose name or user name matches (to give access to someone new to the district)."""
    scope = admin_scope(actor)
    if not scope.may_administer:
        return User.objects.none()
    users = User.objects.filter(is_active=True).exclude(username="sociala-system")
    query = (query or "").strip()
    if query:
        for word in query.split():
            users = users.filter(
                Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
            )
    else:
        today = timezone.localdate()
        current = Assignment.objects.filter(scope.assignment_q()).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=today)
        )
        users = users.filter(pk__in=current.values("user_id"))
    return users.order_by("last_name", "first_name", "username")[:limit]


def assignments_of(user: User) -> QuerySet[Assignment]:
    """All of a user's assignments, current and past, newest first."""
    return (
        Assignment.objects.filter(user=user)
        .select_related(
            "unit__administration__committee",
            "team__unit__administration",
            "committee",
            "provider",
            "certified_by",
        )
        .order_by("-valid_from", "-pk")
    )


def team_accesses(team: Team) -> QuerySet[TeamAccess]:
    return TeamAccess.objects.filter(team=team).order_by("-valid_from", "pk")
