"""Staff pages of the month's decision and of automated decisions: the decision form pre-filled from
the budget, the administrator's district switch, the unit manager's batch button and the review list."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sociala.access.policy import scope_for
from sociala.benefits import automation
from sociala.benefits import budget_selectors as selectors
from sociala.benefits.choices import BeyondNormItem
from sociala.benefits.decision_services import BeyondNormInput, calculation_rows, decide_month, proposal_for
from sociala.benefits.models import AutomationEvaluation, DistrictAutomation, IncomeSupportDecision
from sociala.benefits.norms import month_label, parse_month
from sociala.cases.choices import Outcome, Stage
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.organization.models import Committee, Unit
from sociala.web.forms import StyledForm

NAV = "financial_assistance"
EXTRA_ITEMS = 2


class DecisionForm(StyledForm):
    support_motivation = forms.CharField(
        label=_("Motivering för försörjningsstödet"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Behövs när biståndet blir lägre än det sökta, till exempel när en kostnad inte godtas fullt ut."
        ),
    )
    motivation = forms.CharField(
        label=_("Skälen för beslutet"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Står i beslutsbrevet."),
    )


class BeyondNormForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("Vad"), required=False, choices=[("", _("Ingen (tom rad)")), *BeyondNormItem.choices]
    )
    description = forms.CharField(label=_("Beskrivning"), required=False, max_length=200)
    applied = forms.IntegerField(label=_("Sökt belopp (kr)"), required=False, min_value=0)
    granted = forms.IntegerField(label=_("Beviljat belopp (kr)"), required=False, min_value=0)
    outcome = forms.ChoiceField(label=_("Beslut"), required=False, choices=Outcome.choices)
    motivation = forms.CharField(
        label=_("Motivering"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Behövs vid delvis bifall och avslag."),
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("kind") and not data.get("applied")


BeyondNormFormSet = forms.formset_factory(BeyondNormForm, extra=0, max_num=30, absolute_max=30)


def _default_motivation(proposal) -> str:
    return str(
        _(
            "Du har rätt till ekonomiskt bistånd för %(month)s enligt beräkningen nedan: riksnormen och dina skäliga kostnader minus dina inkomster."
        )
        % {"month": month_label(proposal.budget.month)}
    )


def _beyond_inputs(formset) -> tuple[list[BeyondNormInput], dict[int, int]]:
    items, positions = [], {}
    for index, form in enumerate(formset.forms):
        if form.is_blank():
            continue
        data = form.cleaned_data
        positions[len(items)] = index
        items.append(
            BeyondNormInput(
                kind=data.get("kind") or "",
                description=data.get("description") or "",
                applied=data.get("applied"),
                granted=data.get("granted") or 0,
                outcome=data.get("outcome") or "",
                motivation=data.get("motivation") or "",
            )
        )
    return items, positions


def _error_list(form, formset, extra: list[str]) -> list[tuple[str, str]]:
    found = [("main", m) for m in extra]
    for each in [form, *formset.forms]:
        for name, errors in each.errors.items():
            anchor = each[name].auto_id if name in each.fields else "main"
            found += [(anchor, str(m)) for m in errors]
    return found


@login_required
def decide(request, budget_id: int):
    """The month's one decision, pre-filled from the budget and the application."""
    user = request.user
    budget = selectors.budget_for_user(user, budget_id, action="view_budget_for_decision")
    existing = IncomeSupportDecision.objects.filter(budget=budget).select_related("decision").first()
    if existing is not None:
        messages.info(request, _("Månaden är redan beslutad."))
        return redirect("benefits:budget_detail", budget_id=budget.pk)
    proposal = proposal_for(budget)
    extra: list[str] = []
    if request.method == "POST":
        form = DecisionForm(request.POST)
        formset = BeyondNormFormSet(request.POST, prefix="items")
        if form.is_valid() and formset.is_valid():
            items, positions = _beyond_inputs(formset)
            try:
                decide_month(
                    actor=user,
                    budget=budget,
                    motivation=form.cleaned_data["motivation"],
                    support_motivation=form.cleaned_data["support_motivation"],
                    beyond_norm=items,
                )
            except InvalidInput as error:
                for path, message in error.errors.items():
                    parts = path.split(".")
                    if parts[0] == "beyond_norm" and len(parts) == 3:
                        target = formset.forms[positions.get(int(parts[1]), 0)]
                        target.add_error(parts[2] if parts[2] in target.fields else None, message)
                    elif path in form.fields:
                        form.add_error(path, message)
                    else:
                        extra.append(str(message))
            except NotPermitted as error:
                raise Http404 from error
            else:
                messages.success(request, _("Beslutet är fattat och beslutsbrevet är skapat."))
                return redirect("web:case_detail", case_id=budget.case_id)
    else:
        form = DecisionForm(initial={"motivation": _default_motivation(proposal)})
        initial = [
            {
                "kind": item.kind,
                "description": item.description,
                "applied": item.applied,
                "granted": item.granted,
                "outcome": item.outcome,
            }
            for item in proposal.beyond_norm
        ]
        formset = BeyondNormFormSet(prefix="items", initial=initial + [{}] * EXTRA_ITEMS)
    evaluation = AutomationEvaluation.objects.filter(budget=budget, is_automated=False).first()
    context = {
        "nav": NAV,
        "budget": budget,
        "case": budget.case,
        "proposal": proposal,
        "form": form,
        "formset": formset,
        "errors": _error_list(form, formset, extra),
        "parts": calculation_rows(budget.lines),
        "ready": Stage.DECISION in (budget.case.process.ready_steps if budget.case.process else []),
        "automation_reason": automation.reason_text(evaluation.reason, evaluation.matched_rules)
        if evaluation
        else "",
    }
    return render(request, "benefits/decision_form.html", context)


