"""Access administration: assignments, a team's access, leavers, and periodic recertification.

Local administrators manage the caseworker and unit manager assignments of their own district;
system administrators manage every assignment. Nobody changes their own access. Unit managers
confirm or end the access of the staff in their units (recertification). Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.accounts.choices import Role
from sociala.accounts.models import Assignment, RecertificationRule, TeamAccess, User
from sociala.audit.services import record_event
from sociala.core.choices import ServiceArea
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.organization.models import Committee, Provider, Team, Unit

# What a local administrator may give: the roles of one district's units.
LOCAL_GRANTABLE_ROLES = frozenset({Role.CASEWORKER, Role.UNIT_MANAGER})
UNIT_ROLES = frozenset({Role.CASEWORKER, Role.UNIT_MANAGER})
# Never expired by the recertification job: the system would lock out its last administrator.
NOT_EXPIRED_ROLES = frozenset({Role.SYSTEM_ADMINISTRATOR})


@dataclass
class AdminScope:
    """Which districts a user administers (all of them for a system administrator)."""

    all_districts: bool = False
    district_ids: set[int] = field(default_factory=set)

    @property
    def may_administer(self) -> bool:
        return self.all_districts or bool(self.district_ids)

    def covers_district(self, district_id: int | None) -> bool:
        if self.all_districts:
            return True
        return district_id is not None and district_id in self.district_ids

    def covers(self, assignment: Assignment) -> bool:
        return self.covers_district(assignment.district_id)

    def may_grant(self, role: str) -> bool:
        return self.all_districts or role in LOCAL_GRANTABLE_ROLES

    def assignment_q(self, prefix: str = "") -> Q:
        if self.all_districts:
            return Q()
        ids = self.district_ids
        return (
            Q(**{f"{prefix}committee_id__in": ids})
            | Q(**{f"{prefix}unit__administration__committee_id__in": ids})
            | Q(**{f"{prefix}team__unit__administration__committee_id__in": ids})
        )


def admin_scope(user, on: date | None = None) -> AdminScope:
    """The districts the user administers from their local administrator assignments."""
    scope = AdminScope()
    if user is None or not user.is_authenticated:
        return scope
    for assignment in user.active_assignments(on):
        if assignment.role == Role.SYSTEM_ADMINISTRATOR:
            scope.all_districts = True
        elif assignment.role == Role.LOCAL_ADMINISTRATOR and assignment.district_id:
            scope.district_ids.add(assignment.district_id)
    return scope


def manager_unit_ids(user, on: date | None = None) -> set[int]:
    return {a.unit_id for a in user.active_assignments(on) if a.role == Role.UNIT_MANAGER and a.unit_id}


def _forget_cached_access(user: User) -> None:
    for attr in ("_assignment_cache", "_access_scope"):
        if hasattr(user, attr):
            delattr(user, attr)


def _describe(assignment: Assignment) -> dict:
    return {
        "user_id": assignment.user_id,
        "username": assignment.user.username,
        "role": assignment.role,
        "unit_id": assignment.unit_id,
        "team_id": assignment.team_id,
        "committee_id": assignment.committee_id,
        "provider_id": assignment.provider_id,
        "service_areas": list(assignment.service_areas or []),
        "valid_from": assignment.valid_from.isoformat(),
        "valid_to": assignment.valid_to.isoformat() if assignment.valid_to else None,
    }


def _not_yourself(actor: User, user: User) -> None:
    if actor.pk == user.pk:
        raise InvalidInput({"user": _("Du kan inte ändra din egen behörighet. Be en annan administratör.")})


def _check_areas(service_areas) -> list[str]:
    areas = list(service_areas or [])
    if any(area not in ServiceArea.values for area in areas):
        raise InvalidInput({"service_areas": _("Välj verksamhetsområden ur listan.")})
    return sorted(set(areas))


@transaction.atomic
def add_assignment(
    *,
    actor: User,
    user: User,
    role: str,
    valid_from: date,
    valid_to: date | None = None,
    unit: Unit | None = None,
    team: Team | None = None,
    committee: Committee | None = None,
    provider: Provider | None = None,
    service_areas=None,
    team_access: TeamAccess | None = None,
) -> Assignment:
    """Give a user a role in a unit, team, district or provider for a period (from today or later)."""
    scope = admin_scope(actor)
    if not scope.may_administer:
        raise NotPermitted
    _not_yourself(actor, user)
    errors: dict = {}
    if role not in Role.values:
        errors["role"] = _("Välj en roll ur listan.")
    elif not scope.may_grant(role):
        errors["role"] = _("Den rollen ges av systemförvaltningen, inte av lokal administratör.")
    if team is not None:
        if unit is not None and unit.pk != team.unit_id:
            errors["team"] = _("Arbetsgruppen hör till en annan enhet.")
        unit = team.unit
    if role in UNIT_ROLES and unit is None:
        errors["unit"] = _("Välj enhet.")
    if role == Role.LOCAL_ADMINISTRATOR and committee is None:
        errors["committee"] = _("Välj stadsdelsnämnd.")
    if role == Role.PROVIDER_STAFF and provider is None:
        errors["provider"] = _("Välj utförare.")
    areas = _check_areas(service_areas)
    today = timezone.localdate()
    if valid_from < today:
        errors["valid_from"] = _("Behörighet kan inte ges bakåt i tiden. Välj i dag eller ett senare datum.")
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = _("Slutdatum kan inte vara före startdatum.")
    if errors:
        raise InvalidInput(errors)
    assignment = Assignment(
        user=user,
        role=role,
        unit=unit if role in UNIT_ROLES or role == Role.OUT_OF_HOURS else None,
        team=team,
        committee=committee if role == Role.LOCAL_ADMINISTRATOR or role not in UNIT_ROLES else None,
        provider=provider if role == Role.PROVIDER_STAFF else None,
        service_areas=areas,
        valid_from=valid_from,
        valid_to=valid_to,
        team_access=team_access,
        certified_on=today,
        certified_by=actor,
    )
    if not scope.covers(assignment):
        raise InvalidInput({"unit": _("Du kan bara ge behörighet i din egen stadsdel.")})
    assignment.save()
    record_event(
        actor=actor,
        action="add_assignment",
        object_type="assignment",
        object_id=assignment.pk,
        details=_describe(assignment),
    )
    _forget_cached_access(user)
    return assignment


def _may_end(actor: User, assignment: Assignment) -> bool:
    if admin_scope(actor).covers(assignment):
        return True
    return bool(assignment.unit_id and assignment.unit_id in manager_unit_ids(actor))


def _end(actor: User, assignment: Assignment, last_day: date, action: str) -> bool:
    """Set the last day of one assignment (only ever earlier); False when it already ends by then."""
    if assignment.valid_to is not None and assignment.valid_to <= last_day:
        return False
    before = assignment.valid_to
    assignment.valid_to = last_day
    assignment.save(update_fields=["valid_to"])
    record_event(
        actor=actor,
        action=action,
        object_type="assignment",
        object_id=assignment.pk,
        details={
            **_describe(assignment),
            "valid_to_before": before.isoformat() if before else None,
        },
    )
    _forget_cached_access(assignment.user)
    return True


def _check_last_day(last_day: date) -> None:
    if last_day < timezone.localdate() - timedelta(days=1):
        raise InvalidInput(
            {
                "last_day": _(
                    "Sista dag kan inte vara tidigare än i går (i går betyder: behörigheten upphör nu)."
                )
            }
        )


@transaction.atomic
def end_assignment(*, actor: User, assignment: Assignment, last_day: date) -> Assignment:
    """End one assignment after ``last_day`` (yesterday: from now on)."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",)).select_related("user").get(pk=assignment.pk)
    )
    if not _may_end(actor, assignment):
        raise NotPermitted
    _not_yourself(actor, assignment.user)
    _check_last_day(last_day)
    if not _end(actor, assignment, last_day, "end_assignment"):
        raise InvalidInput({"last_day": _("Behörigheten upphör redan tidigare.")})
    return assignment


