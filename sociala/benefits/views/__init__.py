"""Staff pages of income support: the month's queue, a case's budgets, the budget page and its form.

The forms live here (they build on the web layer's ``StyledForm``, which only views may import). They
parse and show errors; the rules live in ``budget_services`` and the calculation. A service error keyed
by the calculation's field paths (``members.1.age``, ``reasonable_costs.housing``, ``incomes.0.member``)
is put next to the field it is about.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sociala.access.policy import scope_for
from sociala.audit.services import record_event
from sociala.benefits import budget_selectors as selectors
from sociala.benefits import budget_services as services
from sociala.benefits.automation import enabled_districts
from sociala.benefits.budget import (
    BudgetInput,
    IncomeInput,
    MemberInput,
    add_months,
    input_of,
    lines_from_data,
)
from sociala.benefits.budget_choices import Agency, InquiryStatus
from sociala.benefits.checks import COMPARED_INCOMES, flag_text, latest_answers
from sociala.benefits.choices import IncomeType, LinePart, MemberRole, ReasonableCost
from sociala.benefits.explanations import line_text
from sociala.benefits.norms import month_label, parse_month
from sociala.benefits.queue import changes_since, queue_for
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.core.identity_numbers import InvalidIdentityNumber, parse_identity_number
from sociala.integrations.ssbtek.conf import load_config
from sociala.web.forms import StyledForm

from .decisions import queue_decisions

NAV = "financial_assistance"
EXTRA_MEMBERS = 2
EXTRA_INCOMES = 3
HOUSEHOLD = "household"


# --- forms -----------------------------------------------------------------------------------------------


class MonthForm(StyledForm):
    month = forms.CharField(label=_("Månad"), max_length=7, help_text=_("ÅÅÅÅ-MM, till exempel 2026-03"))


class MemberForm(StyledForm):
    role = forms.ChoiceField(
        label=_("Roll"), required=False, choices=[("", _("Ingen (tom rad)")), *MemberRole.choices]
    )
    personal_identity_number = forms.CharField(
        label=_("Personnummer"), required=False, max_length=20, help_text=_("Åldern räknas fram ur numret")
    )
    name = forms.CharField(label=_("Namn"), required=False, max_length=200)
    age = forms.IntegerField(
        label=_("Ålder"), required=False, min_value=0, max_value=120, help_text=_("Utan personnummer")
    )
    preschool_lunch = forms.BooleanField(label=_("Äter lunch i förskolan 5 dagar i veckan"), required=False)
    days_in_household = forms.IntegerField(
        label=_("Dagar i hushållet av 30"),
        required=False,
        min_value=1,
        max_value=30,
        help_text=_("Barn som bor här en del av månaden"),
    )
    work_income_earlier_this_year = forms.IntegerField(
        label=_("Barnets arbetsinkomst tidigare i år (kr)"), required=False, min_value=0
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("role") or data.get("personal_identity_number") or data.get("age") is not None)


class CostsForm(StyledForm):
    """One amount and one receipt per reasonable cost."""

    def __init__(self, *args, receipts=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Inget underlag")), *((str(d.pk), d.title) for d in receipts)]
        for item, label in ReasonableCost.choices:
            amount = forms.IntegerField(label=label, required=False, min_value=0)
            receipt = forms.ChoiceField(
                label=_("Underlag för %(item)s") % {"item": str(label).lower()},
                required=False,
                choices=choices,
            )
            self.fields[f"{item}_amount"] = amount
            self.fields[f"{item}_receipt"] = receipt
        # StyledForm styled the fields it had; these were added after.
        for name, field in self.fields.items():
            css = "select-field__select" if name.endswith("_receipt") else "text-field__input"
            field.widget.attrs["class"] = css

    def rows(self):
        """(amount field, receipt field) per cost, in the order of the choices."""
        return [(self[f"{item}_amount"], self[f"{item}_receipt"]) for item in ReasonableCost.values]


class IncomeForm(StyledForm):
    member = forms.ChoiceField(label=_("Vems inkomst"), required=False)
    type = forms.ChoiceField(
        label=_("Slag av inkomst"), required=False, choices=[("", _("Ingen (tom rad)")), *IncomeType.choices]
    )
    amount = forms.IntegerField(label=_("Belopp efter skatt (kr)"), required=False, min_value=0)
    job_stimulus = forms.BooleanField(label=_("Jobbstimulans"), required=False)

    def __init__(self, *args, member_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(HOUSEHOLD, _("Hushållet")), *member_choices]

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("type") and not data.get("amount")


MemberFormSet = forms.formset_factory(MemberForm, extra=0, max_num=30, absolute_max=30)
IncomeFormSet = forms.formset_factory(IncomeForm, extra=0, max_num=100, absolute_max=100)


def _formatted(number: str) -> str:
    try:
        return parse_identity_number(number).formatted if number else ""
    except InvalidIdentityNumber:
        return number


class BudgetForms:
    """The parts of the budget form together: build, validate, turn into input, show service errors."""

    def __init__(
        self, data=None, *, initial: BudgetInput | None = None, receipts=(), month: str | None = None
    ):
        members_initial: list[dict] = []
        incomes_initial: list[dict] = []
        costs_initial: dict[str, object] = {}
        if initial is not None:
            members_initial = [
                {
                    "role": m.role,
                    "personal_identity_number": _formatted(m.personal_identity_number),
                    "name": m.name,
                    "age": m.age,
                    "preschool_lunch": m.preschool_lunch,
                    "days_in_household": m.days_in_household,
                    "work_income_earlier_this_year": m.work_income_earlier_this_year or None,
                }
                for m in initial.members
            ]
            incomes_initial = [
                {
                    "member": HOUSEHOLD if i.member is None else str(i.member),
                    "type": i.type,
                    "amount": i.amount,
                    "job_stimulus": i.job_stimulus,
                }
                for i in initial.incomes
            ]
            for item, (amount, receipt) in initial.costs.items():
                costs_initial[f"{item}_amount"] = amount
                costs_initial[f"{item}_receipt"] = str(receipt) if receipt else ""
        self.month = MonthForm(data, initial={"month": month}) if month is not None else None
        self.members = MemberFormSet(data, prefix="members", initial=members_initial + [{}] * EXTRA_MEMBERS)
        self.costs = CostsForm(data, receipts=receipts, initial=costs_initial, prefix="costs")
        count = len(members_initial) + EXTRA_MEMBERS
        if data is not None:
            try:
                count = min(int(data.get("members-TOTAL_FORMS", count)), 30)
            except (TypeError, ValueError):
                pass
        choices = [(str(i), _("Person %(number)s") % {"number": i + 1}) for i in range(count)]
        self.incomes = IncomeFormSet(
            data,
            prefix="incomes",
            initial=incomes_initial + [{}] * EXTRA_INCOMES,
            form_kwargs={"member_choices": choices},
        )
        self.non_field_errors: list[str] = []
        self._member_index: dict[int, int] = {}
        self._income_index: dict[int, int] = {}

    def is_valid(self) -> bool:
        parts = [self.members.is_valid(), self.costs.is_valid(), self.incomes.is_valid()]
        if self.month is not None:
            parts.append(self.month.is_valid())
        return all(parts)

    def to_input(self) -> BudgetInput:
        """The entered budget; blank rows are left out, members counted in the order entered."""
        members: list[MemberInput] = []
        for index, form in enumerate(self.members.forms):
            if form.is_blank():
                continue
            data = form.cleaned_data
            self._member_index[index] = len(members)
            members.append(
                MemberInput(
                    role=data.get("role") or "",
                    age=data.get("age"),
                    personal_identity_number=data.get("personal_identity_number") or "",
                    name=data.get("name") or "",
                    preschool_lunch=bool(data.get("preschool_lunch")),
                    days_in_household=data.get("days_in_household"),
                    work_income_earlier_this_year=data.get("work_income_earlier_this_year") or 0,
                )
            )
        costs: dict[str, tuple[int, int | None]] = {}
        for item in ReasonableCost.values:
            amount = self.costs.cleaned_data.get(f"{item}_amount") or 0
            receipt = self.costs.cleaned_data.get(f"{item}_receipt") or ""
            if amount or receipt:
                costs[item] = (amount, int(receipt) if receipt else None)
        incomes: list[IncomeInput] = []
        for index, form in enumerate(self.incomes.forms):
            if form.is_blank():
                continue
            data = form.cleaned_data
            member = data.get("member")
            member_index = None
            if member and member != HOUSEHOLD:
                # A person on a blank row is no one: an index past the household, which the service refuses.
                member_index = self._member_index.get(int(member), len(members) + int(member))
            self._income_index[len(incomes)] = index
            incomes.append(
                IncomeInput(
                    type=data.get("type") or IncomeType.OTHER.value,
                    amount=data.get("amount") or 0,
                    member=member_index,
                    job_stimulus=bool(data.get("job_stimulus")),
                )
            )
        return BudgetInput(members=tuple(members), costs=costs, incomes=tuple(incomes))

    def add_service_errors(self, error: InvalidInput) -> None:
        """Put each message of the service next to its field."""
        members_back = {v: k for k, v in self._member_index.items()}
        for path, message in error.errors.items():
            parts = path.split(".")
            if parts[0] == "members" and len(parts) == 3 and parts[1].isdigit():
                form = self.members.forms[members_back.get(int(parts[1]), 0)]
                form.add_error(parts[2] if parts[2] in form.fields else None, message)
            elif parts[0] == "reasonable_costs" and len(parts) == 2:
                self.costs.add_error(f"{parts[1]}_amount", message)
            elif parts[0] == "incomes" and len(parts) == 3 and parts[1].isdigit():
                form = self.incomes.forms[self._income_index.get(int(parts[1]), 0)]
                form.add_error(parts[2] if parts[2] in form.fields else None, message)
            elif parts[0] == "month" and self.month is not None:
                self.month.add_error("month", message)
            else:
                self.non_field_errors.append(str(message))

    def error_list(self) -> list[tuple[str, str]]:
        """(anchor id, message) for the error summary at the top of the page."""
        found: list[tuple[str, str]] = [("main", m) for m in self.non_field_errors]
        every = [self.month] if self.month is not None else []
        every += [*self.members.forms, self.costs, *self.incomes.forms]
        for form in every:
            for name, errors in form.errors.items():
                anchor = form[name].auto_id if name in form.fields else "main"
                found += [(anchor, str(m)) for m in errors]
        for formset in (self.members, self.incomes):
            found += [("main", str(m)) for m in formset.non_form_errors()]
        return found


# --- helpers ----------------------------------------------------------------------------------------------


def _month_from(text: str | None, default: date) -> date:
    if not text:
        return default
    try:
        return parse_month(text)
    except InvalidInput as error:
        raise Http404 from error


def _this_month() -> date:
    return timezone.localdate().replace(day=1)


# --- pages ------------------------------------------------------------------------------------------------


@login_required
def queue(request):
    """This month's applications: changes since last month, flags, and the two calculations side by side."""
    user = request.user
    if not selectors.may_handle_income_support(user):
        raise Http404
    month = _month_from(request.GET.get("month"), _this_month())
    mine = request.GET.get("mine") == "1"
    data = queue_for(user, month, mine=mine, page_number=request.GET.get("page") or 1)
    record_event(
        actor=user,
        action="view_income_support_queue",
        object_type="list",
        details={"month": month_label(month), "person_ids": data.person_ids},
    )
    visible = selectors.visible_case_ids(
        user, {f.params.get("other_case_id") for row in data.rows for f in row.flags}
    )
    decided = queue_decisions([row.budget.pk for row in data.rows])
    rows = [
        (row, [(f, flag_text(f, visible)) for f in row.flags], decided.get(row.budget.pk, {}))
        for row in data.rows
    ]
    scope = scope_for(user)
    context = {
        "nav": NAV,
        "queue": data,
        "rows": rows,
        "mine": mine,
        "month_text": month_label(month),
        "previous_text": month_label(add_months(month, -1)),
        "next_text": month_label(add_months(month, 1)),
        "is_manager": bool(scope.manager_unit_ids),
        "automation_on": bool(enabled_districts() & scope.district_ids),
    }
    return render(request, "benefits/queue.html", context)


