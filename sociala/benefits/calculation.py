"""The income-support calculation for one household and one month: pure, exact, every amount explained.

``calculate(household, table)`` reads nothing but its arguments (the ``NormTable`` of the month comes
from ``norms.norm_table_for``) and returns a ``Calculation``::

    norm            = personal costs of every member + household common costs        (SoL 12 kap. 7 §)
    reasonable_costs = housing + household electricity + work travel + home insurance + union and
                      unemployment-fund fees, at their actual amounts
    counted_income  = every net income of the household, less the disregarded parts below
    assistance      = max(0, norm + reasonable_costs − counted_income)

All amounts are whole kronor (int). The rules, as decided here:

- Adults: the applicant alone counts as single; applicant and partner as a cohabiting couple (one
  amount for both). An ``other_adult`` (in the household but not a partner) counts as single for
  personal costs and takes the common costs of the whole household divided by its size, cost(n)/n.
  Rounding: that share is rounded to whole kronor, halves up, and the rest of the household takes the
  remainder, cost(n) − shares, so the common costs add up to exactly cost(n) (1 790 / 3 = 596.67 ->
  597, the remainder 1 193).
- Children by age band. ``preschool_lunch`` (the child eats lunch at preschool five days a week) selects
  the table's lower column, "utan lunch 5 dagar/vecka": that column is the personal costs *without* the
  cost of lunch on five weekdays, which the preschool serves (Socialstyrelsen: the norm depends on
  "om barn och skolungdomar äter lunch hemma"). The flag matters for the ages the table has the column
  for (0–6); from 7 the one amount already assumes the free school lunch.
- Part-time children (SOSFS 2013:1, children living in two households): personal costs pro rata by
  ``days_in_household`` on a 30-day month, amount × days / 30, rounded to whole kronor, halves up; a
  month always counts as 30 days, whatever its length (15 days is exactly half). The child counts as a
  full member for the household size of the common costs: the household keeps the child's place all
  month.
- Households larger than the table (7): each further person adds the table's increment.
- Job stimulus (SoL 12 kap. 8 §): on an ``employment`` income marked ``job_stimulus`` the table's share
  (25 %) is disregarded, rounded to whole kronor, halves up (in the household's favour); whether the
  person qualifies (six months on support, within two years) is the caseworker's decision, the flag.
- A child's (under 21) own work income (SoL 12 kap. 9 §) counts only above one price base amount per
  calendar year. Modelled with the year so far: ``work_income_earlier_this_year`` on the child plus this
  month's ``employment`` incomes in order; only the part above the price base amount counts. A summer
  job of 40 000 kr in one month is then free, as the law intends, which a monthly pbb/12 would not be.
- Every other income (child allowance, housing allowance, …) counts in full.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from sociala.core.errors import InvalidInput

from .choices import IncomeType, LinePart, MemberRole, ReasonableCost, Rule
from .norms import NormTable, TableRow

MAX_AGE = 120
MIN_OTHER_ADULT_AGE = 18
DAYS_IN_MONTH = 30
MAX_MEMBERS = 30
MAX_INCOMES = 100
# Far above any real monthly amount; keeps absurd input out of the arithmetic and the letters.
MAX_AMOUNT = 100_000_000

APPLICANT, PARTNER, CHILD, OTHER_ADULT = (
    MemberRole.APPLICANT.value,
    MemberRole.PARTNER.value,
    MemberRole.CHILD.value,
    MemberRole.OTHER_ADULT.value,
)
EMPLOYMENT = IncomeType.EMPLOYMENT.value
NORM, REASONABLE_COSTS, COUNTED_INCOME = (
    LinePart.NORM.value,
    LinePart.REASONABLE_COSTS.value,
    LinePart.COUNTED_INCOME.value,
)
_ROLES = frozenset(MemberRole.values)
# Plain strings: an enum member's .value costs an attribute lookup through the enum machinery.
(
    SINGLE_ADULT,
    COHABITING_COUPLE,
    OTHER_ADULT_COSTS,
    CHILD_COSTS,
    COMMON_COSTS,
    COMMON_COSTS_SHARE,
    REASONABLE_COST,
    INCOME,
    JOB_STIMULUS,
    CHILD_WORK_INCOME,
) = (
    Rule.SINGLE_ADULT.value,
    Rule.COHABITING_COUPLE.value,
    Rule.OTHER_ADULT.value,
    Rule.CHILD.value,
    Rule.COMMON_COSTS.value,
    Rule.COMMON_COSTS_SHARE.value,
    Rule.REASONABLE_COST.value,
    Rule.INCOME.value,
    Rule.JOB_STIMULUS.value,
    Rule.CHILD_WORK_INCOME.value,
)
_INCOME_TYPES = frozenset(IncomeType.values)

NO_APPLICANT = _("Hushållet måste ha en sökande (role applicant).")
ONE_APPLICANT = _("Hushållet kan bara ha en sökande.")
ONE_PARTNER = _("Hushållet kan bara ha en make, maka eller sambo (role partner).")
TOO_MANY_MEMBERS = _("Ett hushåll kan ha högst %(max)s personer.")
TOO_MANY_INCOMES = _("Ange högst %(max)s inkomster.")
UNKNOWN_ROLE = _("Okänd roll. Ange applicant, partner, child eller other_adult.")
AGE_RANGE = _("Åldern ska vara 0–%(max)s år.")
CHILD_TOO_OLD = _(
    "Riksnormen har belopp för barn och skolungdomar upp till %(max)s år; räkna en äldre person som "
    "annan vuxen (other_adult)."
)
OTHER_ADULT_TOO_YOUNG = _("En annan vuxen är minst %(min)s år; räkna en yngre person som barn (child).")
ONLY_CHILDREN = _("Gäller bara barn (role child).")
DAYS_RANGE = _("Ange 1–30 dagar; en månad räknas som 30 dagar.")
NEGATIVE_AMOUNT = _("Beloppet får inte vara negativt.")
AMOUNT_TOO_LARGE = _("Beloppet är orimligt stort (högst %(max)s kr).")
UNKNOWN_INCOME_TYPE = _("Okänd inkomsttyp.")
NO_SUCH_MEMBER = _("Det finns ingen person med index %(index)s i members.")
EMPLOYMENT_NEEDS_MEMBER = _("Ange vems lön det är (member).")
JOB_STIMULUS_ONLY_EMPLOYMENT = _("Jobbstimulans gäller bara lön (type employment).")
JOB_STIMULUS_NOT_FOR_CHILDREN = _(
    "Jobbstimulans gäller inte barns lön; den räknas bara över ett prisbasbelopp per år."
)


# --- input ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Member:
    """A person in the household: role, age in whole years, and what the children's rules need."""

    role: str
    age: int
    preschool_lunch: bool = False
    days_in_household: int | None = None
    work_income_earlier_this_year: int = 0


