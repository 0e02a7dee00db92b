"""The access policy: who may read and write which person's data.

Every selector and API endpoint goes through these functions. The policy is
written against field names rather than importing the domain apps (they
depend on us, not we on them).

Rules, in the order they are applied:

* Only roles whose work needs personal data (caseworker, unit manager, provider
  staff, out-of-hours duty) see persons at all.
* A case is visible to the caseworkers of its unit and its assignee, and to
  the managers of its unit; only in the service areas of the assignment to
  that unit (see ``Scope.unit_areas``). The assignee needs a case role in
  force somewhere.
* Consent (samtycke, OSL 12:2) lifts the secrecy between service areas: with a
  valid consent of a person from area A to area B, the caseworkers and managers
  working in area B in a district see that person's area-A cases of the same
  district (read only: writing in a case still needs the case's own unit).
  A consent with an outside party opens nothing inside the system.
* A person is visible when the user sees one of the person's cases (their own or
  through consent), when the person lives in a district the user works in (to
  start a new case), or through a valid emergency access (for roles that may
  use it). Provider staff see a person only while their provider has an
  active order for that person.
* Protected registration and fictitious identity: never visible through the
  district rule; only through a case, an order or emergency access. The
  address of such persons is never shown. A confidentiality-marked person's
  address is shown only to users who see one of their cases in their own unit
  (or as assignee) or who serve an order for them; consent does not open it.
* Emergency access opens one person's cases in the user's service areas for a
  limited time; every read under it is flagged in the audit log.
* Writing in a case needs the case to be visible other than through consent.

``tests/test_policy_properties.py`` restates these rules as a plain oracle and
checks the policy against it for generated users, persons, cases, grants and
consents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from sociala.accounts.choices import Role
from sociala.core.choices import ServiceArea
from sociala.people.choices import ProtectionLevel
from sociala.people.models import Person

from .models import Consent, ConsentScope, EmergencyAccess, valid_consents

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
    # The service areas of each unit the user works in (a case must match both, per assignment).
    unit_areas: dict[int, set[str]] = field(default_factory=dict)
    # The service areas the user works in per district (for consent between areas).
    areas_by_district: dict[int, set[str]] = field(default_factory=dict)
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
            district_id = assignment.unit.administration.committee_id
            scope.district_ids.add(district_id)
            scope.service_areas |= assignment.areas
            scope.unit_areas.setdefault(assignment.unit_id, set()).update(assignment.areas)
            scope.areas_by_district.setdefault(district_id, set()).update(assignment.areas)
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


def _consent_q(scope: Scope, p: str = "", on: date | None = None) -> Q:
    """Cases opened by consent: of the same district, in an area the person consented to share with
    an area the user works in there."""
    on = on or timezone.localdate()
    q = Q(pk__in=[]) if not p else Q(**{f"{p}pk__in": []})
    for district_id, areas in sorted(scope.areas_by_district.items()):
        consents = valid_consents(on).filter(
            scope=ConsentScope.BETWEEN_AREAS,
            person_id=OuterRef(f"{p}person_id"),
            from_area=OuterRef(f"{p}service_area"),
            to_area__in=sorted(areas),
        )
        q |= Q(**{f"{p}district_id": district_id}) & Exists(consents)
    return q


def _unit_case_q(scope: Scope, p: str = "") -> Q:
    """Cases of the user's own units, in the areas of the assignment to that unit."""
    q = Q(**{f"{p}pk__in": []})
    for unit_id, areas in sorted(scope.unit_areas.items()):
        q |= Q(**{f"{p}unit_id": unit_id, f"{p}service_area__in": sorted(areas)})
    return q


def _own_case_q(user, scope: Scope, p: str = "") -> Q:
    """Cases of the user's own units (see above) and cases assigned to them."""
    return _unit_case_q(scope, p) | Q(**{f"{p}assigned_to_id": user.pk})


def case_q(user, scope: Scope | None = None, prefix: str = "", *, include_consent: bool = True) -> Q:
    """A Q over Case (or over a relation to it, with ``prefix``) matching the cases the user may see.

    ``include_consent=False`` leaves out the cases opened only by consent (for writing)."""
    scope = scope or scope_for(user)
    p = prefix
    if not (scope.case_unit_ids or scope.emergency_areas):
        return Q(pk__in=[])
    q = Q(pk__in=[]) if not p else Q(**{f"{p}pk__in": []})
    if scope.case_unit_ids:
        q |= _own_case_q(user, scope, p)
        if include_consent and scope.areas_by_district:
            q |= _consent_q(scope, p)
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


