"""The fee calculation, worked by hand from DOMAIN.md (SoL 32 kap.). No database: the rules are given.

2026: price base amount 59 200.
  max fee home care etc.   59 200 × 0.5392 / 12 = 2 660.05 -> 2 660
  max housing fee          59 200 × 0.5539 / 12 = 2 732.59 -> 2 733
  minimum amount, single   59 200 × 1.4789 / 12 = 7 295.91 -> 7 296
  minimum amount, spouse   59 200 × 1.2066 / 12 = 5 952.56 -> 5 953
Local raise (the demo city's rule): +10 % of the minimum amount under 65: 729.6 -> 730; 595.3 -> 595.
"""

from datetime import date
from decimal import Decimal

import pytest

from sociala.core.errors import InvalidInput
from sociala.fees.calculation import (
    FeeInput,
    FeeRules,
    ServicePrice,
    calculate_fee,
    check_fee_input,
    monthly_amount,
)

FORMULA = {
    "max_fee_factor": Decimal("0.5392"),
    "housing_max_fee_factor": Decimal("0.5539"),
    "minimum_amount_single_factor": Decimal("1.4789"),
    "minimum_amount_spouse_factor": Decimal("1.2066"),
    "formula_valid_from": date(2025, 1, 1),
}
RULES_2026 = FeeRules(
    year=2026,
    price_base_amount=59_200,
    raise_percent=Decimal(10),
    raise_age_limit=65,
    raise_valid_from=date(2025, 1, 1),
    **FORMULA,
)


def rules(year: int, pbb: int, **raise_) -> FeeRules:
    return FeeRules(year=year, price_base_amount=pbb, **FORMULA, **raise_)


def fee_for(household="single", age=80, income=0, housing=0, adjustment=0, services=(), rules=RULES_2026):
    fee_input = FeeInput(
        household=household,
        age=age,
        monthly_net_income=income,
        housing_cost=housing,
        individual_adjustment=adjustment,
        services=tuple(ServicePrice(kind, price) for kind, price in services),
    )
    return calculate_fee(rules, fee_input)


def amounts(result) -> dict:
    return {line.code: line.amount for line in result.lines}


# --- the rule amounts ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "year, pbb, expected",
    [
        (2024, 57_300, (2575, 2645, 7062, 5762)),
        (2025, 58_800, (2642, 2714, 7247, 5912)),
        (2026, 59_200, (2660, 2733, 7296, 5953)),
    ],
)
def test_max_fees_and_minimum_amounts_match_the_published_tables(year, pbb, expected):
    r = rules(year, pbb)
    assert (r.max_fee, r.housing_max_fee, r.minimum_amount_single, r.minimum_amount_spouse) == expected


def test_monthly_amounts_round_halves_up_and_exactly():
    # 12 × 0.5 / 12 = 0.5 exactly -> 1; 57 300 × 1.2066 / 12 = 5 761.515 -> 5 762.
    assert monthly_amount(12, Decimal("0.5")) == 1
    assert monthly_amount(57_300, Decimal("1.2066")) == 5762
    assert monthly_amount(36, Decimal("0.0001")) == 0  # 0.0003


# --- single ----------------------------------------------------------------------------------


def test_the_issue_example_single_capped_by_the_max_fee():
    result = fee_for(age=82, income=18_000, housing=6_000, services=[("home_care", 3_500)])
    # reserved 7 296 + 6 000 = 13 296; capacity 18 000 − 13 296 = 4 704; fee min(3 500, 2 660, 4 704).
    assert (result.fee_basis, result.minimum_amount, result.reserved_amount) == (18_000, 7_296, 13_296)
    assert (result.fee_capacity, result.max_fee, result.fee) == (4_704, 2_660, 2_660)
    assert [(line.code, line.amount) for line in result.lines] == [
        ("fee_basis", 18_000),
        ("minimum_amount", 7_296),
        ("housing_cost", 6_000),
        ("reserved_amount", 13_296),
        ("fee_capacity", 4_704),
        ("price.home_care", 3_500),
        ("max_fee.care", 2_660),
        ("fee.care", 2_660),
        ("fee", 2_660),
    ]


def test_income_below_the_reserved_amount_gives_no_fee():
    # reserved 7 296 + 5 000 = 12 296 > 12 000: capacity −296, fee 0.
    result = fee_for(income=12_000, housing=5_000, services=[("home_care", 1_500)])
    assert (result.reserved_amount, result.fee_capacity, result.fee) == (12_296, -296, 0)
    assert amounts(result)["fee.care"] == 0


def test_income_just_at_the_reserved_amount_gives_no_fee():
    result = fee_for(income=12_296, housing=5_000, services=[("home_care", 1_500)])
    assert (result.fee_capacity, result.fee) == (0, 0)


def test_income_a_little_above_the_reserved_amount_limits_the_fee_to_the_capacity():
    # reserved 7 296 + 5 500 = 12 796; capacity 1 204 < price 3 000 and max fee 2 660.
    result = fee_for(age=75, income=14_000, housing=5_500, services=[("home_care", 3_000)])
    assert (result.fee_capacity, result.fee) == (1_204, 1_204)