@dataclass(frozen=True, slots=True)
class ReasonableCosts:
    """The household's reasonable costs outside the norm for the month, in whole kronor."""

    housing: int = 0
    household_electricity: int = 0
    work_travel: int = 0
    home_insurance: int = 0
    union_fee: int = 0
    unemployment_fund_fee: int = 0

    def items(self) -> tuple[tuple[str, int], ...]:
        """(item code, amount) in the order of the ``ReasonableCost`` choices."""
        return (
            ("housing", self.housing),
            ("household_electricity", self.household_electricity),
            ("work_travel", self.work_travel),
            ("home_insurance", self.home_insurance),
            ("union_fee", self.union_fee),
            ("unemployment_fund_fee", self.unemployment_fund_fee),
        )


# items() names every field, in the order of the choices.
assert [f.name for f in fields(ReasonableCosts)] == [name for name, _ in ReasonableCosts().items()]
assert [name for name, _ in ReasonableCosts().items()] == list(ReasonableCost.values)


@dataclass(frozen=True, slots=True)
class Income:
    """A net income in the month; ``member`` is the index of its member, None for the household."""

    member: int | None
    type: str
    amount: int
    job_stimulus: bool = False


@dataclass(frozen=True, slots=True)
class Household:
    """The household as the caseworker describes it for one month's calculation."""

    members: tuple[Member, ...]
    reasonable_costs: ReasonableCosts = field(default_factory=ReasonableCosts)
    incomes: tuple[Income, ...] = ()


# --- output -----------------------------------------------------------------------------------


class Line(NamedTuple):
    """One amount of a calculation with its reason: the rule, the table rows and the inputs it used.

    ``amount`` is added to the total named by ``part``; a disregarded part of an income is a negative
    line under ``counted_income``. ``members`` are indexes into the household's members (empty for the
    household as a whole). A named tuple rather than a dataclass: a calculation makes about ten, and
    a tuple is built several times faster.
    """

    part: str
    rule: str
    amount: int
    members: tuple[int, ...]
    inputs: tuple[tuple[str, int | bool | str | None], ...]
    rows: tuple[TableRow, ...] = ()


@dataclass(frozen=True, slots=True)
class Calculation:
    """The result for one month: the totals, the assistance, and the lines that add up to the totals."""

    month: date
    norm: int
    reasonable_costs: int
    counted_income: int
    assistance: int
    lines: tuple[Line, ...]


# --- rules ------------------------------------------------------------------------------------