OWN, CONSENT, EMERGENCY = "own", "consent", "emergency"


def _in_own_unit(scope: Scope, case) -> bool:
    """``_unit_case_q`` for one loaded case: of a unit the user works in, in that assignment's areas."""
    return case.service_area in scope.unit_areas.get(case.unit_id, ())


def case_visibility(user, case, *, include_consent: bool = True) -> str:
    """How the user sees one case already read from the database: ``OWN`` (own unit or assigned),
    ``CONSENT``, ``EMERGENCY``, or "" (not at all). The rules of ``case_q`` applied to the row in
    Python, so that opening a case of one's own unit costs no query (consent and emergency access,
    which need the database, are asked only when nothing else opens it); ``include_consent=False``
    as in ``case_q``. ``tests/test_policy_properties.py`` checks it against ``restrict_cases`` and
    the oracle."""
    scope = scope_for(user)
    if not scope.sees_personal_data or not (scope.case_unit_ids or scope.emergency_areas):
        return ""
    if scope.case_unit_ids:
        if _in_own_unit(scope, case) or case.assigned_to_id == user.pk:
            return OWN
        areas = scope.areas_by_district.get(case.district_id) if include_consent else None
        if areas and (
            valid_consents(timezone.localdate())
            .filter(
                scope=ConsentScope.BETWEEN_AREAS,
                person_id=case.person_id,
                from_area=case.service_area,
                to_area__in=sorted(areas),
            )
            .exists()
        ):
            return CONSENT
    if scope.emergency_areas and case.service_area in scope.emergency_areas:
        return EMERGENCY if _active_emergency(user).filter(person_id=case.person_id).exists() else ""
    return ""


def restrict_to_assigned(queryset: QuerySet, user) -> QuerySet:
    """The cases assigned to the user among those the user may see.

    With a case role in force (a caseworker's or manager's assignment), every case assigned to the
    user is visible by the own-case rule, so the filter is the assignee column alone: the same rows
    as ``restrict_cases(...).filter(assigned_to=user)``, in a query the database answers from the
    assignee index and Python compiles in a fraction of the time (the start page runs four)."""
    scope = scope_for(user)
    if not scope.sees_personal_data:
        return queryset.none()
    if scope.case_unit_ids:
        return queryset.filter(assigned_to_id=user.pk)
    return queryset.filter(case_q(user, scope), assigned_to_id=user.pk)


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
        q |= Exists(_active_orders(scope).filter(intervention__case__person_id=OuterRef("pk")))
    return queryset.filter(q)


def _active_orders(scope: Scope) -> QuerySet:
    """The active orders of the providers the user works for."""
    case_model = _case_model()
    order_model = (
        case_model._meta.get_field("interventions").related_model._meta.get_field("orders").related_model
    )
    return order_model.objects.filter(provider_id__in=scope.provider_ids, status="active")


