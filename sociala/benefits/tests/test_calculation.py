"""The calculation, worked by hand from the 2026 table (DOMAIN.md, "Income support"), in whole kronor.

2026, SEK/month. Children: 0 år 2 740 / 2 560 with preschool lunch; 1–2 år 3 060 / 2 800; 3 år 2 720 /
2 500; 4–6 år 3 060 / 2 720; 7–10 år 3 820; 11–14 år 4 390; 15–18 år 4 960; 19–20 år 5 000. Adults:
single 3 940, cohabiting couple 7 100. Common costs by persons: 1 280, 1 410, 1 790, 2 030, 2 330,
2 640, 2 830, then +190 a person. Price base amount 59 200; job stimulus 25 %.

No test here touches the database: the table is built from rules_data.py (see conftest.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sociala.benefits.calculation import (
    Household,
    Income,
    Member,
    ReasonableCosts,
    calculate,
    divide_half_up,
)
from sociala.core.errors import InvalidInput
from sociala.core.money import round_kronor

APPLICANT = Member("applicant", 34)
PARTNER = Member("partner", 31)


def child(age: int, **fields) -> Member:
    return Member("child", age, **fields)


def amounts(calculation, rule: str) -> list[int]:
    return [line.amount for line in calculation.lines if line.rule == rule]


def totals_of_lines(calculation) -> dict[str, int]:
    sums = {"norm": 0, "reasonable_costs": 0, "counted_income": 0}
    for line in calculation.lines:
        sums[line.part] += line.amount
    return sums


# --- adults -----------------------------------------------------------------------------------


def test_single_adult(table):
    # 3 940 personal costs + 1 280 common costs for one person = 5 220 (the government's figure).
    result = calculate(Household(members=(APPLICANT,)), table)
    assert result.norm == 5220
    assert result.reasonable_costs == 0
    assert result.counted_income == 0
    assert result.assistance == 5220
    assert result.month == date(2026, 3, 1)
    assert [(line.rule, line.amount, line.members) for line in result.lines] == [
        ("single_adult", 3940, (0,)),
        ("common_costs", 1280, ()),
    ]
    single = result.lines[0].rows[0]
    assert (single.table, single.valid_from, single.row, single.value) == (
        "national_norm",
        date(2026, 1, 1),
        "single_adult",
        3940,
    )
    assert "SFS 2025:1046" in single.legal_source


def test_couple(table):
    # 7 100 for both + 1 410 common costs for two = 8 510 (the government's figure).
    result = calculate(Household(members=(APPLICANT, PARTNER)), table)
    assert result.norm == 8510
    assert [(line.rule, line.amount, line.members) for line in result.lines] == [
        ("cohabiting_couple", 7100, (0, 1)),
        ("common_costs", 1410, ()),
    ]


def test_the_partner_may_come_first(table):
    result = calculate(Household(members=(PARTNER, APPLICANT)), table)
    assert result.norm == 8510
    assert result.lines[0].members == (1, 0)


# --- children ---------------------------------------------------------------------------------

# (age, preschool lunch, the child's personal costs). With preschool lunch the table's lower column
# "utan lunch 5 dagar/vecka" applies: the personal costs without the five weekday lunches the preschool
# serves. From 7 years there is one amount, and the flag changes nothing.
CHILD_BANDS = [
    (0, False, 2740),
    (0, True, 2560),
    (1, False, 3060),
    (1, True, 2800),
    (2, False, 3060),
    (2, True, 2800),
    (3, False, 2720),
    (3, True, 2500),
    (4, False, 3060),
    (4, True, 2720),
    (5, False, 3060),
    (5, True, 2720),
    (6, False, 3060),
    (6, True, 2720),
    (7, False, 3820),
    (7, True, 3820),
    (10, False, 3820),
    (11, False, 4390),
    (14, True, 4390),
    (15, False, 4960),
    (18, False, 4960),
    (19, False, 5000),
    (20, True, 5000),
]


@pytest.mark.parametrize(("age", "lunch", "personal_costs"), CHILD_BANDS)
def test_couple_with_a_child_in_every_age_band(table, age, lunch, personal_costs):
    # couple 7 100 + the child + common costs for three 1 790.
    result = calculate(Household(members=(APPLICANT, PARTNER, child(age, preschool_lunch=lunch))), table)
    assert amounts(result, "child") == [personal_costs]
    assert result.norm == 7100 + personal_costs + 1790


def test_preschool_lunch_selects_the_lower_column_and_says_so(table):
    with_lunch = calculate(Household(members=(APPLICANT, child(4, preschool_lunch=True))), table)
    at_home = calculate(Household(members=(APPLICANT, child(4))), table)
    assert with_lunch.lines[1].rows[0].row == "child:4-6:with_preschool_lunch"
    assert with_lunch.lines[1].amount == 2720  # lunch at preschool: 340 less than at home
    assert at_home.lines[1].rows[0].row == "child:4-6"
    assert at_home.lines[1].amount == 3060
    assert with_lunch.lines[1].inputs == (("age", 4), ("preschool_lunch", True), ("days_in_household", None))


def test_couple_with_one_child_in_each_of_the_eight_bands(table):
    # Ten persons. Children at home: 2 740 + 3 060 + 2 720 + 3 060 + 3 820 + 4 390 + 4 960 + 5 000
    # = 29 750; common costs for 10 = 2 830 + 3 × 190 = 3 400; norm = 7 100 + 29 750 + 3 400 = 40 250.
    children = tuple(child(age) for age in (0, 2, 3, 5, 8, 12, 16, 20))
    result = calculate(Household(members=(APPLICANT, PARTNER, *children)), table)
    assert amounts(result, "child") == [2740, 3060, 2720, 3060, 3820, 4390, 4960, 5000]
    assert amounts(result, "common_costs") == [3400]
    assert result.norm == 40250
    # The four youngest at preschool: 2 560 + 2 800 + 2 500 + 2 720 = 10 580 instead of 11 580.
    lunch = tuple(child(age, preschool_lunch=age < 7) for age in (0, 2, 3, 5, 8, 12, 16, 20))
    assert calculate(Household(members=(APPLICANT, PARTNER, *lunch)), table).norm == 39250


def test_eight_person_household_adds_the_increment_beyond_seven(table):
    # Couple + six children = 8 persons: common costs 2 830 + 1 × 190 = 3 020.
    # Children 3 060 (1 år) + 2 720 (3 år) + 3 060 (5 år) + 3 820 (8 år) + 4 390 (12 år) + 4 960 (16 år)
    # = 22 010; norm = 7 100 + 22 010 + 3 020 = 32 130.
    children = tuple(child(age) for age in (1, 3, 5, 8, 12, 16))
    result = calculate(Household(members=(APPLICANT, PARTNER, *children)), table)
    assert amounts(result, "common_costs") == [3020]
    common = next(line for line in result.lines if line.rule == "common_costs")
    assert [row.row for row in common.rows] == ["common_costs:7", "common_cost_increment"]
    assert result.norm == 32130


def test_seven_persons_use_the_last_row_of_the_table(table):
    # Couple + five children of 8 years: 7 100 + 5 × 3 820 + 2 830 = 29 030.
    result = calculate(Household(members=(APPLICANT, PARTNER, *(child(8) for _ in range(5)))), table)
    assert amounts(result, "common_costs") == [2830]
    assert result.norm == 29030


# --- other adults -----------------------------------------------------------------------------


def test_other_adult_counts_as_single_and_takes_common_costs_divided_by_the_household_size(table):
    # Applicant and her son of 24: each 3 940; common costs for two 1 410, the son's share 1 410 / 2 = 705,
    # the applicant's the remaining 705. Norm 3 940 + 3 940 + 1 410 = 9 290.
    result = calculate(Household(members=(Member("applicant", 50), Member("other_adult", 24))), table)
    assert [(line.rule, line.amount, line.members) for line in result.lines] == [
        ("single_adult", 3940, (0,)),
        ("other_adult", 3940, (1,)),
        ("common_costs", 705, (0,)),
        ("common_costs_share", 705, (1,)),
    ]
    assert result.norm == 9290


def test_other_adult_share_is_rounded_half_up_and_the_rest_takes_the_remainder(table):
    # Couple + another adult: 1 790 / 3 = 596.67 -> 597 for the other adult; the couple 1 790 − 597 = 1 193.
    # Norm 7 100 + 3 940 + 1 790 = 12 830: the shares add up to exactly the table's 1 790.
    result = calculate(Household(members=(APPLICANT, PARTNER, Member("other_adult", 22))), table)
    assert amounts(result, "common_costs_share") == [597]
    assert amounts(result, "common_costs") == [1193]
    assert result.norm == 12830


def test_two_other_adults_each_take_a_share(table):
    # Applicant + two other adults: 3 × 3 940 = 11 820; shares 597 + 597, the applicant 1 790 − 1 194 = 596.
    result = calculate(
        Household(members=(APPLICANT, Member("other_adult", 40), Member("other_adult", 45))), table
    )
    assert amounts(result, "common_costs_share") == [597, 597]
    assert amounts(result, "common_costs") == [596]
    assert result.norm == 11820 + 1790


def test_other_adult_in_a_five_person_household(table):
    # Socialstyrelsen's own example, with 2026 amounts: 2 330 / 5 = 466 + 3 940 = 4 406 for that person.
    members = (APPLICANT, PARTNER, child(9), child(12), Member("other_adult", 19))
    result = calculate(Household(members=members), table)
    share = [line for line in result.lines if line.members == (4,)]
    assert [line.amount for line in share] == [3940, 466]
    assert result.norm == 7100 + 3820 + 4390 + 3940 + 2330


# --- part-time children -----------------------------------------------------------------------


def test_part_time_child_counts_by_days_of_a_30_day_month(table):
    # Single parent, child of 12 there 15 of 30 days: 4 390 × 15 / 30 = 2 195. The child still counts in
    # the household size: common costs for two, 1 410. Norm 3 940 + 2 195 + 1 410 = 7 545.
    result = calculate(Household(members=(APPLICANT, child(12, days_in_household=15))), table)
    assert amounts(result, "child") == [2195]
    assert amounts(result, "common_costs") == [1410]
    assert result.norm == 7545


@pytest.mark.parametrize(
    ("age", "lunch", "days", "expected"),
    [
        (8, False, 10, 1273),  # 3 820 × 10 / 30 = 1 273.33 -> 1 273
        (8, False, 20, 2547),  # 3 820 × 20 / 30 = 2 546.67 -> 2 547
        (5, True, 14, 1269),  # 2 720 × 14 / 30 = 1 269.33 -> 1 269
        (3, True, 3, 250),  # 2 500 × 3 / 30 = 250
        (0, False, 1, 91),  # 2 740 / 30 = 91.33 -> 91
        (19, False, 30, 5000),  # the whole month
    ],
)
def test_part_time_rounding_to_whole_kronor(table, age, lunch, days, expected):
    result = calculate(
        Household(members=(APPLICANT, child(age, preschool_lunch=lunch, days_in_household=days))), table
    )
    assert amounts(result, "child") == [expected]


# --- incomes ----------------------------------------------------------------------------------


def test_incomes_count_in_full_and_reasonable_costs_are_added(table):
    # Single 5 220 + housing 6 500 + electricity 300 = 12 020; housing allowance 2 000 and sickness
    # benefit 4 000 count in full: 12 020 − 6 000 = 6 020.
    household = Household(
        members=(APPLICANT,),
        reasonable_costs=ReasonableCosts(housing=6500, household_electricity=300),
        incomes=(Income(None, "housing_allowance", 2000), Income(0, "sickness_benefit", 4000)),
    )
    result = calculate(household, table)
    assert (result.norm, result.reasonable_costs, result.counted_income, result.assistance) == (
        5220,
        6800,
        6000,
        6020,
    )
    assert [(line.rule, dict(line.inputs).get("item"), line.amount) for line in result.lines[2:4]] == [
        ("reasonable_cost", "housing", 6500),
        ("reasonable_cost", "household_electricity", 300),
    ]


def test_job_stimulus_disregards_a_quarter_of_the_employment_income(table):
    # Salary 8 000 with job stimulus: 2 000 disregarded, 6 000 counts. 5 220 + 6 000 housing − 6 000 = 5 220.
    household = Household(
        members=(APPLICANT,),
        reasonable_costs=ReasonableCosts(housing=6000),
        incomes=(Income(0, "employment", 8000, job_stimulus=True),),
    )
    result = calculate(household, table)
    assert [(line.rule, line.amount) for line in result.lines if line.part == "counted_income"] == [
        ("income", 8000),
        ("job_stimulus", -2000),
    ]
    assert result.counted_income == 6000
    assert result.assistance == 5220
    stimulus = result.lines[-1].rows[0]
    assert (stimulus.table, str(stimulus.value), stimulus.valid_from) == (
        "job_stimulus",
        "0.25",
        date(2025, 7, 1),
    )


@pytest.mark.parametrize(
    ("salary", "disregarded"),
    [
        (8001, 2000),  # 2 000.25 -> 2 000
        (8002, 2001),  # 2 000.50 -> 2 001, halves in the household's favour
        (8003, 2001),  # 2 000.75 -> 2 001
        (1, 0),  # 0.25 -> 0
        (2, 1),  # 0.50 -> 1
    ],
)
def test_job_stimulus_rounding(table, salary, disregarded):
    household = Household(members=(APPLICANT,), incomes=(Income(0, "employment", salary, job_stimulus=True),))
    assert amounts(calculate(household, table), "job_stimulus") == [-disregarded]


def test_employment_without_job_stimulus_counts_in_full(table):
    household = Household(members=(APPLICANT,), incomes=(Income(0, "employment", 8000),))
    result = calculate(household, table)
    assert result.counted_income == 8000
    assert amounts(result, "job_stimulus") == []


def test_incomes_above_need_give_no_assistance(table):
    # 5 220 + 5 000 = 10 220 needed; 20 000 salary: 10 220 − 20 000 < 0 -> 0, never negative.
    household = Household(
        members=(APPLICANT,),
        reasonable_costs=ReasonableCosts(housing=5000),
        incomes=(Income(0, "employment", 20000),),
    )
    result = calculate(household, table)
    assert (result.norm, result.reasonable_costs, result.counted_income) == (5220, 5000, 20000)
    assert result.assistance == 0


def test_income_exactly_at_need_gives_zero(table):
    household = Household(members=(APPLICANT,), incomes=(Income(0, "pension", 5220),))
    assert calculate(household, table).assistance == 0


# --- children's own work income ---------------------------------------------------------------


def test_child_work_income_below_the_price_base_amount_does_not_count(table):
    # A 17-year-old earns 5 000 in March, nothing before: 5 000 ≤ 59 200 a year, nothing counts.
    household = Household(members=(APPLICANT, child(17)), incomes=(Income(1, "employment", 5000),))
    result = calculate(household, table)
    assert [(line.rule, line.amount) for line in result.lines if line.part == "counted_income"] == [
        ("income", 5000),
        ("child_work_income", -5000),
    ]
    assert result.counted_income == 0
    assert result.lines[-1].rows[0].value == 59200


def test_a_summer_job_within_the_year_is_exempt_even_above_a_twelfth(table):
    # 40 000 in one month (far above 59 200 / 12 = 4 933) is still within one price base amount a year.
    household = Household(members=(APPLICANT, child(19)), incomes=(Income(1, "employment", 40000),))
    assert calculate(household, table).counted_income == 0


def test_child_work_income_counts_only_the_part_above_the_price_base_amount(table):
    # Earlier this year 57 000; 5 000 now makes 62 000: 62 000 − 59 200 = 2 800 counts, 2 200 is exempt.
    household = Household(
        members=(APPLICANT, child(18, work_income_earlier_this_year=57000)),
        incomes=(Income(1, "employment", 5000),),
    )
    result = calculate(household, table)
    assert amounts(result, "child_work_income") == [-2200]
    assert result.counted_income == 2800


def test_child_work_income_counts_in_full_once_the_year_is_above_the_price_base_amount(table):
    household = Household(
        members=(APPLICANT, child(16, work_income_earlier_this_year=60000)),
        incomes=(Income(1, "employment", 5000),),
    )
    result = calculate(household, table)
    assert amounts(result, "child_work_income") == [0]
    assert result.counted_income == 5000


def test_several_salaries_of_one_child_use_one_yearly_exemption(table):
    # Earlier 50 000; two jobs this month 6 000 + 6 000: the first leaves 3 200 of the exemption
    # (56 000), the second uses it: 62 000 − 59 200 = 2 800 counts in all.
    household = Household(
        members=(APPLICANT, child(17, work_income_earlier_this_year=50000)),
        incomes=(Income(1, "employment", 6000), Income(1, "employment", 6000)),
    )
    result = calculate(household, table)
    assert amounts(result, "child_work_income") == [-6000, -3200]
    assert result.counted_income == 2800


def test_other_incomes_of_a_child_count_in_full(table):
    household = Household(members=(APPLICANT, child(17)), incomes=(Income(1, "student_aid", 1250),))
    assert calculate(household, table).counted_income == 1250


# --- the issue's example ----------------------------------------------------------------------


def test_the_issues_example(table):
    # Couple 7 100 + child 4 with preschool lunch 2 720 + common costs for three 1 790 = 11 610.
    # Costs 9 200 + 450 + 180 = 9 830. Incomes 8 000 + 1 250 = 9 250. 11 610 + 9 830 − 9 250 = 12 190.
    household = Household(
        members=(APPLICANT, PARTNER, child(4, preschool_lunch=True)),
        reasonable_costs=ReasonableCosts(housing=9200, household_electricity=450, home_insurance=180),
        incomes=(Income(0, "employment", 8000), Income(None, "child_allowance", 1250)),
    )
    result = calculate(household, table)
    assert (result.norm, result.reasonable_costs, result.counted_income, result.assistance) == (
        11610,
        9830,
        9250,
        12190,
    )
    assert totals_of_lines(result) == {"norm": 11610, "reasonable_costs": 9830, "counted_income": 9250}


# --- invalid input ----------------------------------------------------------------------------


def errors_of(household: Household, table) -> dict[str, str]:
    with pytest.raises(InvalidInput) as raised:
        calculate(household, table)
    return raised.value.errors


def test_no_applicant(table):
    assert errors_of(Household(members=()), table) == {
        "members": "Hushållet måste ha en sökande (role applicant)."
    }
    assert errors_of(Household(members=(PARTNER,)), table) == {
        "members": "Hushållet måste ha en sökande (role applicant)."
    }


def test_one_applicant_and_one_partner_at_most(table):
    assert errors_of(Household(members=(APPLICANT, APPLICANT)), table) == {
        "members": "Hushållet kan bara ha en sökande."
    }
    assert errors_of(Household(members=(APPLICANT, PARTNER, PARTNER)), table) == {
        "members": "Hushållet kan bara ha en make, maka eller sambo (role partner)."
    }


def test_member_errors_name_the_field(table):
    members = (
        Member("applicant", 121),
        Member("child", 21),
        Member("other_adult", 17),
        Member("lodger", 30),
        Member("partner", 30, preschool_lunch=True, days_in_household=10, work_income_earlier_this_year=5),
        Member("child", 5, days_in_household=31, work_income_earlier_this_year=-1),
        Member("child", -1),
    )
    assert errors_of(Household(members=members), table) == {
        "members.0.age": "Åldern ska vara 0–120 år.",
        "members.1.age": "Riksnormen har belopp för barn och skolungdomar upp till 20 år; räkna en äldre "
        "person som annan vuxen (other_adult).",
        "members.2.age": "En annan vuxen är minst 18 år; räkna en yngre person som barn (child).",
        "members.3.role": "Okänd roll. Ange applicant, partner, child eller other_adult.",
        "members.4.preschool_lunch": "Gäller bara barn (role child).",
        "members.4.days_in_household": "Gäller bara barn (role child).",
        "members.4.work_income_earlier_this_year": "Gäller bara barn (role child).",
        "members.5.days_in_household": "Ange 1–30 dagar; en månad räknas som 30 dagar.",
        "members.5.work_income_earlier_this_year": "Beloppet får inte vara negativt.",
        "members.6.age": "Åldern ska vara 0–120 år.",
    }


def test_cost_and_income_errors_name_the_field(table):
    household = Household(
        members=(APPLICANT, child(10)),
        reasonable_costs=ReasonableCosts(housing=-1, work_travel=100_000_001),
        incomes=(
            Income(2, "pension", 100),
            Income(None, "employment", 100),
            Income(0, "salary", -5),
            Income(0, "child_allowance", 100, job_stimulus=True),
            Income(1, "employment", 100, job_stimulus=True),
            Income(-1, "pension", 100),
        ),
    )
    assert errors_of(household, table) == {
        "reasonable_costs.housing": "Beloppet får inte vara negativt.",
        "reasonable_costs.work_travel": "Beloppet är orimligt stort (högst 100000000 kr).",
        "incomes.0.member": "Det finns ingen person med index 2 i members.",
        "incomes.1.member": "Ange vems lön det är (member).",
        "incomes.2.type": "Okänd inkomsttyp.",
        "incomes.2.amount": "Beloppet får inte vara negativt.",
        "incomes.3.job_stimulus": "Jobbstimulans gäller bara lön (type employment).",
        "incomes.4.job_stimulus": "Jobbstimulans gäller inte barns lön; den räknas bara över ett "
        "prisbasbelopp per år.",
        "incomes.5.member": "Det finns ingen person med index -1 i members.",
    }


def test_too_many_members_or_incomes(table):
    assert errors_of(Household(members=(APPLICANT,) + (child(5),) * 30), table) == {
        "members": "Ett hushåll kan ha högst 30 personer."
    }
    incomes = (Income(None, "other", 1),) * 101
    assert errors_of(Household(members=(APPLICANT,), incomes=incomes), table) == {
        "incomes": "Ange högst 100 inkomster."
    }


# --- arithmetic -------------------------------------------------------------------------------


@pytest.mark.parametrize("numerator", [0, 1, 2, 3, 14, 15, 16, 29, 45, 59999, 10**12 + 15])
def test_divide_half_up_matches_decimal_rounding(numerator):
    assert divide_half_up(numerator, 30) == round_kronor(Decimal(numerator) / 30)


def test_the_calculation_reads_nothing_from_the_database(table, django_assert_num_queries, db):
    household = Household(members=(APPLICANT, PARTNER, child(3)), incomes=(Income(0, "employment", 100),))
    with django_assert_num_queries(0):
        calculate(household, table)