def divide_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded to a whole number, halves up (both non-negative, exact)."""
    return (2 * numerator + denominator) // (2 * denominator)


def _amount_error(amount: int):
    """The message for an amount out of range, or None (0 ≤ amount ≤ MAX_AMOUNT)."""
    if amount < 0:
        return NEGATIVE_AMOUNT
    if amount > MAX_AMOUNT:
        return AMOUNT_TOO_LARGE % {"max": MAX_AMOUNT}
    return None


def household_errors(household: Household, table: NormTable | None) -> dict[str, str]:
    """Every rule the input breaks, as field path -> message (empty when valid).

    Without a table (the month itself is wrong) the checks that need one are left out. Field paths are
    built only for fields in error: this runs before every calculation.
    """
    errors: dict[str, str] = {}
    members = household.members
    if len(members) > MAX_MEMBERS:
        errors["members"] = TOO_MANY_MEMBERS % {"max": MAX_MEMBERS}
        return errors
    max_child_age = table.max_child_age if table is not None else MAX_AGE
    applicants = partners = 0
    for index, member in enumerate(members):
        role = member.role
        age = member.age
        if role == APPLICANT:
            applicants += 1
        elif role == PARTNER:
            partners += 1
        elif role not in _ROLES:
            errors[f"members.{index}.role"] = UNKNOWN_ROLE
        if not 0 <= age <= MAX_AGE:
            errors[f"members.{index}.age"] = AGE_RANGE % {"max": MAX_AGE}
        elif role == CHILD and age > max_child_age:
            errors[f"members.{index}.age"] = CHILD_TOO_OLD % {"max": max_child_age}
        elif role == OTHER_ADULT and age < MIN_OTHER_ADULT_AGE:
            errors[f"members.{index}.age"] = OTHER_ADULT_TOO_YOUNG % {"min": MIN_OTHER_ADULT_AGE}
        if role == CHILD:
            days = member.days_in_household
            if days is not None and not 1 <= days <= DAYS_IN_MONTH:
                errors[f"members.{index}.days_in_household"] = DAYS_RANGE
            if member.work_income_earlier_this_year:
                message = _amount_error(member.work_income_earlier_this_year)
                if message is not None:
                    errors[f"members.{index}.work_income_earlier_this_year"] = message
        elif role in _ROLES:  # what else is wrong with an unknown role depends on the role
            if member.preschool_lunch:
                errors[f"members.{index}.preschool_lunch"] = ONLY_CHILDREN
            if member.days_in_household is not None:
                errors[f"members.{index}.days_in_household"] = ONLY_CHILDREN
            if member.work_income_earlier_this_year:
                errors[f"members.{index}.work_income_earlier_this_year"] = ONLY_CHILDREN
    if applicants == 0:
        errors.setdefault("members", NO_APPLICANT)
    elif applicants > 1:
        errors.setdefault("members", ONE_APPLICANT)
    if partners > 1:
        errors.setdefault("members", ONE_PARTNER)

    for item, amount in household.reasonable_costs.items():
        if not 0 <= amount <= MAX_AMOUNT:
            errors[f"reasonable_costs.{item}"] = _amount_error(amount)

    incomes = household.incomes
    if len(incomes) > MAX_INCOMES:
        errors["incomes"] = TOO_MANY_INCOMES % {"max": MAX_INCOMES}
        return errors
    for index, income in enumerate(incomes):
        kind = income.type
        if kind not in _INCOME_TYPES:
            errors[f"incomes.{index}.type"] = UNKNOWN_INCOME_TYPE
        if not 0 <= income.amount <= MAX_AMOUNT:
            errors[f"incomes.{index}.amount"] = _amount_error(income.amount)
        owner = None
        if income.member is not None:
            if 0 <= income.member < len(members):
                owner = members[income.member]
            else:
                errors[f"incomes.{index}.member"] = NO_SUCH_MEMBER % {"index": income.member}
        elif kind == EMPLOYMENT:
            errors[f"incomes.{index}.member"] = EMPLOYMENT_NEEDS_MEMBER
        if income.job_stimulus:
            if kind != EMPLOYMENT:
                errors[f"incomes.{index}.job_stimulus"] = JOB_STIMULUS_ONLY_EMPLOYMENT
            elif owner is not None and owner.role == CHILD:
                errors[f"incomes.{index}.job_stimulus"] = JOB_STIMULUS_NOT_FOR_CHILDREN
    return errors


def calculate(household: Household, table: NormTable) -> Calculation:
    """Norm, reasonable costs, counted income and assistance for the household in ``table.month``.

    Raises InvalidInput (field path -> Swedish message) when the household breaks a rule.
    """
    errors = household_errors(household, table)
    if errors:
        raise InvalidInput(errors)

    members = household.members
    size = len(members)
    lines: list[Line] = []
    append = lines.append
    norm = 0

    # Adults: single or cohabiting couple; other adults as single.
    applicant = partner = -1
    others: list[int] = []
    for index, member in enumerate(members):
        if member.role == APPLICANT:
            applicant = index
        elif member.role == PARTNER:
            partner = index
        elif member.role == OTHER_ADULT:
            others.append(index)
    if partner < 0:
        row = table.single_adult
        append(Line(NORM, SINGLE_ADULT, row.value, (applicant,), (("partner", False),), (row,)))
    else:
        row = table.cohabiting_couple
        append(
            Line(
                NORM,
                COHABITING_COUPLE,
                row.value,
                (applicant, partner),
                (("partner", True),),
                (row,),
            )
        )
    norm += row.value
    single = table.single_adult
    for index in others:
        append(Line(NORM, OTHER_ADULT_COSTS, single.value, (index,), (("role", OTHER_ADULT),), (single,)))
        norm += single.value

    # Children by age band, preschool lunch and days in the household.
    bands = table.child_bands
    for index, member in enumerate(members):
        if member.role != CHILD:
            continue
        band = bands[member.age]
        row = (
            band.with_preschool_lunch
            if member.preschool_lunch and band.with_preschool_lunch
            else band.at_home
        )
        amount = row.value
        days = member.days_in_household
        if days is not None and days != DAYS_IN_MONTH:
            amount = divide_half_up(amount * days, DAYS_IN_MONTH)
        append(
            Line(
                NORM,
                CHILD_COSTS,
                amount,
                (index,),
                (
                    ("age", member.age),
                    ("preschool_lunch", member.preschool_lunch),
                    ("days_in_household", days),
                ),
                (row,),
            )
        )
        norm += amount

    # Household common costs for everyone; other adults take cost(n)/n each, the rest the remainder.
    common, common_rows = table.common_cost(size)
    if others:
        share = divide_half_up(common, size)
        rest = common - share * len(others)
        family = tuple(i for i, m in enumerate(members) if m.role != OTHER_ADULT)
        append(
            Line(
                NORM,
                COMMON_COSTS,
                rest,
                family,
                (("household_size", size), ("common_costs", common), ("other_adults", len(others))),
                common_rows,
            )
        )
        for index in others:
            append(
                Line(
                    NORM,
                    COMMON_COSTS_SHARE,
                    share,
                    (index,),
                    (("household_size", size), ("common_costs", common)),
                    common_rows,
                )
            )
    else:
        append(Line(NORM, COMMON_COSTS, common, (), (("household_size", size),), common_rows))
    norm += common

    # Reasonable costs at their actual amounts (zero items are left out).
    reasonable_costs = 0
    for item, amount in household.reasonable_costs.items():
        if amount:
            append(Line(REASONABLE_COSTS, REASONABLE_COST, amount, (), (("item", item),)))
            reasonable_costs += amount

    # Incomes: in full, less job stimulus and the children's exempt work income.
    counted_income = 0
    earned: dict[int, int] = {}
    price_base_amount = table.price_base_amount
    for number, income in enumerate(household.incomes):
        owner = income.member
        owners = () if owner is None else (owner,)
        amount = income.amount
        append(Line(COUNTED_INCOME, INCOME, amount, owners, (("income", number), ("type", income.type))))
        counted_income += amount
        if income.type != EMPLOYMENT:
            continue
        member = members[owner]
        if member.role == CHILD:
            pbb = price_base_amount.value
            before = earned.get(owner, member.work_income_earlier_this_year)
            after = before + amount
            earned[owner] = after
            exempt = amount - (max(0, after - pbb) - max(0, before - pbb))
            append(
                Line(
                    COUNTED_INCOME,
                    CHILD_WORK_INCOME,
                    -exempt,
                    owners,
                    (("income", number), ("amount", amount), ("earlier_this_year", before)),
                    (price_base_amount,),
                )
            )
            counted_income -= exempt
        elif income.job_stimulus:
            numerator, denominator = table.job_stimulus_ratio
            disregarded = divide_half_up(amount * numerator, denominator)
            append(
                Line(
                    COUNTED_INCOME,
                    JOB_STIMULUS,
                    -disregarded,
                    owners,
                    (("income", number), ("amount", amount)),
                    (table.job_stimulus,),
                )
            )
            counted_income -= disregarded

    return Calculation(
        month=table.month,
        norm=norm,
        reasonable_costs=reasonable_costs,
        counted_income=counted_income,
        assistance=max(0, norm + reasonable_costs - counted_income),
        lines=tuple(lines),
    )