def name_search_branches(user) -> tuple[QuerySet | None, QuerySet | None]:
    """Where a search by name looks (decision 0031): ``(in_districts, reached_directly)``, each a
    queryset of persons or None, together a subset of ``restrict_persons``.

    ``in_districts``: the persons living in the user's districts (the district rule), which the
    (district, name) covering indexes serve. ``reached_directly``: the persons of the cases assigned
    to the user, of an active emergency access and of the active orders of the user's providers, a
    small set read by primary key. A person seen only through a colleague's case in the unit after
    moving away, through consent, or with protected identity in another's case, is found by number,
    not by name: listing them would mean testing every name in the city against the whole policy on
    every keystroke (over 100 ms at a million persons)."""
    scope = scope_for(user)
    if not scope.sees_personal_data:
        return None, None
    in_districts = None
    if scope.district_ids:
        in_districts = Person.objects.filter(
            district_id__in=sorted(scope.district_ids), protection_level__in=OPEN_LEVELS
        )
    case_model = _case_model()
    direct: list[QuerySet] = []
    if scope.case_unit_ids:
        direct.append(case_model.objects.filter(assigned_to_id=user.pk).values("person_id"))
    if scope.emergency_areas:
        direct.append(_active_emergency(user).values("person_id"))
    if scope.provider_ids:
        direct.append(_active_orders(scope).values("intervention__case__person_id"))
    reached = Person.objects.filter(pk__in=direct[0].union(*direct[1:])) if direct else None
    return in_districts, reached


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
    sees_case = by_consent = False
    if scope.case_unit_ids:
        sees_case = case_model.objects.filter(_own_case_q(user, scope), person_id=person.pk).exists()
        if not sees_case and scope.areas_by_district:
            by_consent = case_model.objects.filter(_consent_q(scope), person_id=person.pk).exists()
    by_district = person.district_id in scope.district_ids and person.protection_level in OPEN_LEVELS
    by_order = False
    if scope.provider_ids:
        by_order = restrict_persons(Person.objects.filter(pk=person.pk), user).exists()
    shows_address = not person.address_is_secret and (
        person.protection_level != ProtectionLevel.CONFIDENTIALITY_MARKED or sees_case or by_order
    )
    if sees_case or by_consent or by_district or by_order:
        return PersonAccess(True, shows_address=shows_address)
    grant = None
    if scope.emergency_areas:
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
    """Writing in a case (journal, documents, steps): the case must be visible to the user other than
    through consent (consent lets the user read, not act in another area's case). Asked of the
    loaded case (``case_visibility``): no query for a case of the user's own."""
    return bool(case_visibility(user, case, include_consent=False))


def write_access(user, case) -> PersonAccess:
    """How a write in the case is logged: flagged as emergency only when nothing but an emergency
    access opens it (``emergency_only_access``); a case of the user's own or opened by consent
    already opens the person, so no query is needed for it."""
    if case_visibility(user, case) in (OWN, CONSENT):
        return PersonAccess(True)
    return emergency_only_access(user, case.person)


def can_request_emergency_access(user) -> bool:
    return scope_for(user).may_use_emergency_access


def may_review_logs(user) -> bool:
    return user.is_authenticated and user.has_role(Role.LOG_REVIEWER)


@dataclass
class Visibility:
    """Why the user sees what they see of one person, and why some of it is not shown (translated)."""

    allowed: bool
    shown: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)


def _area_names(areas) -> str:
    return ", ".join(str(ServiceArea(a).label).lower() for a in sorted(areas))


def _day(value) -> str:
    return formats.date_format(value, "Y-m-d")


def relevant_consents(user, person: Person) -> list[Consent]:
    """The person's consents that concern the user's service areas (given, ended or withdrawn)."""
    areas = scope_for(user).service_areas
    if not areas:
        return []
    return list(
        Consent.objects.filter(person=person)
        .filter(Q(from_area__in=areas) | Q(to_area__in=areas))
        .select_related("recorded_by", "withdrawn_by")
    )


def _consent_reasons(consent: Consent, scope: Scope, today) -> tuple[str, str]:
    """What one consent opens for the user today (shown), or why it no longer does (hidden)."""
    receiving = consent.scope == ConsentScope.BETWEEN_AREAS and consent.to_area in scope.service_areas
    target = (
        str(consent.get_to_area_display()).lower()
        if consent.scope == ConsentScope.BETWEEN_AREAS
        else consent.outside_party
    )
    labels = {
        "from_area": str(consent.get_from_area_display()).lower(),
        "to_area": target,
        "form": str(consent.get_form_display()).lower(),
        "from": _day(consent.valid_from),
        "to": _day(consent.valid_to) if consent.valid_to else str(_("tills vidare")),
    }
    if consent.is_valid_on(today):
        if receiving:
            text = _(
                "Samtycke (%(form)s, %(from)s – %(to)s): ärenden inom %(from_area)s visas för "
                "%(to_area)s i samma stadsdel. Du kan läsa dem men inte skriva i dem."
            )
        else:
            text = _(
                "Samtycke (%(form)s, %(from)s – %(to)s): uppgifter inom %(from_area)s får lämnas till %(to_area)s."
            )
        return str(text % labels), ""
    if consent.withdrawn_on and consent.withdrawn_on <= today:
        text = _(
            "Samtycket om %(from_area)s till %(to_area)s återkallades %(withdrawn)s; uppgifterna får inte längre lämnas."
        )
        return "", str(text % {**labels, "withdrawn": _day(consent.withdrawn_on)})
    if consent.valid_from > today:
        return "", str(_("Samtycket om %(from_area)s till %(to_area)s gäller först från %(from)s.") % labels)
    return "", str(
        _(
            "Samtycket om %(from_area)s till %(to_area)s gällde till %(to)s; uppgifterna får inte längre lämnas."
        )
        % labels
    )