# --- Teams ---------------------------------------------------------------------------------------------


def _check_team(actor: User, team: Team) -> AdminScope:
    scope = admin_scope(actor)
    if not scope.may_administer or not scope.covers_district(team.unit.administration.committee_id):
        raise NotPermitted
    return scope


def team_members(team: Team, on: date | None = None) -> QuerySet[User]:
    """Users with an assignment through the team that is in force on ``on`` or starts later."""
    on = on or timezone.localdate()
    return (
        User.objects.filter(
            Q(assignments__team=team)
            & (Q(assignments__valid_to__isnull=True) | Q(assignments__valid_to__gte=on))
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@transaction.atomic
def add_team_access(
    *, actor: User, team: Team, role: str, service_areas=None, valid_from: date, give_to_members: bool = False
) -> TeamAccess:
    """Add an assignment to the team's access; optionally give it to the team's members at once."""
    scope = _check_team(actor, team)
    errors: dict = {}
    if role not in UNIT_ROLES:
        errors["role"] = _("En arbetsgrupp kan ge rollerna handläggare och enhetschef.")
    elif not scope.may_grant(role):
        errors["role"] = _("Den rollen ges av systemförvaltningen, inte av lokal administratör.")
    areas = _check_areas(service_areas)
    if valid_from < timezone.localdate():
        errors["valid_from"] = _("Behörighet kan inte ges bakåt i tiden. Välj i dag eller ett senare datum.")
    if errors:
        raise InvalidInput(errors)
    team_access = TeamAccess.objects.create(team=team, role=role, service_areas=areas, valid_from=valid_from)
    record_event(
        actor=actor,
        action="add_team_access",
        object_type="team",
        object_id=team.pk,
        details={
            "team_access_id": team_access.pk,
            "role": role,
            "service_areas": areas,
            "valid_from": valid_from.isoformat(),
        },
    )
    if give_to_members:
        for member in team_members(team, valid_from):
            if member.pk == actor.pk:
                continue
            add_assignment(
                actor=actor,
                user=member,
                role=role,
                team=team,
                service_areas=areas,
                valid_from=valid_from,
                team_access=team_access,
            )
    return team_access


@transaction.atomic
def end_team_access(*, actor: User, team_access: TeamAccess, last_day: date) -> int:
    """End one of the team's accesses, and every member's assignment given from it; returns how many."""
    team_access = (
        TeamAccess.objects.select_for_update(of=("self",))
        .select_related("team__unit__administration")
        .get(pk=team_access.pk)
    )
    _check_team(actor, team_access.team)
    _check_last_day(last_day)
    if team_access.valid_to is None or team_access.valid_to > last_day:
        team_access.valid_to = last_day
        team_access.save(update_fields=["valid_to"])
    record_event(
        actor=actor,
        action="end_team_access",
        object_type="team",
        object_id=team_access.team_id,
        details={"team_access_id": team_access.pk, "last_day": last_day.isoformat()},
    )
    ended = 0
    rows = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(team_access=team_access)
    )
    for assignment in rows:
        if assignment.user_id == actor.pk:
            continue
        ended += _end(actor, assignment, last_day, "end_assignment")
    return ended


@transaction.atomic
def add_team_member(*, actor: User, user: User, team: Team, valid_from: date) -> list[Assignment]:
    """A new member of the team gets every access the team has (from ``valid_from``)."""
    _check_team(actor, team)
    _not_yourself(actor, user)
    accesses = [
        a for a in TeamAccess.objects.filter(team=team) if a.valid_to is None or a.valid_to >= valid_from
    ]
    if not accesses:
        raise InvalidInput(
            {"team": _("Arbetsgruppen har ingen behörighet att ge. Lägg till gruppens behörighet först.")}
        )
    held = set(
        Assignment.objects.filter(user=user, team_access__in=accesses)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        .values_list("team_access_id", flat=True)
    )
    created = []
    for access in accesses:
        if access.pk in held:
            continue
        created.append(
            add_assignment(
                actor=actor,
                user=user,
                role=access.role,
                team=team,
                service_areas=access.service_areas,
                valid_from=max(valid_from, access.valid_from),
                valid_to=access.valid_to,
                team_access=access,
            )
        )
    if not created:
        raise InvalidInput({"user": _("Användaren har redan gruppens behörigheter.")})
    return created


@transaction.atomic
def end_team_membership(*, actor: User, user: User, team: Team, last_day: date) -> int:
    """A member leaves the team: every assignment through the team ends after ``last_day``."""
    _check_team(actor, team)
    _not_yourself(actor, user)
    _check_last_day(last_day)
    ended = 0
    for assignment in (
        Assignment.objects.select_for_update(of=("self",)).select_related("user").filter(user=user, team=team)
    ):
        ended += _end(actor, assignment, last_day, "end_assignment")
    return ended


@transaction.atomic
def end_all_access(*, actor: User, user: User, last_day: date) -> tuple[int, int]:
    """A leaver loses every assignment the actor administers after ``last_day``. Returns how many were
    ended and how many are outside the actor's districts (those need their own administrator)."""
    scope = admin_scope(actor)
    if not scope.may_administer:
        raise NotPermitted
    _not_yourself(actor, user)
    _check_last_day(last_day)
    ended = outside = 0
    rows = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("user", "unit__administration", "team__unit__administration")
        .filter(user=user)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=last_day))
    )
    for assignment in rows:
        if scope.covers(assignment):
            ended += _end(actor, assignment, last_day, "end_assignment")
        else:
            outside += 1
    if ended == 0 and outside == 0:
        raise InvalidInput({"last_day": _("Användaren har ingen behörighet som gäller efter det datumet.")})
    record_event(
        actor=actor,
        action="end_all_access",
        object_type="user",
        object_id=user.pk,
        details={"last_day": last_day.isoformat(), "ended": ended, "outside_scope": outside},
    )
    return ended, outside


