"""Automated checks on a month's budget; each finding says which check fired and why, in figures.

The checks (thresholds are rule data, ``CheckRules``, in force for the budget's month):

``income_differs``
    For each kind of income the agencies report (housing allowance, child allowance, maintenance support,
    parental benefit, sickness benefit, activity support, pension, unemployment benefit, student aid), the
    household's reported amount is compared with the net monthly amount fetched through SSBTEK for the
    month (the latest answered inquiry per person). Fires when they differ by more than
    ``income_difference`` kronor. Where the agency reports only a gross amount (taxable benefits), fires
    when nothing of that kind is reported. A kind whose agency answered with an error is not compared.
    Nothing is compared before an inquiry has been answered.
``two_households``
    A member with a personal identity number who is also a member of another case's budget for the same
    month. Fires on both budgets.
``cost_outside_history`` / ``cost_outside_district``
    A reasonable cost far from the person's own earlier amounts of the same item (the last
    ``cost_history_months`` months, from ``cost_min_history`` amounts) or from the same item in the
    district's other budgets that month for households of the same size (from ``cost_min_district_sample``
    households). "Far" is the robust outlier rule: more than ``cost_deviation_factor`` × MAD from the
    median, where MAD (median absolute deviation) = median(|x − median|), taken as at least
    ``cost_spread_floor`` × the median.
``missing_receipt``
    A cost of ``receipt_threshold`` kronor or more with no document linked as its receipt.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sociala.core.identity_numbers import InvalidIdentityNumber, parse_identity_number
from sociala.core.money import format_sek

from .budget import add_months, check_rules_for, income_label
from .budget_choices import Agency, CheckKind, InquiryStatus
from .choices import IncomeType, MemberRole, ReasonableCost
from .models import Budget, BudgetCost, BudgetFlag, BudgetMember, CheckRules, FetchedIncome, IncomeInquiry

# The kinds of income SSBTEK reports, and the agency whose answer carries each.
COMPARED_INCOMES = {
    IncomeType.HOUSING_ALLOWANCE.value: Agency.FK.value,
    IncomeType.CHILD_ALLOWANCE.value: Agency.FK.value,
    IncomeType.MAINTENANCE_SUPPORT.value: Agency.FK.value,
    IncomeType.PARENTAL_BENEFIT.value: Agency.FK.value,
    IncomeType.SICKNESS_BENEFIT.value: Agency.FK.value,
    IncomeType.ACTIVITY_SUPPORT.value: Agency.FK.value,
    IncomeType.PENSION.value: Agency.PM.value,
    IncomeType.UNEMPLOYMENT_BENEFIT.value: Agency.SO.value,
    IncomeType.STUDENT_AID.value: Agency.CSN.value,
}
# Pensionsmyndigheten answers inside Försäkringskassan's part: an error there hides both.
ANSWERED_THROUGH = {Agency.PM.value: Agency.FK.value}


# --- robust spread -----------------------------------------------------------------------------------


def median_of_sorted(ordered: list[Decimal]) -> Decimal:
    """The exact median of values already sorted (the mean of the two middle values for an even count)."""
    if not ordered:
        raise ValueError("median of nothing")
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def median(values: list[int] | list[Decimal]) -> Decimal:
    """The exact median (the mean of the two middle values for an even count)."""
    return median_of_sorted(sorted(Decimal(v) for v in values))


def median_absolute_deviation(values: list[int]) -> Decimal:
    """MAD = median(|x − median(x)|)."""
    centre = median(values)
    return median([abs(Decimal(v) - centre) for v in values])


@dataclass(frozen=True)
class Outlier:
    """How far ``amount`` is from a series: its median, MAD, the spread used and the allowed range."""

    amount: int
    median: Decimal
    mad: Decimal
    spread: Decimal
    low: Decimal
    high: Decimal
    count: int


def outlier(amount: int, series: list[int], factor: Decimal, floor: Decimal) -> Outlier | None:
    """An Outlier when ``amount`` lies more than ``factor`` × max(MAD, ``floor`` × median) from the
    series' median; None when it is within that range."""
    return outlier_from(amount, median(series), median_absolute_deviation(series), len(series), factor, floor)


