"""Properties of the calculation over generated households (hypothesis), against the 2026 table."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from sociala.benefits.calculation import Household, Income, Member, ReasonableCosts, calculate
from sociala.benefits.choices import IncomeType

from .conftest import TABLE_2026

# No deadline: the machines are shared, and a slow example is not a wrong one.
properties = settings(deadline=None, max_examples=150)

AMOUNT = st.integers(min_value=0, max_value=60_000)
ADULT_AGE = st.integers(min_value=18, max_value=120)
CHILD = st.builds(
    Member,
    role=st.just("child"),
    age=st.integers(min_value=0, max_value=20),
    preschool_lunch=st.booleans(),
    days_in_household=st.none() | st.integers(min_value=1, max_value=30),
    work_income_earlier_this_year=st.integers(min_value=0, max_value=120_000),
)
COSTS = st.builds(
    ReasonableCosts,
    housing=AMOUNT,
    household_electricity=AMOUNT,
    work_travel=AMOUNT,
    home_insurance=AMOUNT,
    union_fee=AMOUNT,
    unemployment_fund_fee=AMOUNT,
)


@st.composite
def members(draw) -> tuple[Member, ...]:
    found = [Member("applicant", draw(st.integers(min_value=16, max_value=120)))]
    if draw(st.booleans()):
        found.append(Member("partner", draw(ADULT_AGE)))
    found += [Member("other_adult", age) for age in draw(st.lists(ADULT_AGE, max_size=2))]
    found += draw(st.lists(CHILD, max_size=9))
    return tuple(draw(st.permutations(found)))


@st.composite
def income_for(draw, household_members: tuple[Member, ...]) -> Income:
    member = draw(st.none() | st.integers(min_value=0, max_value=len(household_members) - 1))
    kinds = [t for t in IncomeType.values if member is not None or t != "employment"]
    kind = draw(st.sampled_from(kinds))
    is_childs = member is not None and household_members[member].role == "child"
    stimulus = kind == "employment" and not is_childs and draw(st.booleans())
    return Income(member=member, type=kind, amount=draw(AMOUNT), job_stimulus=stimulus)


@st.composite
def households(draw) -> Household:
    found = draw(members())
    incomes = draw(st.lists(income_for(found), max_size=6))
    return Household(members=found, reasonable_costs=draw(COSTS), incomes=tuple(incomes))


@st.composite
def household_and_extra_income(draw) -> tuple[Household, Income]:
    household = draw(households())
    return household, draw(income_for(household.members))


@properties
@given(households())
def test_assistance_is_never_negative_and_follows_the_formula(household):
    result = calculate(household, TABLE_2026)
    assert result.assistance >= 0
    assert result.assistance == max(0, result.norm + result.reasonable_costs - result.counted_income)


@properties
@given(households())
def test_the_lines_add_up_to_the_totals(household):
    result = calculate(household, TABLE_2026)
    for part in ("norm", "reasonable_costs", "counted_income"):
        assert sum(line.amount for line in result.lines if line.part == part) == getattr(result, part)
    assert all(isinstance(line.amount, int) for line in result.lines)


@properties
@given(households())
def test_counted_income_lies_between_zero_and_the_gross_incomes(household):
    result = calculate(household, TABLE_2026)
    assert 0 <= result.counted_income <= sum(income.amount for income in household.incomes)


@properties
@given(household_and_extra_income())
def test_adding_an_income_never_raises_the_assistance(case):
    household, extra = case
    before = calculate(household, TABLE_2026)
    after = calculate(replace(household, incomes=(*household.incomes, extra)), TABLE_2026)
    assert after.assistance <= before.assistance
    assert after.counted_income >= before.counted_income


@properties
@given(households(), st.data())
def test_raising_an_income_never_raises_the_assistance(household, data):
    if not household.incomes:
        return
    index = data.draw(st.integers(min_value=0, max_value=len(household.incomes) - 1))
    more = data.draw(st.integers(min_value=1, max_value=50_000))
    incomes = list(household.incomes)
    incomes[index] = replace(incomes[index], amount=incomes[index].amount + more)
    before = calculate(household, TABLE_2026)
    after = calculate(replace(household, incomes=tuple(incomes)), TABLE_2026)
    assert after.assistance <= before.assistance


@properties
@given(households())
def test_common_costs_add_up_to_the_table_amount_whatever_the_shares(household):
    result = calculate(household, TABLE_2026)
    common = sum(line.amount for line in result.lines if line.rule in ("common_costs", "common_costs_share"))
    assert common == TABLE_2026.common_cost(len(household.members))[0]


@properties
@given(households())
def test_the_member_order_does_not_change_the_totals(household):
    result = calculate(household, TABLE_2026)
    order = list(range(len(household.members)))[::-1]
    position = {old: new for new, old in enumerate(order)}
    reordered = replace(
        household,
        members=tuple(household.members[i] for i in order),
        incomes=tuple(
            replace(i, member=None if i.member is None else position[i.member]) for i in household.incomes
        ),
    )
    again = calculate(reordered, TABLE_2026)
    assert (again.norm, again.reasonable_costs, again.counted_income, again.assistance) == (
        result.norm,
        result.reasonable_costs,
        result.counted_income,
        result.assistance,
    )
