"""Writes of single sign-on: group mappings, and the sign-in that provisions a user from the identity
provider's claims.

At every sign-in through a provider the user's provisioned assignments are made to match the groups the
provider sends: an assignment for each mapping in force whose group is present, and the end of each
provisioned assignment whose mapping no longer applies. Assignments that an administrator gave by hand
have no ``ProvisionedAssignment`` row and are never changed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.accounts.choices import Role
from sociala.accounts.models import Assignment, User
from sociala.accounts.services import system_actor
from sociala.audit.services import record_event
from sociala.core.choices import ServiceArea
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.organization.models import Committee, Provider, Unit

from .models import ExternalIdentity, GroupMapping, ProvisionedAssignment

UNIT_ROLES = frozenset({Role.CASEWORKER, Role.UNIT_MANAGER})


class SsoRefused(Exception):
    """The identity provider vouched for someone Sociala will not sign in; ``code`` says why."""

    MESSAGES = {
        "no_group": _(
            "Ditt konto i organisationen ger ingen behörighet i Sociala. Be din chef eller lokala "
            "administratör att lägga till dig i rätt grupp, och logga sedan in igen."
        ),
        "inactive": _("Ditt konto i Sociala är avstängt. Kontakta din lokala administratör."),
        "no_subject": _("Inloggningen gav oss ingen identitet. Försök igen eller kontakta support."),
    }

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)

    @property
    def message(self) -> str:
        return str(self.MESSAGES[self.code])


@dataclass(frozen=True)
class ExternalClaims:
    """What a verified sign-in at an identity provider says about the user."""

    idp: str
    subject: str
    username: str = ""
    given_name: str = ""
    family_name: str = ""
    email: str = ""
    groups: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class SignInResult:
    """The user to sign in, and what changed in their access."""

    user: User
    created: bool
    added: tuple[int, ...]
    ended: tuple[int, ...]


def _describe(assignment: Assignment, mapping: GroupMapping) -> dict:
    return {
        "user_id": assignment.user_id,
        "role": assignment.role,
        "unit_id": assignment.unit_id,
        "committee_id": assignment.committee_id,
        "provider_id": assignment.provider_id,
        "service_areas": list(assignment.service_areas or []),
        "valid_from": assignment.valid_from.isoformat(),
        "valid_to": assignment.valid_to.isoformat() if assignment.valid_to else None,
        "idp": mapping.idp,
        "group": mapping.group,
        "mapping_id": mapping.pk,
    }


def mappings_for(idp: str, groups, on: date | None = None) -> list[GroupMapping]:
    """The mappings in force that these groups grant."""
    on = on or timezone.localdate()
    names = {str(g) for g in groups}
    if not names:
        return []
    rows = GroupMapping.objects.filter(idp=idp, group__in=names, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    return list(rows.order_by("pk"))


_USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")


def _free_username(claims: ExternalClaims) -> str:
    """The provider's user name when it is free, else one made from the provider and subject."""
    wanted = _USERNAME_UNSAFE.sub("", claims.username or "")[:140]
    if wanted and not User.objects.filter(username__iexact=wanted).exists():
        return wanted
    base = _USERNAME_UNSAFE.sub("", f"{claims.idp}.{claims.subject}")[:140] or claims.idp
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _create_user(claims: ExternalClaims, actor: User) -> User:
    user = User(
        username=_free_username(claims),
        first_name=claims.given_name[:150],
        last_name=claims.family_name[:150],
        email=claims.email[:254],
    )
    user.set_unusable_password()
    user.save()
    ExternalIdentity.objects.create(idp=claims.idp, subject=claims.subject, user=user)
    record_event(
        actor=actor,
        action="sso_create_user",
        object_type="user",
        object_id=user.pk,
        details={
            "idp": claims.idp,
            "subject": claims.subject,
            "username": user.username,
            "groups": sorted(claims.groups),
        },
    )
    return user


