"""The month's run for every income-support household: recalculate, check, pay.

``run_month`` does for all budgets of a month (of open cases; one district or all) what saving each
budget does one at a time, with a fixed number of reads whatever the number of budgets:

1. ``recalculate_month``: the month's rule table is loaded once from the current rows, every budget is
   calculated in Python and only the budgets whose figures (or explained lines) changed are written.
2. ``check_month``: every automated check for every budget, from facts read in a few set-based queries
   (members, costs, reported and fetched incomes of the month, the persons' earlier costs) and the same
   rule code as the per-budget path (``checks``), so both paths flag alike. The flags are replaced.
3. With a payment date: the finance payment run for the approved decisions (pain.001 and SIE 4i),
   exactly once per decision as always.

Writes are prepared statements run once per row (``executemany``; Django's ``bulk_update`` builds a
CASE per row and was most of the run), in chunks of ``10 × BATCH_SIZE`` rows; see decision 0028.
Who may run it: the unit manager who attests income-support payments
(``finance.permissions.may_start_payment_run``) or the system actor of scheduled jobs (not payments).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from sociala.accounts.services import SYSTEM_USERNAME
from sociala.audit.services import record_event
from sociala.cases.choices import Stage
from sociala.core.errors import NotPermitted
from sociala.finance import services as finance_services
from sociala.finance.models import PaymentRun
from sociala.finance.permissions import may_start_payment_run
from sociala.organization.models import Committee

from .budget import (
    BudgetInput,
    IncomeInput,
    MemberInput,
    add_months,
    check_rules_for,
    household_of,
    lines_to_data,
    rule_version,
)
from .budget_choices import CheckKind, InquiryStatus
from .calculation import Calculation, calculate, household_errors
from .checks import (
    OtherMember,
    SeriesStats,
    all_findings,
    cost_rule,
    income_rule,
    median_of_sorted,
    receipt_rule,
    series_stats,
    two_household_rule,
)
from .models import (
    Budget,
    BudgetCost,
    BudgetFlag,
    BudgetIncome,
    BudgetMember,
    FetchedIncome,
    IncomeInquiry,
    IncomeSupportDecision,
)
from .norms import load_norm_table, month_label

BATCH_SIZE = 500
# Budgets listed per audit event of the recalculation (an event per budget would cost more than the run).
EVENT_CHUNK = 1000


def may_run_month(actor) -> bool:
    """The unit manager who attests payments, or the system actor of scheduled jobs."""
    return getattr(actor, "username", None) == SYSTEM_USERNAME or may_start_payment_run(actor)


def month_budgets(month: date, district: Committee | None = None) -> QuerySet[Budget]:
    """The budgets the run works on: the month's, in open cases, of one district or all."""
    budgets = Budget.objects.filter(month=month.replace(day=1)).exclude(case__stage=Stage.CLOSED)
    return budgets.filter(case__district=district) if district is not None else budgets


# --- 1. calculation -------------------------------------------------------------------------------------


@dataclass
class Recalculation:
    """What recalculating a month did: how many budgets, which changed, which the rules refused."""

    budgets: int = 0
    changed: list[tuple[int, int, int]] = field(default_factory=list)  # (budget, before, after)
    refused: list[int] = field(default_factory=list)


def _inputs(budgets: QuerySet[Budget]) -> dict[int, BudgetInput]:
    """Each budget's input as ``budget.input_of`` reads it, from three queries for all of them."""
    members: dict[int, list[MemberInput]] = defaultdict(list)
    positions: dict[int, int] = {}
    for budget_id, pk, role, age, number, name, lunch, days, earned in (
        BudgetMember.objects.filter(budget__in=budgets)
        .order_by("budget_id", "position")
        .values_list(
            "budget_id",
            "pk",
            "role",
            "age",
            "personal_identity_number",
            "name",
            "preschool_lunch",
            "days_in_household",
            "work_income_earlier_this_year",
        )
    ):
        positions[pk] = len(members[budget_id])
        members[budget_id].append(MemberInput(role, age, number, name, lunch, days, earned))
    costs: dict[int, dict[str, tuple[int, int | None]]] = defaultdict(dict)
    for budget_id, item, amount, receipt in BudgetCost.objects.filter(budget__in=budgets).values_list(
        "budget_id", "item", "amount", "receipt_id"
    ):
        costs[budget_id][item] = (amount, receipt)
    incomes: dict[int, list[IncomeInput]] = defaultdict(list)
    for budget_id, member_id, kind, amount, stimulus in (
        BudgetIncome.objects.filter(budget__in=budgets)
        .order_by("budget_id", "position")
        .values_list("budget_id", "member_id", "type", "amount", "job_stimulus")
    ):
        member = positions.get(member_id) if member_id else None
        incomes[budget_id].append(IncomeInput(kind, amount, member, stimulus))
    return {
        budget_id: BudgetInput(tuple(found), costs.get(budget_id, {}), tuple(incomes.get(budget_id, ())))
        for budget_id, found in members.items()
    }