def test_a_low_price_is_the_fee_when_capacity_and_max_fee_are_higher():
    result = fee_for(income=25_000, housing=6_000, services=[("home_care", 1_000), ("safety_alarm", 250)])
    assert (result.fee_capacity, result.max_fee, result.fee) == (11_704, 2_660, 1_250)
    assert amounts(result)["price.home_care"] == 1_000
    assert amounts(result)["price.safety_alarm"] == 250


def test_services_of_the_care_group_share_one_max_fee():
    result = fee_for(
        income=30_000,
        housing=6_000,
        services=[("home_care", 2_000), ("day_activity", 900), ("health", 300), ("short_stay", 400)],
    )
    assert (result.max_fee, result.fee) == (2_660, 2_660)


# --- couples ---------------------------------------------------------------------------------


def test_a_couple_pays_from_half_the_joint_income_with_the_spouse_minimum_amount():
    # fee basis 30 000 / 2 = 15 000; reserved 5 953 + 4 000 = 9 953; capacity 5 047 -> max fee 2 660.
    result = fee_for("couple", age=79, income=30_000, housing=4_000, services=[("home_care", 3_000)])
    assert (result.fee_basis, result.minimum_amount, result.reserved_amount) == (15_000, 5_953, 9_953)
    assert (result.fee_capacity, result.fee) == (5_047, 2_660)
    assert amounts(result)["joint_income"] == 30_000


def test_a_couple_with_a_low_joint_income_pays_only_the_capacity():
    # fee basis 21 000 / 2 = 10 500; reserved 9 953; capacity 547.
    result = fee_for("couple", age=79, income=21_000, housing=4_000, services=[("home_care", 3_000)])
    assert (result.fee_basis, result.fee_capacity, result.fee) == (10_500, 547, 547)


def test_half_a_krona_of_the_couples_fee_basis_goes_to_the_client():
    result = fee_for("couple", income=30_001, services=[("home_care", 100)])
    assert result.fee_basis == 15_000


def test_a_couple_below_the_reserved_amount_pays_nothing():
    result = fee_for("couple", income=18_000, housing=4_000, services=[("home_care", 3_000)])
    assert (result.fee_basis, result.fee_capacity, result.fee) == (9_000, -953, 0)


# --- the local under-age raise ---------------------------------------------------------------


def test_under_65_the_minimum_amount_is_raised_by_ten_percent():
    # 7 296 + 730 = 8 026; reserved 8 026 + 6 000 = 14 026; capacity 974 (without the raise: 1 704).
    result = fee_for(age=64, income=15_000, housing=6_000, services=[("home_care", 3_000)])
    assert (result.minimum_amount, result.reserved_amount, result.fee_capacity) == (8_026, 14_026, 974)
    assert result.fee == 974
    assert amounts(result)["minimum_amount"] == 7_296
    assert amounts(result)["under_age_raise"] == 730
    assert "65" in next(line.label for line in result.lines if line.code == "under_age_raise")


def test_from_65_there_is_no_raise():
    result = fee_for(age=65, income=15_000, housing=6_000, services=[("home_care", 3_000)])
    assert (result.minimum_amount, result.fee_capacity, result.fee) == (7_296, 1_704, 1_704)
    assert "under_age_raise" not in amounts(result)


def test_the_raise_of_a_spouse_is_ten_percent_of_the_spouse_minimum_amount():
    result = fee_for("couple", age=60, income=30_000, housing=4_000, services=[("home_care", 3_000)])
    assert (result.minimum_amount, result.reserved_amount) == (5_953 + 595, 10_548)


def test_the_raise_rounds_half_up():
    # 7 295 is not a real minimum amount; it shows the rounding: 729.5 -> 730.
    # 59 193 × 1.4789 / 12 = 7 295.04 -> 7 295.
    odd = rules(2026, 59_193, raise_percent=Decimal(10), raise_age_limit=65)
    result = fee_for(age=30, income=10_000, services=[("home_care", 1)], rules=odd)
    assert amounts(result)["minimum_amount"] == 7_295
    assert amounts(result)["under_age_raise"] == 730


def test_without_a_local_raise_rule_nobody_gets_a_raise():
    result = fee_for(
        age=30, income=15_000, housing=6_000, services=[("home_care", 3_000)], rules=rules(2026, 59_200)
    )
    assert result.minimum_amount == 7_296


# --- individual adjustment -------------------------------------------------------------------


def test_a_raised_individual_adjustment_increases_the_reserved_amount():
    # reserved 7 296 + 500 + 6 000 = 13 796; capacity 1 204.
    result = fee_for(income=15_000, housing=6_000, adjustment=500, services=[("home_care", 3_000)])
    assert (result.minimum_amount, result.reserved_amount, result.fee_capacity, result.fee) == (
        7_296,
        13_796,
        1_204,
        1_204,
    )
    assert amounts(result)["individual_adjustment"] == 500