def outlier_from(
    amount: int, centre: Decimal, mad: Decimal, count: int, factor: Decimal, floor: Decimal
) -> Outlier | None:
    """``outlier`` given the series' median, MAD and size (the month's run works them out faster)."""
    spread = max(mad, floor * centre)
    low, high = centre - factor * spread, centre + factor * spread
    if low <= amount <= high:
        return None
    return Outlier(amount, centre, mad, spread, low, high, count)


def _kronor(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _outlier_params(item: str, found: Outlier, factor: Decimal, floor: Decimal) -> dict:
    return {
        "item": item,
        "amount": found.amount,
        "median": str(found.median),
        "mad": str(found.mad),
        "spread": str(found.spread),
        "floor": str(floor),
        "factor": str(factor),
        "low": max(0, _kronor(found.low)),
        "high": _kronor(found.high),
        "count": found.count,
    }


# --- the rules ------------------------------------------------------------------------------------------
#
# Each rule works on plain facts about one budget, gathered either by one budget's queries (below: saving a
# budget) or for a whole month at once (``monthly``): both paths run this same code, so they flag alike.
# A fact may be a model instance or a plain tuple with the same attribute names.


@dataclass(frozen=True, slots=True)
class OtherMember:
    """A member of another case's budget for the same month with a number the budget also has."""

    personal_identity_number: str
    budget_id: int
    case_id: int
    case_reference: str
    district_name: str


def income_rule(
    answers: list[tuple[list[dict], list]], reported: dict[str, int], rules: CheckRules
) -> list[dict]:
    """``income_differs`` findings from the latest answers (agency errors, fetched incomes) and the reported
    amount per kind (see the module docstring)."""
    if not answers:
        return []
    failed: set[str] = set()
    net: dict[str, int] = defaultdict(int)
    gross: dict[str, int] = defaultdict(int)
    has_net: set[str] = set()
    for agency_errors, incomes in answers:
        failed |= {error.get("agency", "") for error in agency_errors}
        for item in incomes:
            if not item.is_monthly or item.amount is None or item.income_type not in COMPARED_INCOMES:
                continue
            if item.is_net:
                net[item.income_type] += item.amount
                has_net.add(item.income_type)
            else:
                gross[item.income_type] += item.amount
    threshold = rules.income_difference
    findings = []
    for kind, agency in COMPARED_INCOMES.items():
        if agency in failed or ANSWERED_THROUGH.get(agency) in failed:
            continue
        said = reported.get(kind, 0)
        if kind in has_net:
            fetched = net[kind]
            if abs(said - fetched) > threshold:
                findings.append(
                    {
                        "type": kind,
                        "agency": agency,
                        "reported": said,
                        "fetched": fetched,
                        "threshold": threshold,
                    }
                )
        elif kind in gross:
            if said == 0:
                findings.append({"type": kind, "agency": agency, "reported": 0, "fetched_gross": gross[kind]})
        elif said > threshold:
            findings.append(
                {"type": kind, "agency": agency, "reported": said, "fetched": 0, "threshold": threshold}
            )
    return findings


def two_household_rule(members: list, others: list[OtherMember]) -> list[dict]:
    """``two_households`` findings: ``others`` are the other budgets' members of the month with one of the
    members' numbers, ordered by case reference and position."""
    by_number = {m.personal_identity_number: m for m in members if m.personal_identity_number}
    findings = []
    for other in others:
        member = by_number[other.personal_identity_number]
        findings.append(
            {
                "position": member.position,
                "role": member.role,
                "name": member.name,
                "number": member.personal_identity_number,
                "other_budget_id": other.budget_id,
                "other_case_id": other.case_id,
                "other_case_reference": other.case_reference,
                "other_district": other.district_name,
            }
        )
    return findings


SeriesStats = tuple[Decimal, Decimal, int]  # median, MAD, count
Spread = Callable[[str, int], SeriesStats | None]


def cost_rule(
    costs: list, history: Spread, district: Spread, size: int, rules: CheckRules
) -> tuple[list[dict], list[dict]]:
    """(``cost_outside_history``, ``cost_outside_district``) findings. ``history`` and ``district`` give the
    median, MAD and count of the series a cost (item, amount) is compared with, None when the series is
    shorter than the rules' minimum."""
    factor, floor = rules.cost_deviation_factor, rules.cost_spread_floor
    own, neighbours = [], []
    for cost in costs:
        if cost.amount <= 0:
            continue
        stats = history(cost.item, cost.amount)
        if stats is not None:
            found = outlier_from(cost.amount, *stats, factor, floor)
            if found is not None:
                own.append(
                    {**_outlier_params(cost.item, found, factor, floor), "months": rules.cost_history_months}
                )
        stats = district(cost.item, cost.amount)
        if stats is not None:
            found = outlier_from(cost.amount, *stats, factor, floor)
            if found is not None:
                neighbours.append(
                    {**_outlier_params(cost.item, found, factor, floor), "household_size": size}
                )
    return own, neighbours


def series_stats(series: list[int], minimum: int) -> SeriesStats | None:
    """(median, MAD, count) of a series with at least ``minimum`` values; None for a shorter one."""
    if len(series) < minimum:
        return None
    return median(series), median_absolute_deviation(series), len(series)


def receipt_rule(costs: list, rules: CheckRules) -> list[dict]:
    """``missing_receipt`` findings."""
    return [
        {"item": cost.item, "amount": cost.amount, "threshold": rules.receipt_threshold}
        for cost in costs
        if cost.amount >= rules.receipt_threshold and cost.receipt_id is None
    ]


def all_findings(
    income: list[dict], two: list[dict], own: list[dict], district: list[dict], receipts: list[dict]
) -> list[tuple[str, dict]]:
    """Every finding as (check, params), in the order of the checks."""
    return [
        *((CheckKind.INCOME_DIFFERS.value, p) for p in income),
        *((CheckKind.TWO_HOUSEHOLDS.value, p) for p in two),
        *((CheckKind.COST_OUTSIDE_HISTORY.value, p) for p in own),
        *((CheckKind.COST_OUTSIDE_DISTRICT.value, p) for p in district),
        *((CheckKind.MISSING_RECEIPT.value, p) for p in receipts),
    ]


# --- one budget's facts ----------------------------------------------------------------------------------


def latest_answers(budget: Budget) -> list[IncomeInquiry]:
    """The latest answered inquiry per person for the budget's month."""
    latest: dict[str, IncomeInquiry] = {}
    answered = budget.inquiries.filter(status=InquiryStatus.ANSWERED, period_start=budget.month)
    for inquiry in answered.order_by("-requested_at", "-pk").prefetch_related("incomes"):
        latest.setdefault(inquiry.personal_identity_number, inquiry)
    return list(latest.values())


def income_findings(budget: Budget, rules: CheckRules) -> list[dict]:
    """``income_differs`` findings (see the module docstring)."""
    inquiries = latest_answers(budget)
    if not inquiries:
        return []
    reported: dict[str, int] = defaultdict(int)
    for income in budget.incomes.all():
        reported[income.type] += income.amount
    return income_rule([(i.agency_errors, list(i.incomes.all())) for i in inquiries], reported, rules)


def two_household_findings(budget: Budget) -> list[dict]:
    """``two_households`` findings: members also in another case's budget for the same month."""
    members = [m for m in budget.members.all() if m.personal_identity_number]
    if not members:
        return []
    others = (
        BudgetMember.objects.filter(
            personal_identity_number__in={m.personal_identity_number for m in members},
            budget__month=budget.month,
        )
        .exclude(budget_id=budget.pk)
        .order_by("budget__case__reference", "position")
        .values_list(
            "personal_identity_number",
            "budget_id",
            "budget__case_id",
            "budget__case__reference",
            "budget__case__district__name",
        )
    )
    return two_household_rule(members, [OtherMember(*row) for row in others])


def cost_findings(budget: Budget, rules: CheckRules) -> tuple[list[dict], list[dict]]:
    """(``cost_outside_history``, ``cost_outside_district``) findings."""
    costs = [c for c in budget.costs.all() if c.amount > 0]
    if not costs:
        return [], []
    items = [c.item for c in costs]

    earlier = (
        BudgetCost.objects.filter(
            item__in=items,
            amount__gt=0,
            budget__case__person_id=budget.case.person_id,
            budget__month__lt=budget.month,
            budget__month__gte=add_months(budget.month, -rules.cost_history_months),
        )
        .exclude(budget_id=budget.pk)
        .values_list("item", "amount")
    )
    history: dict[str, list[int]] = defaultdict(list)
    for item, amount in earlier:
        history[item].append(amount)

    size = budget.members.count()
    district_budgets = (
        Budget.objects.filter(month=budget.month, case__district_id=budget.case.district_id)
        .exclude(pk=budget.pk)
        .annotate(size=Count("members"))
        .filter(size=size)
        .values("pk")
    )
    neighbours: dict[str, list[int]] = defaultdict(list)
    for item, amount in BudgetCost.objects.filter(
        budget_id__in=district_budgets, item__in=items, amount__gt=0
    ).values_list("item", "amount"):
        neighbours[item].append(amount)

    return cost_rule(
        costs,
        lambda item, _amount: series_stats(history.get(item, []), rules.cost_min_history),
        lambda item, _amount: series_stats(neighbours.get(item, []), rules.cost_min_district_sample),
        size,
        rules,
    )


def receipt_findings(budget: Budget, rules: CheckRules) -> list[dict]:
    """``missing_receipt`` findings."""
    return receipt_rule(list(budget.costs.all()), rules)


def findings_for(budget: Budget) -> list[tuple[str, dict]]:
    """Every finding on ``budget`` as (check, params), in the order of the checks."""
    rules = check_rules_for(budget.month)
    own, district = cost_findings(budget, rules)
    return all_findings(
        income_findings(budget, rules),
        two_household_findings(budget),
        own,
        district,
        receipt_findings(budget, rules),
    )


def _refresh_two_households(budget: Budget) -> None:
    budget.flags.filter(kind=CheckKind.TWO_HOUSEHOLDS).delete()
    BudgetFlag.objects.bulk_create(
        BudgetFlag(budget=budget, kind=CheckKind.TWO_HOUSEHOLDS, params=p)
        for p in two_household_findings(budget)
    )


def refresh_flags(budget: Budget) -> list[BudgetFlag]:
    """Run every check on ``budget`` and store its flags in place of the old ones (inside the caller's
    transaction). Budgets that share a person with it get their two-household flags refreshed too."""
    findings = findings_for(budget)
    before = set(
        BudgetFlag.objects.filter(budget=budget, kind=CheckKind.TWO_HOUSEHOLDS).values_list(
            "params__other_budget_id", flat=True
        )
    )
    budget.flags.all().delete()
    flags = BudgetFlag.objects.bulk_create(
        BudgetFlag(budget=budget, kind=kind, params=p) for kind, p in findings
    )
    budget.checked_at = timezone.now()
    budget.save(update_fields=["checked_at"])
    after = {p["other_budget_id"] for kind, p in findings if kind == CheckKind.TWO_HOUSEHOLDS}
    pointing = BudgetFlag.objects.filter(kind=CheckKind.TWO_HOUSEHOLDS, params__other_budget_id=budget.pk)
    others = (before | after | set(pointing.values_list("budget_id", flat=True))) - {None, budget.pk}
    for other in Budget.objects.filter(pk__in=others).select_related("case"):
        _refresh_two_households(other)
    return flags


# --- in words -------------------------------------------------------------------------------------------

INCOME_DIFFERS = _(
    "%(type)s: redovisat %(reported)s, %(agency)s %(fetched)s för månaden. Skillnaden %(difference)s är "
    "större än %(threshold)s."
)
INCOME_NOT_REPORTED_GROSS = _(
    "%(type)s: %(agency)s har beslutat %(fetched)s före skatt för månaden, men ingen sådan inkomst är redovisad."
)
INCOME_NOT_FOUND = _(
    "%(type)s: redovisat %(reported)s, men %(agency)s har inget för månaden (gränsen är %(threshold)s)."
)
TWO_HOUSEHOLDS_VISIBLE = _(
    "%(who)s finns också i hushållet i ärende %(case)s (%(district)s) för samma månad."
)
TWO_HOUSEHOLDS_HIDDEN = _(
    "%(who)s finns också i ett annat hushåll i %(district)s för samma månad. Kontakta stadsdelen."
)
COST_OUTSIDE_HISTORY = _(
    "%(item)s %(amount)s ligger utanför personens vanliga %(low)s–%(high)s: mer än %(factor)s × %(spread)s "
    "från medianen %(median)s av %(count)s tidigare månader (spridningen är MAD %(mad)s, minst %(floor)s %% "
    "av medianen)."
)
COST_OUTSIDE_DISTRICT = _(
    "%(item)s %(amount)s ligger utanför stadsdelens vanliga %(low)s–%(high)s för hushåll med %(size)s "
    "personer: mer än %(factor)s × %(spread)s från medianen %(median)s av %(count)s hushåll (spridningen är "
    "MAD %(mad)s, minst %(floor)s %% av medianen)."
)
MISSING_RECEIPT = _("%(item)s %(amount)s saknar underlag; underlag krävs från %(threshold)s.")


def _who(params: dict) -> str:
    role = str(MemberRole(params["role"]).label) if params.get("role") in MemberRole.values else ""
    number = params.get("number", "")
    try:
        number = parse_identity_number(number).formatted if number else ""
    except InvalidIdentityNumber:
        pass
    name = params.get("name") or number
    return f"{name} ({role.lower()})" if role else name


def _sek_text(value) -> str:
    return format_sek(Decimal(str(value)))


def flag_text(flag: BudgetFlag, visible_case_ids: set[int] | frozenset[int] = frozenset()) -> str:
    """Why the flag fired, in the active language. A case in another household is named only when
    the viewer may see it (``visible_case_ids``)."""
    p = flag.params
    if flag.kind == CheckKind.INCOME_DIFFERS:
        values = {
            "type": income_label(p["type"]),
            "agency": str(Agency(p["agency"]).label),
            "reported": format_sek(p["reported"]),
        }
        if "fetched_gross" in p:
            return str(INCOME_NOT_REPORTED_GROSS % {**values, "fetched": format_sek(p["fetched_gross"])})
        values["threshold"] = format_sek(p["threshold"])
        if p["fetched"] == 0:
            return str(INCOME_NOT_FOUND % values)
        values["fetched"] = format_sek(p["fetched"])
        values["difference"] = format_sek(abs(p["reported"] - p["fetched"]))
        return str(INCOME_DIFFERS % values)
    if flag.kind == CheckKind.TWO_HOUSEHOLDS:
        values = {"who": _who(p), "district": p["other_district"], "case": p["other_case_reference"]}
        if p["other_case_id"] in visible_case_ids:
            return str(TWO_HOUSEHOLDS_VISIBLE % values)
        return str(TWO_HOUSEHOLDS_HIDDEN % values)
    if flag.kind in (CheckKind.COST_OUTSIDE_HISTORY, CheckKind.COST_OUTSIDE_DISTRICT):
        values = {
            "item": str(ReasonableCost(p["item"]).label),
            "amount": format_sek(p["amount"]),
            "low": format_sek(p["low"]),
            "high": format_sek(p["high"]),
            "median": _sek_text(p["median"]),
            "mad": _sek_text(p["mad"]),
            "spread": _sek_text(p["spread"]),
            "floor": f"{(Decimal(p['floor']) * 100).normalize():f}",
            "factor": f"{Decimal(p['factor']).normalize():f}",
            "count": p["count"],
        }
        if flag.kind == CheckKind.COST_OUTSIDE_HISTORY:
            return str(COST_OUTSIDE_HISTORY % values)
        return str(COST_OUTSIDE_DISTRICT % {**values, "size": p["household_size"]})
    if flag.kind == CheckKind.MISSING_RECEIPT:
        return str(
            MISSING_RECEIPT
            % {
                "item": str(ReasonableCost(p["item"]).label),
                "amount": format_sek(p["amount"]),
                "threshold": format_sek(p["threshold"]),
            }
        )
    return str(flag.get_kind_display())


__all__ = [
    "COMPARED_INCOMES",
    "FetchedIncome",
    "Outlier",
    "cost_findings",
    "findings_for",
    "flag_text",
    "income_findings",
    "median",
    "median_absolute_deviation",
    "outlier",
    "receipt_findings",
    "refresh_flags",
    "two_household_findings",
]