# --- Recertification -----------------------------------------------------------------------------------


def recertification_period_days(on: date | None = None) -> int | None:
    """The number of days access stays valid without confirmation, by the rule in force on ``on``."""
    on = on or timezone.localdate()
    rule = RecertificationRule.objects.filter(valid_from__lte=on).order_by("-valid_from").first()
    return rule.period_days if rule else None


def recertification_due_on(assignment: Assignment, period_days: int | None) -> date | None:
    return assignment.certified_on + timedelta(days=period_days) if period_days is not None else None


def may_recertify(actor: User, assignment: Assignment) -> bool:
    """Unit managers for the staff of their units; administrators for their districts; never oneself."""
    if actor.pk == assignment.user_id:
        return False
    if assignment.unit_id and assignment.unit_id in manager_unit_ids(actor):
        return True
    return admin_scope(actor).covers(assignment)


def assignments_to_recertify(actor: User, on: date | None = None) -> QuerySet[Assignment]:
    """Assignments in force that the actor confirms: their units' staff, their districts' assignments."""
    on = on or timezone.localdate()
    units = manager_unit_ids(actor, on)
    scope = admin_scope(actor, on)
    if not units and not scope.may_administer:
        return Assignment.objects.none()
    q = Q(unit_id__in=units) if units else Q(pk__in=[])
    if scope.may_administer:
        q |= scope.assignment_q()
    return (
        Assignment.objects.filter(q, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .exclude(user=actor)
        .select_related(
            "user", "unit__administration__committee", "team", "committee", "provider", "certified_by"
        )
        .order_by("certified_on", "user__last_name", "user__first_name", "pk")
    )


@transaction.atomic
def recertify_assignment(*, actor: User, assignment: Assignment) -> Assignment:
    """A manager confirms that one of their staff still needs this access."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("user", "unit__administration", "team__unit__administration")
        .get(pk=assignment.pk)
    )
    if not may_recertify(actor, assignment):
        raise NotPermitted
    today = timezone.localdate()
    if not assignment.is_active_on(today):
        raise InvalidInput({"assignment": _("Behörigheten gäller inte längre.")})
    before = assignment.certified_on
    assignment.certified_on = today
    assignment.certified_by = actor
    assignment.save(update_fields=["certified_on", "certified_by"])
    record_event(
        actor=actor,
        action="recertify_assignment",
        object_type="assignment",
        object_id=assignment.pk,
        details={**_describe(assignment), "certified_on_before": before.isoformat()},
    )
    return assignment


@transaction.atomic
def remove_recertified_access(*, actor: User, assignment: Assignment) -> Assignment:
    """A manager removes access one of their staff no longer needs; it ends now."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("user", "unit__administration", "team__unit__administration")
        .get(pk=assignment.pk)
    )
    if not may_recertify(actor, assignment):
        raise NotPermitted
    if not _end(actor, assignment, timezone.localdate() - timedelta(days=1), "end_assignment"):
        raise InvalidInput({"assignment": _("Behörigheten har redan upphört.")})
    return assignment


@transaction.atomic
def expire_unrecertified(*, actor: User, on: date | None = None) -> list[Assignment]:
    """The daily job: access not confirmed within the period in force ends (its last day was yesterday)."""
    on = on or timezone.localdate()
    period = recertification_period_days(on)
    if period is None:
        return []
    cutoff = on - timedelta(days=period)
    rows = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(certified_on__lt=cutoff, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .exclude(role__in=NOT_EXPIRED_ROLES)
        .order_by("pk")
    )
    expired = []
    for assignment in rows:
        if _end(actor, assignment, on - timedelta(days=1), "expire_assignment"):
            expired.append(assignment)
    return expired
