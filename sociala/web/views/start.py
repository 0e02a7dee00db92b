"""The start page: the day's work for each role."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from sociala.access.policy import restrict_persons, scope_for
from sociala.cases import selectors as case_selectors
from sociala.people.models import Person


@login_required
def start(request):
    user = request.user
    scope = scope_for(user)
    context = {"nav": "start", "today": timezone.localdate(), "scope": scope}
    if scope.case_unit_ids or scope.emergency_areas:
        deadlines = case_selectors.deadlines_for_start_page(user, limit=50)
        context["overdue"] = [d for d in deadlines if d.due_on < context["today"]]
        context["upcoming"] = [d for d in deadlines if d.due_on >= context["today"]]
        context["escalated"] = [d for d in deadlines if d.escalated_to_id == user.pk]
        cases = list(case_selectors.open_cases_for_start_page(user)[:200])
        context["cases_by_stage"] = _group_by_stage(cases)
        context["open_case_count"] = len(cases)
        recent_ids = case_selectors.recent_person_ids(user)
        recent = {p.pk: p for p in restrict_persons(Person.objects.filter(pk__in=recent_ids), user)}
        context["recent_persons"] = [recent[i] for i in recent_ids if i in recent]
    if scope.provider_ids:
        context["orders"] = list(case_selectors.active_orders_for_provider_user(user)[:100])
    return render(request, "web/start.html", context)


def _group_by_stage(cases):
    groups: dict[str, list] = {}
    labels = {}
    for case in cases:
        groups.setdefault(case.stage, []).append(case)
        if case.stage not in labels:
            labels[case.stage] = case.get_stage_display()
    order = ["intake", "investigation", "communication", "decision", "intervention", "follow_up"]
    return [(labels[s], groups[s]) for s in order if s in groups]