def _update_profile(user: User, claims: ExternalClaims, actor: User) -> None:
    wanted = {"first_name": claims.given_name, "last_name": claims.family_name, "email": claims.email}
    changed = {
        name: {"before": getattr(user, name), "after": value[:150]}
        for name, value in wanted.items()
        if value and getattr(user, name) != value[:150]
    }
    if not changed:
        return
    for name, change in changed.items():
        setattr(user, name, change["after"])
    user.save(update_fields=list(changed))
    record_event(
        actor=actor,
        action="sso_update_user",
        object_type="user",
        object_id=user.pk,
        details={"idp": claims.idp, "changes": changed},
    )


def _grant(user: User, mapping: GroupMapping, today: date, actor: User) -> Assignment:
    assignment = Assignment.objects.create(
        user=user,
        role=mapping.role,
        unit=mapping.unit,
        committee=mapping.committee,
        provider=mapping.provider,
        service_areas=list(mapping.service_areas or []),
        valid_from=today,
        certified_on=today,
        certified_by=actor,
    )
    ProvisionedAssignment.objects.create(assignment=assignment, mapping=mapping, idp=mapping.idp)
    record_event(
        actor=actor,
        action="sso_add_assignment",
        object_type="assignment",
        object_id=assignment.pk,
        details=_describe(assignment, mapping),
    )
    return assignment


def _end(link: ProvisionedAssignment, today: date, actor: User) -> None:
    assignment = link.assignment
    before = assignment.valid_to
    assignment.valid_to = today - timedelta(days=1)
    assignment.save(update_fields=["valid_to"])
    record_event(
        actor=actor,
        action="sso_end_assignment",
        object_type="assignment",
        object_id=assignment.pk,
        details={
            **_describe(assignment, link.mapping),
            "valid_to_before": before.isoformat() if before else None,
        },
    )


def _sync_assignments(user: User, idp: str, granted: list[GroupMapping], today: date, actor: User):
    current = list(
        ProvisionedAssignment.objects.select_for_update(of=("self",))
        .select_related("assignment", "mapping")
        .filter(idp=idp, assignment__user=user, assignment__valid_from__lte=today)
        .filter(Q(assignment__valid_to__isnull=True) | Q(assignment__valid_to__gte=today))
        .order_by("pk")
    )
    granted_ids = {m.pk for m in granted}
    have = {link.mapping_id for link in current}
    ended = []
    for link in current:
        if link.mapping_id not in granted_ids:
            _end(link, today, actor)
            ended.append(link.assignment_id)
    added = [_grant(user, m, today, actor).pk for m in granted if m.pk not in have]
    for attr in ("_assignment_cache", "_access_scope"):
        if hasattr(user, attr):
            delattr(user, attr)
    return tuple(added), tuple(ended)


def sign_in_from_idp(*, claims: ExternalClaims) -> SignInResult:
    """Find or create the user for a verified sign-in and bring their provisioned access up to date with
    the provider's groups. Raises SsoRefused when the user gets no access (nothing is created then; an
    existing user's provisioned access ends) or is deactivated. The changes are made by the system actor
    on the provider's word and audited."""
    if not claims.subject:
        raise SsoRefused("no_subject")
    today = timezone.localdate()
    refused = ""
    with transaction.atomic():
        granted = mappings_for(claims.idp, claims.groups, today)
        identity = (
            ExternalIdentity.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(idp=claims.idp, subject=claims.subject)
            .first()
        )
        if identity is None and not granted:
            raise SsoRefused("no_group")
        actor = system_actor()
        created = identity is None
        if identity is None:
            user = _create_user(claims, actor)
        else:
            user = identity.user
            if not user.is_active:
                raise SsoRefused("inactive")
            _update_profile(user, claims, actor)
        added, ended = _sync_assignments(user, claims.idp, granted, today, actor)
        ExternalIdentity.objects.filter(idp=claims.idp, subject=claims.subject).update(
            last_login_at=timezone.now()
        )
        if not granted:
            refused = "no_group"
    if refused:
        raise SsoRefused(refused)
    return SignInResult(user=user, created=created, added=added, ended=ended)


# --- Group mappings ------------------------------------------------------------------------------------


def _may_map(actor: User) -> bool:
    return actor.has_role(Role.SYSTEM_ADMINISTRATOR)


