"""Finding a person, the person page, emergency access and registering a new case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.access.policy import can_request_emergency_access, restrict_persons, scope_for
from sociala.access.services import grant_emergency_access
from sociala.accounts.views import client_ip
from sociala.audit.services import record_event
from sociala.cases import selectors as case_selectors
from sociala.cases.models import CaseType
from sociala.cases.services import open_case
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.core.identity_numbers import (
    InvalidIdentityNumber,
    looks_like_identity_number,
    parse_identity_number,
)
from sociala.documents.models import Document
from sociala.people.models import Person
from sociala.people.selectors import person_for_user, relations_of, search_persons
from sociala.retention.permissions import may_produce_register_extract
from sociala.web.forms import EmergencyAccessForm, OpenCaseForm


def _require_personal_data(user):
    if not user.handles_personal_data:
        raise Http404


@login_required
def person_search(request):
    """Search by number in any common form or by name prefix; answers as you type (htmx)."""
    _require_personal_data(request.user)
    query = request.GET.get("q", "").strip()
    results, number_error = [], ""
    if query:
        if looks_like_identity_number(query) and len(query.replace("-", "").replace("+", "")) >= 10:
            try:
                parse_identity_number(query)
            except InvalidIdentityNumber as error:
                number_error = error.message
        results = list(search_persons(request.user, query, limit=50).select_related("district"))
        record_event(
            actor=request.user,
            action="search_persons",
            details={"kind": "number" if looks_like_identity_number(query) else "name", "hits": len(results)},
        )
    context = {
        "nav": "persons",
        "query": query,
        "results": results,
        "number_error": number_error,
        "may_request_emergency": can_request_emergency_access(request.user),
        # One reverse() for the list instead of one a row (50 rows as you type).
        "person_url_prefix": reverse("web:person_detail", args=[0]).removesuffix("0/"),
    }
    template = "web/_person_results.html" if request.headers.get("HX-Request") else "web/person_search.html"
    return render(request, template, context)


@login_required
def person_detail(request, person_id: int):
    """The person page: everything about one person that the user may see, on one screen."""
    _require_personal_data(request.user)
    person, access = person_for_user(request.user, person_id)
    cases = list(case_selectors.cases_of_person(request.user, person))
    case_ids = [c.pk for c in cases]
    decisions = list(case_selectors.decisions_of_cases(case_ids)[:20])
    context = {
        "nav": "persons",
        "person": person,
        "access": access,
        "age": person.age_on(timezone.localdate()),
        **_relations(request.user, person),
        "cases": cases,
        "open_cases": [c for c in cases if c.is_open],
        "closed_cases": [c for c in cases if not c.is_open],
        "decisions": decisions,
        "deadlines": list(case_selectors.open_deadlines_of_cases(case_ids)[:20]),
        "journal": list(
            case_selectors.journal_entries(request.user, person=person, visible_case_ids=case_ids)[:10]
        ),
        "documents": list(
            Document.objects.filter(case_id__in=case_ids).select_related("case").order_by("-uploaded_at")[:10]
        ),
        "orders": list(
            case_selectors.active_orders_for_provider_user(request.user).filter(
                intervention__case__person=person
            )
        ),
        "may_open_case": bool(scope_for(request.user).case_unit_ids),
        "may_register_extract": may_produce_register_extract(request.user, person, access),
    }
    return render(request, "web/person_detail.html", context)


def _relations(user, person) -> dict:
    """Relations to persons the user may see; the others are only counted, never named."""
    relations = list(relations_of(person))
    if not relations:
        return {"relations": [], "hidden_relations": 0}
    visible = set(
        restrict_persons(Person.objects.filter(pk__in=[r.related_id for r in relations]), user).values_list(
            "pk", flat=True
        )
    )
    return {
        "relations": [r for r in relations if r.related_id in visible],
        "hidden_relations": sum(1 for r in relations if r.related_id not in visible),
    }


@login_required
def emergency_access(request):
    """Nödåtkomst: open one person outside the normal scope for a limited time, with a reason."""
    if not can_request_emergency_access(request.user):
        raise Http404
    form = EmergencyAccessForm(request.POST or None, initial={"number": request.GET.get("q", "")})
    if request.method == "POST" and form.is_valid():
        try:
            number = parse_identity_number(form.cleaned_data["number"]).value
        except InvalidIdentityNumber as error:
            form.add_error("number", error.message)
        else:
            person = Person.objects.filter(personal_identity_number=number).first()
            if person is None:
                form.add_error("number", _("Det finns ingen person med det personnumret i registret."))
            else:
                try:
                    grant_emergency_access(
                        actor=request.user,
                        person=person,
                        reason=form.cleaned_data["reason"],
                        password=form.cleaned_data["password"],
                        ip=client_ip(request),
                    )
                except InvalidInput as error:
                    form.add_service_errors(error)
                except NotPermitted as error:
                    raise Http404 from error
                else:
                    messages.warning(request, _("Nödåtkomst gäller i två timmar och granskas i efterhand."))
                    return redirect("web:person_detail", person_id=person.pk)
    return render(request, "web/emergency_access.html", {"form": form, "nav": "persons"})


@login_required
def case_create(request, person_id: int):
    """Register an intake (application, report of concern) for a person."""
    _require_personal_data(request.user)
    person, _access = person_for_user(request.user, person_id, action="view_person_for_intake")
    scope = scope_for(request.user)
    case_types = CaseType.objects.filter(service_area__in=scope.service_areas)
    form = OpenCaseForm(
        request.POST or None, case_types=case_types, initial={"received_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = open_case(
                actor=request.user,
                person=person,
                case_type=form.cleaned_data["case_type"],
                received_on=form.cleaned_data["received_on"],
                sought=form.cleaned_data["sought"],
            )
        except InvalidInput as error:
            form.add_service_errors(error)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(request, _("Ärendet %(ref)s är registrerat.") % {"ref": case.reference})
            return redirect("web:case_detail", case_id=case.pk)
    return render(request, "web/case_create.html", {"form": form, "person": person, "nav": "persons"})