@login_required
def case_budgets(request, case_id: int):
    """A case's budgets by month, and a new month's budget: copied from last month or entered."""
    user = request.user
    case = selectors.income_support_case_for_user(user, case_id)
    budgets = list(selectors.budgets_of_case(case))
    latest = budgets[0].month if budgets else None
    suggested = add_months(latest, 1) if latest else _this_month()
    context = {
        "nav": NAV,
        "case": case,
        "budgets": budgets,
        "form": MonthForm(initial={"month": month_label(suggested)}),
    }
    return render(request, "benefits/case_budgets.html", context)


@login_required
@require_POST
def budget_copy(request, case_id: int):
    """Copy last month's budget into the month asked for (one action)."""
    user = request.user
    case = selectors.income_support_case_for_user(user, case_id, action="view_case_for_budget_copy")
    form = MonthForm(request.POST)
    if form.is_valid():
        try:
            budget = services.copy_previous_budget(
                actor=user, case=case, month=parse_month(form.cleaned_data["month"])
            )
        except InvalidInput as error:
            for message in error.errors.values():
                messages.error(request, message)
        except NotPermitted as error:
            raise Http404 from error
        else:
            messages.success(
                request,
                _("Förra månadens budget är kopierad till %(month)s. Kontrollera ändringar och underlag.")
                % {"month": month_label(budget.month)},
            )
            return redirect("benefits:budget_detail", budget_id=budget.pk)
    else:
        messages.error(request, _("Ange månaden som ÅÅÅÅ-MM, till exempel 2026-03."))
    back = request.POST.get("next") or ""
    if back == "queue":
        return redirect(f"{reverse('benefits:queue')}?month={request.POST.get('month', '')}")
    return redirect("benefits:case_budgets", case_id=case.pk)


