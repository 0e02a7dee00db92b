"""The caseworker's queue: this month's budgets with what changed since last month, the flags from the
automated checks and the two calculations side by side; and last month's households still without a
budget this month, to copy forward in one action."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from sociala.cases.choices import Stage
from sociala.core.money import format_sek

from .budget import add_months, income_label
from .budget_selectors import income_support_cases
from .choices import MemberRole, ReasonableCost
from .models import Budget, BudgetFlag

PAGE_SIZE = 50
TO_COPY_LIMIT = 100

NO_PREVIOUS = _("Ingen budget förra månaden")
UNCHANGED = _("Inget ändrat")
MEMBER_JOINED = _("Ny i hushållet: %(who)s")
MEMBER_LEFT = _("Inte längre i hushållet: %(who)s")
COST_CHANGED = _("%(item)s: %(before)s → %(after)s")
INCOME_CHANGED = _("%(type)s: %(before)s → %(after)s")
ASSISTANCE_CHANGED = _("Bistånd: %(before)s → %(after)s")


def _who(member) -> str:
    role = str(MemberRole(member.role).label)
    return f"{member.name}, {role.lower()}" if member.name else f"{role}, {member.age}"


def _member_key(member) -> tuple:
    # A numbered person is the same person whatever their place; others by role and place.
    return (
        ("n", member.personal_identity_number)
        if member.personal_identity_number
        else ("p", member.role, member.position)
    )


def changes_since(previous: Budget | None, current: Budget) -> list[str]:
    """What differs from last month's budget, in words (household, costs, incomes, assistance)."""
    if previous is None:
        return [str(NO_PREVIOUS)]
    changes: list[str] = []
    before = {_member_key(m): m for m in previous.members.all()}
    after = {_member_key(m): m for m in current.members.all()}
    changes += [str(MEMBER_JOINED % {"who": _who(m)}) for key, m in after.items() if key not in before]
    changes += [str(MEMBER_LEFT % {"who": _who(m)}) for key, m in before.items() if key not in after]
    old_costs = {c.item: c.amount for c in previous.costs.all()}
    new_costs = {c.item: c.amount for c in current.costs.all()}
    for item in ReasonableCost.values:
        old, new = old_costs.get(item, 0), new_costs.get(item, 0)
        if old != new:
            label = str(ReasonableCost(item).label)
            changes.append(
                str(COST_CHANGED % {"item": label, "before": format_sek(old), "after": format_sek(new)})
            )
    old_incomes: dict[str, int] = defaultdict(int)
    new_incomes: dict[str, int] = defaultdict(int)
    for income in previous.incomes.all():
        old_incomes[income.type] += income.amount
    for income in current.incomes.all():
        new_incomes[income.type] += income.amount
    for kind in sorted(set(old_incomes) | set(new_incomes)):
        old, new = old_incomes.get(kind, 0), new_incomes.get(kind, 0)
        if old != new:
            changes.append(
                str(
                    INCOME_CHANGED
                    % {"type": income_label(kind), "before": format_sek(old), "after": format_sek(new)}
                )
            )
    if previous.assistance != current.assistance:
        changes.append(
            str(
                ASSISTANCE_CHANGED
                % {"before": format_sek(previous.assistance), "after": format_sek(current.assistance)}
            )
        )
    return changes or [str(UNCHANGED)]


@dataclass
class QueueRow:
    """One application in the queue: this month's budget, last month's, the changes and the flags."""

    budget: Budget
    previous: Budget | None
    changes: list[str]
    flags: list[BudgetFlag]


@dataclass
class Queue:
    """A page of the month's queue and the households still to copy forward."""

    month: date
    previous_month: date
    page: Page
    rows: list[QueueRow]
    to_copy: list[Budget] = field(default_factory=list)
    to_copy_count: int = 0

    @property
    def person_ids(self) -> list[int]:
        return sorted(
            {row.budget.case.person_id for row in self.rows} | {b.case.person_id for b in self.to_copy}
        )


def _cases(user, mine: bool) -> QuerySet:
    cases = income_support_cases(user)
    return cases.filter(assigned_to=user) if mine else cases


def queue_for(user, month: date, *, mine: bool = False, page_number: int | str = 1) -> Queue:
    """The month's queue for ``user``: budgets in the cases the user may see (or only the user's own),
    flagged first, then by name; a fixed number of queries whatever the page size."""
    month = month.replace(day=1)
    previous_month = add_months(month, -1)
    cases = _cases(user, mine)
    budgets = (
        Budget.objects.filter(month=month, case__in=cases)
        .annotate(flag_count=Count("flags"))
        .select_related("case__person", "case__assigned_to")
        .order_by("-flag_count", "case__person__last_name", "case__person__first_name", "pk")
    )
    page = Paginator(budgets, PAGE_SIZE).get_page(page_number)
    current = list(page.object_list)
    prefetch_related_objects(current, "members", "costs", "incomes", "flags")
    # Last month's budget of each row: in the same case, else the person's (each month's e-application is
    # a case of its own), among the cases the user may see.
    earlier = list(
        Budget.objects.filter(month=previous_month, case__in=cases)
        .filter(case__person_id__in=[b.case.person_id for b in current])
        .select_related("case")
        .prefetch_related("members", "costs", "incomes")
        .order_by("case__received_on", "pk")
    )
    by_case = {b.case_id: b for b in earlier}
    by_person = {b.case.person_id: b for b in earlier}  # the newest case last, so it wins
    rows = []
    for b in current:
        previous = by_case.get(b.case_id) or by_person.get(b.case.person_id)
        rows.append(
            QueueRow(
                budget=b, previous=previous, changes=changes_since(previous, b), flags=list(b.flags.all())
            )
        )
    has_this_month = Budget.objects.filter(month=month, case__person_id=OuterRef("case__person_id"))
    waiting = (
        Budget.objects.filter(month=previous_month, case__in=cases.exclude(stage=Stage.CLOSED))
        .filter(~Exists(has_this_month))
        .select_related("case__person", "case__assigned_to")
        .order_by("case__person__last_name", "case__person__first_name", "pk")
    )
    to_copy = list(waiting[:TO_COPY_LIMIT])
    # The copy goes into the household's newest open case: this month's application when it has come.
    newest = dict(
        cases.exclude(stage=Stage.CLOSED)
        .filter(person_id__in=[b.case.person_id for b in to_copy])
        .order_by("received_on", "pk")
        .values_list("person_id", "pk")
    )
    for budget in to_copy:
        budget.copy_to_case_id = newest.get(budget.case.person_id, budget.case_id)
    count = len(to_copy) if len(to_copy) < TO_COPY_LIMIT else waiting.count()
    return Queue(month, previous_month, page, rows, to_copy, count)