def test_a_lowered_individual_adjustment_decreases_the_reserved_amount():
    # reserved 7 296 − 300 + 6 000 = 12 996; capacity 2 004.
    result = fee_for(income=15_000, housing=6_000, adjustment=-300, services=[("home_care", 3_000)])
    assert (result.reserved_amount, result.fee_capacity, result.fee) == (12_996, 2_004, 2_004)
    assert amounts(result)["individual_adjustment"] == -300


# --- housing group and care group ------------------------------------------------------------


def test_residential_care_pays_the_housing_fee_and_the_care_fee_each_under_its_own_max():
    # Housing fee charged by the municipality: no housing cost is reserved for it (SoL 32:8).
    # capacity 16 000 − 7 296 = 8 704; housing min(3 500, 2 733); care min(3 000, 2 660).
    result = fee_for(age=88, income=16_000, services=[("residential_care", 3_500), ("home_care", 3_000)])
    assert (result.fee_capacity, result.max_fee, result.fee) == (8_704, 2_733 + 2_660, 5_393)
    assert amounts(result)["fee.housing"] == 2_733
    assert amounts(result)["fee.care"] == 2_660
    assert [line.code for line in result.lines][5:] == [
        "price.residential_care",
        "max_fee.housing",
        "fee.housing",
        "price.home_care",
        "max_fee.care",
        "fee.care",
        "fee",
    ]


def test_a_short_capacity_goes_to_the_housing_fee_first_and_reduces_the_care_fee():
    # capacity 12 000 − 7 296 = 4 704: housing 2 733, care what is left: 1 971.
    result = fee_for(age=88, income=12_000, services=[("residential_care", 3_500), ("home_care", 3_000)])
    assert (result.fee_capacity, result.fee) == (4_704, 4_704)
    assert amounts(result)["fee.housing"] == 2_733
    assert amounts(result)["fee.care"] == 1_971


def test_a_capacity_below_the_housing_fee_leaves_no_care_fee():
    # capacity 9 000 − 7 296 = 1 704.
    result = fee_for(age=88, income=9_000, services=[("residential_care", 3_500), ("home_care", 3_000)])
    assert (amounts(result)["fee.housing"], amounts(result)["fee.care"], result.fee) == (1_704, 0, 1_704)


def test_the_housing_group_alone():
    result = fee_for(age=90, income=20_000, services=[("residential_care", 4_100)])
    assert (result.max_fee, result.fee) == (2_733, 2_733)


# --- LSS -------------------------------------------------------------------------------------


def test_lss_housing_and_leisure_are_capped_by_price_and_capacity_only():
    # Under 65: minimum 8 026; capacity 12 000 − 8 026 = 3 974; LSS has no max fee: the price is the cap.
    result = fee_for(
        age=40, income=12_000, services=[("lss_adult_housing", 3_000), ("lss_leisure_culture", 500)]
    )
    assert (result.fee_capacity, result.max_fee, result.fee) == (3_974, 3_500, 3_500)
    assert "max_fee.lss" not in amounts(result)


# --- input checks ----------------------------------------------------------------------------


def checked(**overrides):
    data = {
        "household": "single",
        "age": 80,
        "monthly_net_income": 18_000,
        "housing_cost": 6_000,
        "individual_adjustment": 0,
        "services": [{"type": "home_care", "monthly_price": 3_500}],
    }
    data.update(overrides)
    return check_fee_input(data)


def errors_of(**overrides) -> dict:
    with pytest.raises(InvalidInput) as caught:
        checked(**overrides)
    return caught.value.errors


def test_valid_input_becomes_a_fee_input():
    assert checked() == FeeInput("single", 80, 18_000, 6_000, 0, (ServicePrice("home_care", 3_500),))


def test_each_wrong_field_gets_its_own_message():
    errors = errors_of(
        household="family",
        age=131,
        monthly_net_income=-1,
        housing_cost=-5,
        services=[{"type": "massage", "monthly_price": 10}, {"type": "home_care", "monthly_price": -1}],
    )
    assert set(errors) == {
        "household",
        "age",
        "monthly_net_income",
        "housing_cost",
        "services.0.type",
        "services.1.monthly_price",
    }
    assert errors["monthly_net_income"] == "Beloppet kan inte vara negativt."
    assert "home_care" in errors["services.0.type"]


def test_no_services_is_refused():
    assert set(errors_of(services=[])) == {"services"}


def test_lss_services_that_may_not_carry_a_fee_are_refused_with_the_reason():
    errors = errors_of(
        services=[
            {"type": "lss_contact_person", "monthly_price": 100},
            {"type": "lss_personal_assistance", "monthly_price": 100},
        ]
    )
    assert "21 §" in errors["services.0.type"]
    assert "18 § LSS" in errors["services.1.type"]


def test_a_negative_age_is_refused():
    assert set(errors_of(age=-1)) == {"age"}


def test_an_adjustment_cannot_make_the_minimum_amount_negative():
    # Checked against the rules: 7 296 − 7 297 < 0.
    fee_input = checked(individual_adjustment=-7_297)
    with pytest.raises(InvalidInput) as caught:
        calculate_fee(RULES_2026, fee_input)
    assert set(caught.value.errors) == {"individual_adjustment"}