def _render_form(request, case, budget_forms: BudgetForms, budget=None):
    context = {
        "nav": NAV,
        "case": case,
        "budget": budget,
        "forms": budget_forms,
        "errors": budget_forms.error_list(),
        "member_rows": budget_forms.members.forms,
        "cost_rows": list(zip(ReasonableCost.choices, budget_forms.costs.rows(), strict=True)),
    }
    return render(request, "benefits/budget_form.html", context)


@login_required
def budget_create(request, case_id: int):
    """Enter a month's budget; the applicant is filled in from the case."""
    user = request.user
    case = selectors.income_support_case_for_user(user, case_id, action="view_case_for_budget")
    receipts = list(selectors.receipts_of_case(case))
    month_text = request.GET.get("month") or month_label(_this_month())
    if request.method == "POST":
        budget_forms = BudgetForms(request.POST, receipts=receipts, month=month_text)
        if budget_forms.is_valid():
            try:
                budget = services.create_budget(
                    actor=user,
                    case=case,
                    month=parse_month(budget_forms.month.cleaned_data["month"]),
                    data=budget_forms.to_input(),
                )
            except InvalidInput as error:
                budget_forms.add_service_errors(error)
            except NotPermitted as error:
                raise Http404 from error
            else:
                messages.success(request, _("Budgeten är sparad och beräknad."))
                return redirect("benefits:budget_detail", budget_id=budget.pk)
    else:
        applicant = MemberInput(
            role=MemberRole.APPLICANT.value,
            personal_identity_number=case.person.formatted_number,
            name=case.person.full_name,
        )
        budget_forms = BudgetForms(
            initial=BudgetInput(members=(applicant,)), receipts=receipts, month=month_text
        )
    return _render_form(request, case, budget_forms)


