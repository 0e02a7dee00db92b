"""The month's budget as data: input rows, the household the calculation reads, stored lines, rules in force.

A budget is what the caseworker enters (or copies from last month, or later takes from the citizen's
e-application): the household, the reasonable costs and the incomes reported for one month. Saving it
calculates at once with the rules in force for the month and stores the result with the rule version,
so that the figure shown next month is the figure that was decided on.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .calculation import Calculation, Household, Income, Line, Member, ReasonableCosts
from .choices import IncomeType, MemberRole, ReasonableCost
from .models import Budget, CheckRules, IncomeInquiryBasis
from .norms import NormTable, TableRow, month_label

INCOME_SUPPORT_CASE_TYPE = "income_support_application"
# Read once: ``Choices.values`` builds its list anew on every call (the month's run calls this 25,000 times).
COST_ITEMS = tuple(ReasonableCost.values)
ADULT_ROLES = frozenset({MemberRole.APPLICANT.value, MemberRole.PARTNER.value, MemberRole.OTHER_ADULT.value})

NO_RULES = _("Det finns inga kontrollregler för %(month)s; en administratör behöver lägga in dem.")
NO_INQUIRY_BASIS = _("Det finns inget syfte och lagrum för SSBTEK-frågor för %(month)s.")


@dataclass(frozen=True)
class MemberInput:
    """A person of the household as entered: the age is worked out from the number when there is one."""

    role: str
    age: int | None = None
    personal_identity_number: str = ""
    name: str = ""
    preschool_lunch: bool = False
    days_in_household: int | None = None
    work_income_earlier_this_year: int = 0


@dataclass(frozen=True)
class IncomeInput:
    """A reported net income; ``member`` is the index of its member, None for the household."""

    type: str
    amount: int
    member: int | None = None
    job_stimulus: bool = False


@dataclass(frozen=True)
class BudgetInput:
    """Everything a budget holds as entered; costs by ``ReasonableCost`` code -> (amount, receipt id)."""

    members: tuple[MemberInput, ...]
    costs: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    incomes: tuple[IncomeInput, ...] = ()

    def with_members(self, members: tuple[MemberInput, ...]) -> BudgetInput:
        return replace(self, members=members)


def add_months(month: date, count: int) -> date:
    """The first day of the month ``count`` months after ``month`` (negative: before)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def age_on(birth_date: date, day: date) -> int:
    """Whole years on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def household_of(data: BudgetInput) -> Household:
    """The calculation's household for validated input (every age known)."""
    costs = {item: amount for item, (amount, _receipt) in data.costs.items()}
    return Household(
        members=tuple(
            Member(
                role=m.role,
                age=m.age if m.age is not None else -1,
                preschool_lunch=m.preschool_lunch,
                days_in_household=m.days_in_household,
                work_income_earlier_this_year=m.work_income_earlier_this_year,
            )
            for m in data.members
        ),
        reasonable_costs=ReasonableCosts(**{item: costs.get(item, 0) for item in COST_ITEMS}),
        incomes=tuple(
            Income(member=i.member, type=i.type, amount=i.amount, job_stimulus=i.job_stimulus)
            for i in data.incomes
        ),
    )


def input_of(budget: Budget) -> BudgetInput:
    """A saved budget as input again (for copying and for the edit form)."""
    members = list(budget.members.all())
    positions = {m.pk: index for index, m in enumerate(members)}
    return BudgetInput(
        members=tuple(
            MemberInput(
                role=m.role,
                age=m.age,
                personal_identity_number=m.personal_identity_number,
                name=m.name,
                preschool_lunch=m.preschool_lunch,
                days_in_household=m.days_in_household,
                work_income_earlier_this_year=m.work_income_earlier_this_year,
            )
            for m in members
        ),
        costs={c.item: (c.amount, c.receipt_id) for c in budget.costs.all()},
        incomes=tuple(
            IncomeInput(
                type=i.type,
                amount=i.amount,
                member=positions.get(i.member_id) if i.member_id else None,
                job_stimulus=i.job_stimulus,
            )
            for i in budget.incomes.all()
        ),
    )


# --- the stored calculation -------------------------------------------------------------------------


def rule_version(table: NormTable) -> str:
    """Which versions of the rule tables a calculation used, e.g. "national_norm 2026-01-01; …"."""
    return "; ".join(
        f"{row.table} {row.valid_from.isoformat()}"
        for row in (table.single_adult, table.price_base_amount, table.job_stimulus)
    )


def lines_to_data(calculation: Calculation) -> list[dict]:
    """The calculation's lines as JSON for the budget row."""
    return [
        {
            "part": line.part,
            "rule": line.rule,
            "amount": line.amount,
            "members": list(line.members),
            "inputs": [[key, value] for key, value in line.inputs],
            "rows": [
                {
                    "table": row.table,
                    "valid_from": row.valid_from.isoformat(),
                    "row": row.row,
                    "value": str(row.value),
                    "legal_source": row.legal_source,
                }
                for row in line.rows
            ],
        }
        for line in calculation.lines
    ]


def _value(text: str) -> int | Decimal:
    return Decimal(text) if "." in text else int(text)


def lines_from_data(data: list[dict]) -> list[Line]:
    """Stored lines as calculation lines again (to explain them in words with ``line_text``)."""
    return [
        Line(
            part=item["part"],
            rule=item["rule"],
            amount=item["amount"],
            members=tuple(item["members"]),
            inputs=tuple((key, value) for key, value in item["inputs"]),
            rows=tuple(
                TableRow(
                    table=row["table"],
                    valid_from=date.fromisoformat(row["valid_from"]),
                    row=row["row"],
                    value=_value(row["value"]),
                    legal_source=row["legal_source"],
                )
                for row in item["rows"]
            ),
        )
        for item in data
    ]


# --- rules in force -----------------------------------------------------------------------------------


def _ensure_rule_rows() -> None:
    # A flushed test database (browser tests) has lost the migration's rows; put back only what is missing.
    from .budget_rules_data import load_initial_budget_rules

    load_initial_budget_rules(CheckRules, IncomeInquiryBasis)


def check_rules_for(month: date) -> CheckRules:
    """The check thresholds in force on the first day of ``month``."""
    rules = CheckRules.objects.filter(valid_from__lte=month).order_by("-valid_from").first()
    if rules is None and not CheckRules.objects.exists():
        _ensure_rule_rows()
        rules = CheckRules.objects.filter(valid_from__lte=month).order_by("-valid_from").first()
    if rules is None:
        raise LookupError(str(NO_RULES % {"month": month_label(month)}))
    return rules


def inquiry_basis_for(month: date) -> IncomeInquiryBasis:
    """The purpose and legal basis in force on the first day of ``month``."""
    basis = IncomeInquiryBasis.objects.filter(valid_from__lte=month).order_by("-valid_from").first()
    if basis is None and not IncomeInquiryBasis.objects.exists():
        _ensure_rule_rows()
        basis = IncomeInquiryBasis.objects.filter(valid_from__lte=month).order_by("-valid_from").first()
    if basis is None:
        raise LookupError(str(NO_INQUIRY_BASIS % {"month": month_label(month)}))
    return basis


def income_label(code: str) -> str:
    """The income type's name in the active language (the code itself when unknown)."""
    return str(IncomeType(code).label) if code in IncomeType.values else code
