"""Demo data of income support: this month's budgets in some of the demo caseworker's cases that wait
for a decision, so that the queue, the budget page and the decision form have something to show."""

from __future__ import annotations

from datetime import date

from sociala.cases.choices import Stage
from sociala.cases.models import Case
from sociala.core.errors import InvalidInput

from .budget import INCOME_SUPPORT_CASE_TYPE, BudgetInput, MemberInput
from .budget_services import create_budget
from .models import Budget

DEMO_BUDGET_CASEWORKERS = ("handlaggare.ifo", "handlaggare.ifo.bromma")
BUDGETS_PER_CASEWORKER = 4


def seed_demo_budgets(*, today: date) -> int:
    """Enter this month's budget (a one-person household, rent by the case's order) in up to four cases
    at the decision step per demo caseworker, through the service (calculated, checked, audited)."""
    month = today.replace(day=1)
    count = 0
    for username in DEMO_BUDGET_CASEWORKERS:
        cases = (
            Case.objects.filter(
                case_type__code=INCOME_SUPPORT_CASE_TYPE, stage=Stage.DECISION, assigned_to__username=username
            )
            .exclude(pk__in=Budget.objects.filter(month=month).values("case_id"))
            .select_related("assigned_to", "person")
            .order_by("pk")[:BUDGETS_PER_CASEWORKER]
        )
        for index, case in enumerate(cases):
            data = BudgetInput(
                members=(
                    MemberInput(
                        role="applicant", personal_identity_number=case.person.personal_identity_number
                    ),
                ),
                costs={"housing": (800 + 100 * index, None)},
            )
            try:
                create_budget(actor=case.assigned_to, case=case, month=month, data=data)
            except InvalidInput:
                continue  # e.g. an applicant too young for an adult's norm: leave the case as it is
            count += 1
    return count