@login_required
def budget_edit(request, budget_id: int):
    """Change a month's budget: it is calculated and checked again when saved."""
    user = request.user
    budget = selectors.budget_for_user(user, budget_id, action="view_budget_for_edit")
    receipts = list(selectors.receipts_of_case(budget.case))
    if request.method == "POST":
        budget_forms = BudgetForms(request.POST, receipts=receipts)
        if budget_forms.is_valid():
            try:
                services.update_budget(actor=user, budget=budget, data=budget_forms.to_input())
            except InvalidInput as error:
                budget_forms.add_service_errors(error)
            except NotPermitted as error:
                raise Http404 from error
            else:
                messages.success(request, _("Budgeten är sparad och beräknad."))
                return redirect("benefits:budget_detail", budget_id=budget.pk)
    else:
        budget_forms = BudgetForms(initial=input_of(budget), receipts=receipts)
    return _render_form(request, budget.case, budget_forms, budget)


def _income_comparison(budget) -> tuple[list[dict], list]:
    """Reported against fetched per kind of income, and the inquiries' status facts (AF, SKV)."""
    latest = latest_answers(budget)
    reported: dict[str, int] = defaultdict(int)
    for income in budget.incomes.all():
        reported[income.type] += income.amount
    fetched: dict[str, list] = defaultdict(list)
    facts = []
    failed: set[str] = set()
    for inquiry in latest:
        failed |= {e.get("agency", "") for e in inquiry.agency_errors}
        for item in inquiry.incomes.all():
            if item.income_type in IncomeType.values:
                fetched[item.income_type].append(item)
            else:
                facts.append(item)
    rows = []
    for kind, label in IncomeType.choices:
        items = fetched.get(kind, [])
        if not items and not reported.get(kind):
            continue
        agency = COMPARED_INCOMES.get(kind)
        rows.append(
            {
                "label": label,
                "reported": reported.get(kind, 0),
                "items": items,
                "net": sum(i.amount or 0 for i in items if i.is_net and i.is_monthly),
                "has_net": any(i.is_net and i.is_monthly for i in items),
                "source": Agency(agency).label if agency else None,
                "unanswered": agency in failed if agency else False,
                "compared": bool(latest) and agency is not None,
            }
        )
    return rows, facts