@transaction.atomic
def add_group_mapping(
    *,
    actor: User,
    idp: str,
    group: str,
    role: str,
    unit: Unit | None = None,
    committee: Committee | None = None,
    provider: Provider | None = None,
    service_areas=None,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> GroupMapping:
    """A system administrator maps a group at an identity provider to a role in a unit, district or
    provider; it applies from the next sign-in of each member."""
    if not _may_map(actor):
        raise NotPermitted
    errors: dict = {}
    if not idp.strip():
        errors["idp"] = _("Ange identitetsleverantör.")
    if not group.strip():
        errors["group"] = _("Ange gruppens namn som identitetsleverantören skickar det.")
    if role not in Role.values:
        errors["role"] = _("Välj en roll ur listan.")
    if role in UNIT_ROLES and unit is None:
        errors["unit"] = _("Välj enhet.")
    if role == Role.LOCAL_ADMINISTRATOR and committee is None:
        errors["committee"] = _("Välj stadsdelsnämnd.")
    if role == Role.PROVIDER_STAFF and provider is None:
        errors["provider"] = _("Välj utförare.")
    areas = sorted(set(service_areas or []))
    if any(area not in ServiceArea.values for area in areas):
        errors["service_areas"] = _("Välj verksamhetsområden ur listan.")
    valid_from = valid_from or timezone.localdate()
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = _("Slutdatum kan inte vara före startdatum.")
    if errors:
        raise InvalidInput(errors)
    mapping = GroupMapping.objects.create(
        idp=idp.strip(),
        group=group.strip(),
        role=role,
        unit=unit,
        committee=committee,
        provider=provider,
        service_areas=areas,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    record_event(
        actor=actor,
        action="sso_add_group_mapping",
        object_type="sso_group_mapping",
        object_id=mapping.pk,
        details={
            "idp": mapping.idp,
            "group": mapping.group,
            "role": role,
            "unit_id": mapping.unit_id,
            "committee_id": mapping.committee_id,
            "provider_id": mapping.provider_id,
            "service_areas": areas,
            "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat() if valid_to else None,
        },
    )
    return mapping


@transaction.atomic
def end_group_mapping(*, actor: User, mapping: GroupMapping, last_day: date) -> GroupMapping:
    """Stop a mapping after ``last_day``; members lose the access at their next sign-in."""
    if not _may_map(actor):
        raise NotPermitted
    mapping = GroupMapping.objects.select_for_update().get(pk=mapping.pk)
    if last_day < mapping.valid_from - timedelta(days=1):
        raise InvalidInput({"last_day": _("Sista dag kan inte vara före startdatum.")})
    before = mapping.valid_to
    mapping.valid_to = last_day
    mapping.save(update_fields=["valid_to"])
    record_event(
        actor=actor,
        action="sso_end_group_mapping",
        object_type="sso_group_mapping",
        object_id=mapping.pk,
        details={
            "idp": mapping.idp,
            "group": mapping.group,
            "valid_to": last_day.isoformat(),
            "valid_to_before": before.isoformat() if before else None,
        },
    )
    return mapping


@transaction.atomic
def link_external_identity(*, actor: User, user: User, idp: str, subject: str) -> ExternalIdentity:
    """A system administrator links an existing account to its identity at a provider, so that a
    person who starts signing in through the provider keeps their account, history and local access."""
    if not _may_map(actor):
        raise NotPermitted
    idp, subject = idp.strip(), subject.strip()
    errors: dict = {}
    if not idp:
        errors["idp"] = _("Ange identitetsleverantör.")
    if not subject:
        errors["subject"] = _("Ange användarens id hos identitetsleverantören.")
    elif ExternalIdentity.objects.filter(idp=idp, subject=subject).exists():
        errors["subject"] = _("Det id:t är redan kopplat till ett konto.")
    if not user.is_active:
        errors["user"] = _("Kontot är avstängt.")
    if errors:
        raise InvalidInput(errors)
    identity = ExternalIdentity.objects.create(idp=idp, subject=subject, user=user)
    record_event(
        actor=actor,
        action="sso_link_identity",
        object_type="user",
        object_id=user.pk,
        details={"idp": idp, "subject": subject, "username": user.username},
    )
    return identity
