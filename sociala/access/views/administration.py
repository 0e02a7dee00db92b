"""Access administration pages: staff and their assignments, teams, and recertification."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from sociala.accounts import selectors
from sociala.accounts.choices import Role
from sociala.accounts.models import Assignment, TeamAccess, User
from sociala.accounts.services import administration as admin
from sociala.accounts.services.login import has_second_factor, reset_second_factor
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.organization.models import Team

from .forms import AssignmentForm, LastDayForm, TeamAccessForm, TeamMemberForm, UserSearchForm


def _scope_or_404(user) -> admin.AdminScope:
    scope = admin.admin_scope(user)
    if not scope.may_administer:
        raise Http404
    return scope


@login_required
def access_home(request):
    """The administrator's start: staff of their districts (or found by name), and the teams."""
    scope = _scope_or_404(request.user)
    form = UserSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {
        "nav": "access",
        "form": form,
        "query": query,
        "staff": list(selectors.staff_for_administrator(request.user, query)),
        "teams": list(selectors.teams_in_scope(scope)),
        "districts": list(selectors.districts_in_scope(scope)),
        "all_districts": scope.all_districts,
    }
    return render(request, "access/home.html", context)


def _assignment_form(request, scope, data=None):
    roles = list(Role.values) if scope.all_districts else [Role.CASEWORKER, Role.UNIT_MANAGER]
    return AssignmentForm(
        data,
        roles=roles,
        units=selectors.units_in_scope(scope),
        teams=selectors.teams_in_scope(scope),
        committees=selectors.districts_in_scope(scope),
        prefix="add",
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_access(request, user_id: int):
    """One staff member's assignments: add one, end one, or end everything (a leaver)."""
    scope = _scope_or_404(request.user)
    person = get_object_or_404(User.objects.exclude(username="sociala-system"), pk=user_id)
    action = request.POST.get("action", "")
    add_form = _assignment_form(request, scope, request.POST if action == "add" else None)
    leave_form = LastDayForm(request.POST if action == "leave" else None, prefix="leave")
    status = 200
    if request.method == "POST":
        try:
            if action == "add" and add_form.is_valid():
                data = add_form.cleaned_data
                admin.add_assignment(
                    actor=request.user,
                    user=person,
                    role=data["role"],
                    unit=data["unit"],
                    team=data["team"],
                    committee=data["committee"],
                    service_areas=data["service_areas"],
                    valid_from=data["valid_from"],
                    valid_to=data["valid_to"],
                )
                messages.success(request, _("Behörigheten är tillagd."))
                return redirect("access:user_access", user_id=person.pk)
            if action == "leave" and leave_form.is_valid():
                ended, outside = admin.end_all_access(
                    actor=request.user, user=person, last_day=leave_form.cleaned_data["last_day"]
                )
                text = _("%(ended)s behörigheter upphör.") % {"ended": ended}
                if outside:
                    text = _(
                        "%(ended)s behörigheter upphör. %(outside)s behörigheter i andra stadsdelar måste avslutas av deras administratör."
                    ) % {"ended": ended, "outside": outside}
                messages.success(request, text)
                return redirect("access:user_access", user_id=person.pk)
            if action == "reset_second_factor":
                reset_second_factor(actor=request.user, user=person)
                messages.success(
                    request,
                    _(
                        "Tvåstegsverifieringen är nollställd. Användaren ställer in en ny vid nästa inloggning."
                    ),
                )
                return redirect("access:user_access", user_id=person.pk)
        except InvalidInput as error:
            (add_form if action == "add" else leave_form).add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        status = 422
    assignments = list(selectors.assignments_of(person))
    rows = [(a, scope.covers(a) and person.pk != request.user.pk) for a in assignments]
    context = {
        "nav": "access",
        "person": person,
        "rows": rows,
        "add_form": add_form,
        "leave_form": leave_form,
        "end_form": LastDayForm(prefix="end"),
        "is_self": person.pk == request.user.pk,
        "has_second_factor": has_second_factor(person),
        "active_action": action,
    }
    return render(request, "access/user_access.html", context, status=status)


@login_required
@require_POST
def assignment_end(request, assignment_id: int):
    """End one assignment after a chosen last day."""
    assignment = get_object_or_404(Assignment.objects.select_related("user"), pk=assignment_id)
    form = LastDayForm(request.POST, prefix="end")
    target = request.POST.get("next") or ""
    if form.is_valid():
        try:
            admin.end_assignment(
                actor=request.user, assignment=assignment, last_day=form.cleaned_data["last_day"]
            )
        except InvalidInput as error:
            for message in error.errors.values():
                messages.error(request, message)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(
                request, _("Behörigheten upphör efter %(day)s.") % {"day": form.cleaned_data["last_day"]}
            )
    else:
        messages.error(request, _("Ange sista dag som ett datum (ÅÅÅÅ-MM-DD)."))
    if target == "team" and assignment.team_id:
        return redirect("access:team_detail", team_id=assignment.team_id)
    return redirect("access:user_access", user_id=assignment.user_id)


@login_required
@require_http_methods(["GET", "POST"])
def team_detail(request, team_id: int):
    """A team's access and members: new members get the team's access, leavers lose it."""
    scope = _scope_or_404(request.user)
    team = get_object_or_404(Team.objects.select_related("unit__administration__committee"), pk=team_id)
    if not scope.covers_district(team.unit.administration.committee_id):
        raise Http404
    action = request.POST.get("action", "")
    access_form = TeamAccessForm(request.POST if action == "add_access" else None, prefix="access")
    member_form = TeamMemberForm(request.POST if action == "add_member" else None, prefix="member")
    status = 200
    if request.method == "POST":
        try:
            if action == "add_access" and access_form.is_valid():
                admin.add_team_access(actor=request.user, team=team, **access_form.cleaned_data)
                messages.success(request, _("Gruppens behörighet är tillagd."))
                return redirect("access:team_detail", team_id=team.pk)
            if action == "add_member" and member_form.is_valid():
                user = User.objects.filter(
                    username=member_form.cleaned_data["username"].strip(), is_active=True
                ).first()
                if user is None:
                    member_form.add_error(
                        "username", _("Det finns ingen aktiv användare med det användarnamnet.")
                    )
                else:
                    created = admin.add_team_member(
                        actor=request.user,
                        user=user,
                        team=team,
                        valid_from=member_form.cleaned_data["valid_from"],
                    )
                    messages.success(
                        request,
                        _("%(name)s fick %(count)s behörigheter från gruppen.")
                        % {"name": user.get_full_name(), "count": len(created)},
                    )
                    return redirect("access:team_detail", team_id=team.pk)
            if action in ("end_access", "end_member"):
                form = LastDayForm(request.POST, prefix="end")
                if not form.is_valid():
                    raise InvalidInput({"last_day": _("Ange sista dag som ett datum (ÅÅÅÅ-MM-DD).")})
                last_day = form.cleaned_data["last_day"]
                if action == "end_access":
                    team_access = get_object_or_404(TeamAccess, pk=request.POST.get("team_access"), team=team)
                    ended = admin.end_team_access(
                        actor=request.user, team_access=team_access, last_day=last_day
                    )
                    messages.success(
                        request,
                        _("Behörigheten upphör för gruppen och %(count)s medlemmar.") % {"count": ended},
                    )
                else:
                    user = get_object_or_404(User, pk=request.POST.get("user"))
                    ended = admin.end_team_membership(
                        actor=request.user, user=user, team=team, last_day=last_day
                    )
                    messages.success(
                        request, _("%(count)s behörigheter från gruppen upphör.") % {"count": ended}
                    )
                return redirect("access:team_detail", team_id=team.pk)
        except InvalidInput as error:
            if action == "add_access":
                access_form.add_service_errors(error)
            elif action == "add_member":
                member_form.add_service_errors(error)
            else:
                for message in error.errors.values():
                    messages.error(request, message)
                return redirect("access:team_detail", team_id=team.pk)
        except NotPermitted as error:
            raise Http404 from error
        status = 422
    context = {
        "nav": "access",
        "team": team,
        "accesses": list(selectors.team_accesses(team)),
        "members": list(admin.team_members(team)),
        "access_form": access_form,
        "member_form": member_form,
        "end_form": LastDayForm(prefix="end"),
    }
    return render(request, "access/team_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def recertification(request):
    """Managers confirm or remove their staff's access; unconfirmed access expires after the period."""
    rows = admin.assignments_to_recertify(request.user)
    if not admin.manager_unit_ids(request.user) and not admin.admin_scope(request.user).may_administer:
        raise Http404
    if request.method == "POST":
        assignment = get_object_or_404(rows, pk=request.POST.get("assignment"))
        try:
            if request.POST.get("action") == "confirm":
                admin.recertify_assignment(actor=request.user, assignment=assignment)
                messages.success(
                    request,
                    _("Behörigheten för %(name)s är bekräftad.") % {"name": assignment.user.get_full_name()},
                )
            elif request.POST.get("action") == "remove":
                admin.remove_recertified_access(actor=request.user, assignment=assignment)
                messages.success(
                    request,
                    _("Behörigheten för %(name)s är borttagen.") % {"name": assignment.user.get_full_name()},
                )
        except InvalidInput as error:
            for message in error.errors.values():
                messages.error(request, message)
        except NotPermitted as error:
            raise Http404 from error
        return redirect("access:recertification")
    period = admin.recertification_period_days()
    items = [(a, admin.recertification_due_on(a, period)) for a in rows]
    return render(
        request, "access/recertification.html", {"nav": "recertification", "items": items, "period": period}
    )