def _write_figures(rows: list[tuple[int, Calculation, list[dict]]], version: str, now) -> None:
    """Store the new figures of the budgets (id, calculation, lines) with one prepared UPDATE run for
    each (executemany).

    ``QuerySet.bulk_update`` builds a CASE expression per row and field: 10 seconds for 2,000 budgets,
    most of the month's run. The statement and the values are still Django's: the JSON field's and
    the time's conversion for the database, the table's and columns' quoted names.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    names = (
        "norm",
        "reasonable_costs",
        "counted_income",
        "assistance",
        "lines",
        "rule_version",
        "calculated_at",
    )
    columns = ", ".join(f"{quote(Budget._meta.get_field(name).column)} = %s" for name in names)
    sql = f"UPDATE {quote(Budget._meta.db_table)} SET {columns} WHERE {quote('id')} = %s"  # noqa: S608
    lines_field = Budget._meta.get_field("lines")
    calculated_at = Budget._meta.get_field("calculated_at").get_db_prep_save(now, connection)
    values = [
        (
            c.norm,
            c.reasonable_costs,
            c.counted_income,
            c.assistance,
            lines_field.get_db_prep_save(lines, connection),
            version,
            calculated_at,
            pk,
        )
        for pk, c, lines in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(values), BATCH_SIZE * 10):
            cursor.executemany(sql, values[start : start + BATCH_SIZE * 10])


@transaction.atomic
def recalculate_month(*, actor, month: date, district: Committee | None = None) -> Recalculation:
    """Calculate every budget of the month again with the rule rows in force now; store what changed.

    InvalidInput when the month has no complete rule table. A budget the rules refuse (for example a
    child older than the table) keeps its figures and is listed in ``refused``.
    """
    if not may_run_month(actor):
        raise NotPermitted
    month = month.replace(day=1)
    table = load_norm_table(month)
    version = rule_version(table)
    # A decided budget keeps the figures it was decided on; a new rule row reaches it through omprövning.
    decided = IncomeSupportDecision.objects.filter(budget=OuterRef("pk"))
    budgets = month_budgets(month, district).exclude(Exists(decided))
    inputs = _inputs(budgets)
    stored = budgets.order_by("pk").values_list(
        "pk", "case_id", "norm", "reasonable_costs", "counted_income", "assistance", "rule_version"
    )
    result = Recalculation()
    new: list[tuple[int, Calculation, list[dict]]] = []
    same_figures: dict[int, tuple[Calculation, list[dict]]] = {}
    cases: dict[int, int] = {}
    before: dict[int, int] = {}
    for pk, case_id, norm, costs, income, assistance, old_version in stored:
        result.budgets += 1
        cases[pk] = case_id
        before[pk] = assistance
        data = inputs.get(pk)
        household = household_of(data) if data is not None else None
        if household is None or household_errors(household, table):
            result.refused.append(pk)
            continue
        calculation = calculate(household, table)
        lines = lines_to_data(calculation)
        figures = (
            calculation.norm,
            calculation.reasonable_costs,
            calculation.counted_income,
            calculation.assistance,
        )
        if figures == (norm, costs, income, assistance) and old_version == version:
            same_figures[pk] = (calculation, lines)  # changed only if its lines did
        else:
            new.append((pk, calculation, lines))
    if same_figures:
        # The stored lines (JSON) are read only for the budgets whose figures came out the same.
        for pk, old_lines in budgets.values_list("pk", "lines"):
            calculation, lines = same_figures.get(pk, (None, None))
            if calculation is not None and old_lines != lines:
                new.append((pk, calculation, lines))
        new.sort(key=lambda row: row[0])
    result.changed = [(pk, before[pk], c.assistance) for pk, c, _lines in new]
    _write_figures(new, version, timezone.now())
    for start in range(0, max(len(result.changed), 1), EVENT_CHUNK):
        chunk = result.changed[start : start + EVENT_CHUNK]
        record_event(
            actor=actor,
            action="recalculate_budgets",
            object_type="budget_month",
            object_id=month_label(month),
            details={
                "month": month_label(month),
                "district": district.code if district is not None else None,
                "rule_version": version,
                "budgets": result.budgets,
                "refused": result.refused if start == 0 else [],
                # [budget, case, assistance before, assistance after]
                "changed": [[pk, cases[pk], before, after] for pk, before, after in chunk],
            },
        )
    return result


# --- 2. checks ------------------------------------------------------------------------------------------


class _Member(NamedTuple):
    position: int
    role: str
    name: str
    personal_identity_number: str


class _Cost(NamedTuple):
    item: str
    amount: int
    receipt_id: int | None


class _Fetched(NamedTuple):
    income_type: str
    amount: int | None
    is_net: bool
    is_monthly: bool


def _without(ordered: list[Decimal], value: Decimal) -> list[Decimal]:
    """``ordered`` with one occurrence of ``value`` taken out (it must be there)."""
    index = bisect_left(ordered, value)
    return ordered[:index] + ordered[index + 1 :]


class _DistrictSeries:
    """The district's amounts of an item for households of a size, less the budget's own: the median
    and MAD of "all but one" from one sorted list per group (sorting each budget's series anew is what
    makes a month of 25,000 budgets slow)."""

    def __init__(self, amounts: dict[tuple, list[int]], minimum: int):
        self.sorted = {key: sorted(Decimal(a) for a in values) for key, values in amounts.items()}
        self.minimum = minimum
        self.deviations: dict[tuple, list[Decimal]] = {}

    def stats(self, key: tuple, amount: int) -> SeriesStats | None:
        group = self.sorted.get(key)
        if group is None or len(group) - 1 < self.minimum:
            return None
        own = Decimal(amount)
        centre = median_of_sorted(_without(group, own))
        deviations = self.deviations.get((key, centre))
        if deviations is None:
            deviations = sorted(abs(v - centre) for v in group)
            self.deviations[(key, centre)] = deviations
        mad = median_of_sorted(_without(deviations, abs(own - centre)))
        return centre, mad, len(group) - 1


def month_findings(month: date, district: Committee | None = None) -> dict[int, list[tuple[str, dict]]]:
    """Every finding on every budget of the run (see ``month_budgets``) as (check, params), the same as
    ``checks.findings_for`` gives one budget; a fixed number of queries."""
    return findings_of(month.replace(day=1), month_budgets(month, district))


def findings_of(month: date, targets: QuerySet[Budget]) -> dict[int, list[tuple[str, dict]]]:
    """``month_findings`` for the budgets ``targets`` of ``month``."""
    rules = check_rules_for(month)
    target_ids = set(targets.values_list("pk", flat=True))
    # Every budget of the month: two-household and district comparisons look across cases and districts.
    budgets = {
        pk: (case_id, person_id, district_id, reference, district_name)
        for pk, case_id, person_id, district_id, reference, district_name in Budget.objects.filter(
            month=month
        ).values_list(
            "pk", "case_id", "case__person_id", "case__district_id", "case__reference", "case__district__name"
        )
    }
    members: dict[int, list[_Member]] = defaultdict(list)
    by_number: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for budget_id, position, role, name, number in (
        BudgetMember.objects.filter(budget__month=month)
        .order_by("budget_id", "position")
        .values_list("budget_id", "position", "role", "name", "personal_identity_number")
    ):
        members[budget_id].append(_Member(position, role, name, number))
        if number:
            by_number[number].append((budget_id, position))
    costs: dict[int, list[_Cost]] = defaultdict(list)
    for budget_id, item, amount, receipt in (
        BudgetCost.objects.filter(budget__month=month)
        .order_by("budget_id", "pk")
        .values_list("budget_id", "item", "amount", "receipt_id")
    ):
        costs[budget_id].append(_Cost(item, amount, receipt))
    reported: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for budget_id, kind, amount in BudgetIncome.objects.filter(budget__in=targets).values_list(
        "budget_id", "type", "amount"
    ):
        reported[budget_id][kind] += amount

    answered = {"budget__in": targets, "status": InquiryStatus.ANSWERED, "period_start": month}
    latest: dict[tuple[int, str], tuple[int, list[dict]]] = {}
    for pk, budget_id, number, errors in (
        IncomeInquiry.objects.filter(**answered)
        .order_by("-requested_at", "-pk")
        .values_list("pk", "budget_id", "personal_identity_number", "agency_errors")
    ):
        latest.setdefault((budget_id, number), (pk, errors))
    fetched: dict[int, list[_Fetched]] = defaultdict(list)
    for inquiry_id, kind, amount, is_net, is_monthly in (
        FetchedIncome.objects.filter(**{f"inquiry__{k}": v for k, v in answered.items()})
        .order_by("inquiry_id", "pk")
        .values_list("inquiry_id", "income_type", "amount", "is_net", "is_monthly")
    ):
        fetched[inquiry_id].append(_Fetched(kind, amount, is_net, is_monthly))
    answers: dict[int, list[tuple[list[dict], list]]] = defaultdict(list)
    for (budget_id, _number), (pk, errors) in latest.items():
        answers[budget_id].append((errors, fetched.get(pk, [])))

    history: dict[tuple[int, str], list[int]] = defaultdict(list)
    for person_id, item, amount in BudgetCost.objects.filter(
        amount__gt=0,
        budget__month__lt=month,
        budget__month__gte=add_months(month, -rules.cost_history_months),
        budget__case__person_id__in=targets.values("case__person_id"),
    ).values_list("budget__case__person_id", "item", "amount"):
        history[(person_id, item)].append(amount)
    history_stats: dict[tuple[int, str], SeriesStats | None] = {}

    size = {pk: len(members.get(pk, ())) for pk in budgets}
    amounts: dict[tuple, list[int]] = defaultdict(list)
    for budget_id, found in costs.items():
        for cost in found:
            if cost.amount > 0:
                amounts[(budgets[budget_id][2], size[budget_id], cost.item)].append(cost.amount)
    district_series = _DistrictSeries(amounts, rules.cost_min_district_sample)

    findings: dict[int, list[tuple[str, dict]]] = {}
    for pk in sorted(target_ids):
        _case_id, person_id, district_id, _reference, _name = budgets[pk]
        own_members = members.get(pk, [])
        numbers = {m.personal_identity_number for m in own_members if m.personal_identity_number}
        others = sorted(
            (
                (budgets[other][3], position, number, other)
                for number in numbers
                for other, position in by_number[number]
                if other != pk
            )
        )
        own_costs = costs.get(pk, [])

        def own_history(item: str, _amount: int, person_id=person_id) -> SeriesStats | None:
            key = (person_id, item)
            if key not in history_stats:
                history_stats[key] = series_stats(history.get(key, []), rules.cost_min_history)
            return history_stats[key]

        def district(item: str, amount: int, key=(district_id, size[pk])) -> SeriesStats | None:
            return district_series.stats((*key, item), amount)

        own, near = cost_rule(own_costs, own_history, district, size[pk], rules)
        findings[pk] = all_findings(
            income_rule(answers.get(pk, []), reported.get(pk, {}), rules),
            two_household_rule(
                own_members,
                [
                    OtherMember(number, other, budgets[other][0], reference, budgets[other][4])
                    for reference, _position, number, other in others
                ],
            ),
            own,
            near,
            receipt_rule(own_costs, rules),
        )
    return findings


@dataclass
class CheckRun:
    """What checking a month did: budgets checked, flags by check."""

    budgets: int = 0
    flags: dict[str, int] = field(default_factory=dict)


@transaction.atomic
def check_month(*, actor, month: date, district: Committee | None = None) -> CheckRun:
    """Run every automated check on every budget of the month and store the flags in place of the old
    ones. Budgets outside the run (other districts) that share a person with it get their two-household
    flags refreshed, as saving one budget does."""
    if not may_run_month(actor):
        raise NotPermitted
    month = month.replace(day=1)
    findings = month_findings(month, district)
    targets = month_budgets(month, district)
    BudgetFlag.objects.filter(budget__in=targets).delete()
    now = timezone.now()
    flags = [
        BudgetFlag(budget_id=pk, kind=kind, params=params, created_at=now)
        for pk, found in findings.items()
        for kind, params in found
    ]
    if district is not None:
        flags += _outside_two_households(month, findings)
    _insert_flags(flags)
    targets.update(checked_at=now)
    result = CheckRun(budgets=len(findings))
    for flag in flags:
        if flag.budget_id in findings:
            result.flags[flag.kind] = result.flags.get(flag.kind, 0) + 1
    record_event(
        actor=actor,
        action="check_budgets",
        object_type="budget_month",
        object_id=month_label(month),
        details={
            "month": month_label(month),
            "district": district.code if district is not None else None,
            "budgets": result.budgets,
            "flags": result.flags,
        },
    )
    return result


def _insert_flags(flags: list[BudgetFlag]) -> None:
    """Insert the flags with one prepared INSERT run for each (executemany): ``bulk_create`` prepares
    every value of every row through the model's fields, a third of the checks' time for a month."""
    if not flags:
        return
    quote = connection.ops.quote_name
    names = ("budget", "kind", "params", "created_at")
    fields = [BudgetFlag._meta.get_field(name) for name in names]
    sql = (
        f"INSERT INTO {quote(BudgetFlag._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    params_field, created_field = fields[2], fields[3]
    stamps = {t: created_field.get_db_prep_save(t, connection) for t in {flag.created_at for flag in flags}}
    values = [
        (
            flag.budget_id,
            flag.kind,
            params_field.get_db_prep_save(flag.params, connection),
            stamps[flag.created_at],
        )
        for flag in flags
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(values), BATCH_SIZE * 10):
            cursor.executemany(sql, values[start : start + BATCH_SIZE * 10])


def _outside_two_households(month: date, findings: dict[int, list[tuple[str, dict]]]) -> list[BudgetFlag]:
    """New two-household flags for the budgets outside the run that pointed at, or now share a person
    with, a budget of the run (their old ones are deleted here)."""
    kind = CheckKind.TWO_HOUSEHOLDS.value
    # Two-household flags are few: read the month's and pick in Python (no JSON lookups in SQL).
    pointing = {
        budget_id
        for budget_id, other in BudgetFlag.objects.filter(budget__month=month, kind=kind).values_list(
            "budget_id", "params__other_budget_id"
        )
        if other in findings
    }
    now_sharing = {p["other_budget_id"] for found in findings.values() for k, p in found if k == kind}
    outside = (pointing | now_sharing) - set(findings)
    if not outside:
        return []
    everyone = findings_of(month, Budget.objects.filter(month=month, pk__in=outside))
    BudgetFlag.objects.filter(budget_id__in=outside, kind=kind).delete()
    now = timezone.now()
    return [
        BudgetFlag(budget_id=pk, kind=k, params=p, created_at=now)
        for pk in sorted(outside)
        for k, p in everyone.get(pk, [])
        if k == kind
    ]


# --- the whole month ------------------------------------------------------------------------------------


@dataclass
class MonthRun:
    """The outcome of a month's run."""

    month: date
    recalculation: Recalculation
    checks: CheckRun
    payment_run: PaymentRun | None = None


def run_month(
    *, actor, month: date, district: Committee | None = None, payment_date: date | None = None
) -> MonthRun:
    """Recalculate and check every budget of the month; with ``payment_date``, also pay the approved
    decisions (the finance payment run, in this process: the job is safe to run twice)."""
    if payment_date is not None and not may_start_payment_run(actor):
        raise NotPermitted  # before anything is written: paying is the point of such a run
    recalculation = recalculate_month(actor=actor, month=month, district=district)
    checks = check_month(actor=actor, month=month, district=district)
    run = None
    if payment_date is not None:
        run, _created = finance_services.start_payment_run(actor=actor, payment_date=payment_date)
        run = finance_services.execute_payment_run(run.pk)
    return MonthRun(month.replace(day=1), recalculation, checks, run)