def visibility_explanation(
    user, person: Person, access: PersonAccess | None = None, cases: list | None = None
) -> Visibility:
    """Explain, for the person page, which rules open this person to the user and what stays hidden.

    ``access``: ``person_access(user, person)`` when the caller has already worked it out;
    ``cases``: the person's cases the user may see, when the caller has read them."""
    access = access or person_access(user, person)
    scope = scope_for(user)
    if not access.allowed:
        return Visibility(False, hidden=[str(_("Du har inte behörighet till personen."))])
    shown: list[str] = []
    hidden: list[str] = []
    today = timezone.localdate()
    case_model = _case_model()
    if scope.case_unit_ids:
        if cases is not None:
            # The unit's and the user's own cases are among the visible cases the page has read.
            own = sum(1 for c in cases if _in_own_unit(scope, c))
            assigned = sum(1 for c in cases if c.assigned_to_id == user.pk)
        else:
            counts = case_model.objects.filter(person_id=person.pk).aggregate(
                own=Count("pk", filter=_unit_case_q(scope)),
                assigned=Count("pk", filter=Q(assigned_to_id=user.pk)),
            )
            own, assigned = counts["own"], counts["assigned"]
        if own:
            shown.append(
                str(
                    _("%(count)s ärenden i din enhet visas (%(areas)s).")
                    % {"count": own, "areas": _area_names(scope.service_areas)}
                )
            )
        if assigned:
            shown.append(
                str(_("Du är handläggare för %(count)s av personens ärenden.") % {"count": assigned})
            )
    if person.district_id in scope.district_ids:
        if person.protection_level in OPEN_LEVELS:
            shown.append(
                str(
                    _(
                        "Personen bor i %(district)s där du arbetar, så du kan se personen och registrera ett nytt ärende."
                    )
                    % {"district": person.district}
                )
            )
        else:
            hidden.append(
                str(
                    _(
                        "Personen har skyddade personuppgifter och visas inte för alla i stadsdelen, bara genom ett "
                        "ärende, ett uppdrag eller nödåtkomst."
                    )
                )
            )
    consents = relevant_consents(user, person)
    for consent in consents:
        shown_line, hidden_line = _consent_reasons(consent, scope, today)
        if shown_line:
            shown.append(shown_line)
        if hidden_line:
            hidden.append(hidden_line)
    if scope.provider_ids:
        shown.append(
            str(_("Din utförare har ett pågående uppdrag för personen; du ser uppdraget, inte ärendena."))
        )
    if access.is_emergency:
        grant = _active_emergency(user).filter(person=person).order_by("-expires_at").first()
        if grant is not None:
            shown.append(
                str(
                    _("Nödåtkomst till %(until)s. Skäl: %(reason)s")
                    % {
                        "until": formats.date_format(timezone.localtime(grant.expires_at), "Y-m-d H:i"),
                        "reason": grant.reason,
                    }
                )
            )
        hidden.append(
            str(
                _("Nödåtkomsten öppnar bara ärenden inom dina verksamhetsområden (%(areas)s).")
                % {"areas": _area_names(scope.emergency_areas)}
            )
        )
    if scope.case_unit_ids or scope.emergency_areas:
        hidden.append(
            str(
                _(
                    "Ärenden i andra enheter och verksamhetsområden visas inte: sekretess gäller mellan "
                    "verksamhetsgrenar (OSL 8 kap. 2 §) om personen inte har samtyckt (OSL 12 kap. 2 §)."
                )
            )
        )
    if person.address_is_secret:
        hidden.append(
            str(
                _("Adressen visas inte: %(level)s (OSL 21 kap. 3 a §).")
                % {"level": str(person.get_protection_level_display()).lower()}
            )
        )
    elif not access.shows_address:
        hidden.append(
            str(_("Adressen visas bara för den som handlägger ett ärende om personen (sekretessmarkering)."))
        )
    return Visibility(True, shown=shown, hidden=hidden, consents=consents)