# --- automation ---------------------------------------------------------------------------------------


def _administered(user) -> list[Committee]:
    districts = Committee.objects.filter(kind=Committee.Kind.DISTRICT).order_by("name")
    return [c for c in districts if automation.may_switch(user, c)]


@login_required
def automation_settings(request):
    """The administrator's switch per district, with the delegation point and who changed it when."""
    committees = _administered(request.user)
    if not committees:
        raise Http404
    settings_by_committee = {
        s.committee_id: s
        for s in DistrictAutomation.objects.filter(committee__in=committees).select_related(
            "changed_by", "delegation"
        )
    }
    if request.method == "POST":
        committee = next((c for c in committees if str(c.pk) == request.POST.get("committee")), None)
        if committee is None:
            raise Http404
        try:
            automation.set_district_automation(
                actor=request.user,
                committee=committee,
                enabled=request.POST.get("enabled") == "1",
                delegation_reference=request.POST.get("delegation_reference", ""),
            )
        except InvalidInput as error:
            for message in error.errors.values():
                messages.error(request, message)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(
                request, _("Inställningen för %(district)s är sparad.") % {"district": committee.name}
            )
        return redirect("benefits:automation_settings")
    today = timezone.localdate()
    rule_set = automation.rule_set_for(today.replace(day=1))
    rules = automation.rules_for(today.replace(day=1))
    rows = [(c, settings_by_committee.get(c.pk)) for c in committees]
    return render(
        request,
        "benefits/automation_settings.html",
        {
            "nav": "automation",
            "rows": rows,
            "rule_set": rule_set,
            "rules": rules,
            "share_percent": rules.review_share * 100,
        },
    )


def _managed_districts(user) -> set[int]:
    units = scope_for(user).manager_unit_ids
    return set(Unit.objects.filter(pk__in=units).values_list("administration__committee_id", flat=True))


@login_required
@require_POST
def automation_run(request):
    """The unit manager's button: decide the month's standard cases in the manager's districts now."""
    user = request.user
    scope = scope_for(user)
    if not scope.manager_unit_ids or not selectors.may_handle_income_support(user):
        raise Http404
    try:
        month = parse_month(request.POST.get("month", ""))
    except InvalidInput as error:
        raise Http404 from error
    districts = _managed_districts(user)
    result = automation.run_automated_decisions(actor=user, month=month, committee_ids=districts)
    messages.success(
        request,
        _(
            "%(decided)s beslut fattades automatiskt; %(left)s ansökningar ligger kvar hos handläggarna, med skälet."
        )
        % {"decided": len(result.decided), "left": len(result.left)},
    )
    return redirect(f"{redirect('benefits:queue').url}?month={month_label(month)}")


@login_required
def review_list(request):
    """Automated decisions picked for review by a person, in the user's units."""
    user = request.user
    if not selectors.may_handle_income_support(user):
        raise Http404
    records = [(record, automation.inputs_in_words(record.inputs)) for record in automation.review_list(user)]
    return render(request, "benefits/review_list.html", {"nav": NAV, "records": records})


@login_required
@require_POST
def review(request, record_id: int):
    """Confirm a picked automated decision, or mark it to be changed with what is wrong."""
    user = request.user
    record = automation.review_list(user).filter(pk=record_id).first()
    if record is None:
        raise Http404
    try:
        automation.review_automated_decision(
            actor=user,
            record=record,
            confirm=request.POST.get("confirm") == "1",
            note=request.POST.get("note", ""),
        )
    except InvalidInput as error:
        for message in error.errors.values():
            messages.error(request, message)
    except NotPermitted as error:
        raise Http404 from error
    else:
        messages.success(request, _("Granskningen är sparad."))
    return redirect("benefits:review_list")


def queue_decisions(budget_ids: list[int]) -> dict[int, dict]:
    """Per budget of a queue page: its decision, or why the batch left it to the caseworker (two queries)."""
    status: dict[int, dict] = {}
    for record in IncomeSupportDecision.objects.filter(budget_id__in=budget_ids).select_related("decision"):
        status[record.budget_id] = {"decision": record.decision, "automated": record.is_automated}
    for evaluation in AutomationEvaluation.objects.filter(
        budget_id__in=budget_ids, is_automated=False
    ).order_by("evaluated_at"):
        status.setdefault(evaluation.budget_id, {})["reason"] = automation.reason_text(
            evaluation.reason, evaluation.matched_rules
        )
    return status