@login_required
def budget_detail(request, budget_id: int):
    """The month's budget: calculation beside last month's, reported against fetched incomes, flags."""
    user = request.user
    budget = selectors.budget_for_user(user, budget_id)
    previous = (
        selectors.budgets_of_case(budget.case)
        .filter(month=add_months(budget.month, -1))
        .prefetch_related("members", "costs", "incomes")
        .first()
    )
    members = list(budget.members.all())
    previous_lines: dict[str, int] = {}
    if previous is not None:
        for line in lines_from_data(previous.lines):
            previous_lines.setdefault(line_text(line), line.amount)
    lines = [(line, line_text(line)) for line in lines_from_data(budget.lines)]
    parts = [
        (part, label, [(line, text, previous_lines.get(text)) for line, text in lines if line.part == part])
        for part, label in LinePart.choices
    ]
    flags = list(budget.flags.all())
    visible = selectors.visible_case_ids(user, {f.params.get("other_case_id") for f in flags})
    comparison, facts = _income_comparison(budget)
    context = {
        "nav": NAV,
        "budget": budget,
        "case": budget.case,
        "members": members,
        "parts": parts,
        "previous": previous,
        "flags": [(flag, flag_text(flag, visible)) for flag in flags],
        "comparison": comparison,
        "facts": facts,
        "inquiries": list(budget.inquiries.all()),
        "ssbtek_configured": load_config().is_configured,
        "changes": changes_since(previous, budget) if previous is not None else [],
        "previous_month_text": month_label(add_months(budget.month, -1)),
        "decision_status": queue_decisions([budget.pk]).get(budget.pk, {}),
    }
    return render(request, "benefits/budget_detail.html", context)


@login_required
@require_POST
def budget_fetch_incomes(request, budget_id: int):
    """Ask SSBTEK about the household's adults for the month and run the checks again."""
    user = request.user
    budget = selectors.budget_for_user(user, budget_id, action="view_budget_for_inquiry")
    try:
        inquiries = services.fetch_incomes(actor=user, budget=budget)
    except services.IncomeInquiryFailed as error:
        messages.error(request, error.message)
    except InvalidInput as error:
        for message in error.errors.values():
            messages.error(request, message)
    except NotPermitted as error:
        raise Http404 from error
    else:
        failed = sum(1 for i in inquiries if i.status == InquiryStatus.FAILED)
        if failed:
            messages.error(
                request, _("Inkomster hämtade, men %(count)s av frågorna misslyckades.") % {"count": failed}
            )
        else:
            messages.success(request, _("Inkomster hämtade från SSBTEK. Kontrollerna är gjorda igen."))
    return redirect("benefits:budget_detail", budget_id=budget.pk)
