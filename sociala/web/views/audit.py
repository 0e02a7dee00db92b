"""The log reviewer's search of the audit log."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from sociala.access.policy import may_review_logs
from sociala.audit.selectors import events_for_review
from sociala.audit.services import record_event
from sociala.core.identity_numbers import InvalidIdentityNumber, parse_identity_number
from sociala.people.models import Person
from sociala.web.forms import AuditSearchForm


@login_required
def audit_search(request):
    if not may_review_logs(request.user):
        raise Http404
    form = AuditSearchForm(request.GET or None)
    events = events_for_review()
    person = None
    if form.is_valid():
        data = form.cleaned_data
        person_id = None
        if data["person"]:
            try:
                number = parse_identity_number(data["person"]).value
                person = Person.objects.filter(personal_identity_number=number).first()
                person_id = person.pk if person else -1
            except InvalidIdentityNumber as error:
                form.add_error("person", error.message)
        events = events_for_review(
            person_id=person_id,
            username=data["username"] or None,
            date_from=data["period_from"],
            date_to=data["period_to"],
            is_emergency=True if data["emergency_only"] else None,
        )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    persons = {p.pk: p for p in Person.objects.filter(pk__in={e.person_id for e in page if e.person_id})}
    record_event(
        actor=request.user,
        action="review_audit_log",
        person_id=person.pk if person else None,
        details={"filters": dict(request.GET.lists())},
    )
    return render(
        request,
        "web/audit_search.html",
        {
            "nav": "audit",
            "form": form,
            "page": page,
            "persons": persons,
            "person": person,
        },
    )
