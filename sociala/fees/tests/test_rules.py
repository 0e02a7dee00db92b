"""The fee rules are data with validity: the migration's rows, a new year as a new row, the local raise."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from sociala.fees.models import FeeFormula, MinimumAmountRaise, PriceBaseAmount
from sociala.fees.rules import RulesMissing, rules_for_month, rules_for_year, years_with_rules
from sociala.fees.tests.test_services import decide, declare


def test_the_migration_loads_2025_and_2026(db):
    assert dict(PriceBaseAmount.objects.values_list("year", "amount")) == {2025: 58_800, 2026: 59_200}
    formula = FeeFormula.objects.get()
    assert (
        formula.valid_from,
        formula.max_fee_factor,
        formula.housing_max_fee_factor,
        formula.minimum_amount_single_factor,
        formula.minimum_amount_spouse_factor,
    ) == (date(2025, 1, 1), Decimal("0.5392"), Decimal("0.5539"), Decimal("1.4789"), Decimal("1.2066"))
    local = MinimumAmountRaise.objects.get()
    assert (local.percent, local.age_limit) == (Decimal("10.00"), 65)
    assert "Lokal regel" in local.local_decision


@pytest.mark.parametrize(
    "year, amounts", [(2025, (2642, 2714, 7247, 5912)), (2026, (2660, 2733, 7296, 5953))]
)
def test_the_rules_of_a_year_give_domain_md_s_table(db, year, amounts):
    rules = rules_for_year(year)
    assert (
        rules.max_fee,
        rules.housing_max_fee,
        rules.minimum_amount_single,
        rules.minimum_amount_spouse,
    ) == amounts


def test_a_new_year_is_a_new_row_not_a_code_change(db):
    with pytest.raises(RulesMissing):
        rules_for_year(2027)
    PriceBaseAmount.objects.create(year=2027, amount=60_000)
    assert rules_for_year(2027).max_fee == 2_696  # 60 000 × 0.5392 / 12 = 2 696
    assert years_with_rules() == [2025, 2026, 2027]


def test_a_local_raise_changes_from_its_date(db):
    MinimumAmountRaise.objects.create(
        valid_from=date(2026, 7, 1),
        percent=Decimal("15.00"),
        age_limit=61,
        local_decision="KF 2026-05-20 § 12",
    )
    before, after = rules_for_month(date(2026, 6, 1)), rules_for_month(date(2026, 7, 1))
    assert (before.raise_percent, before.raise_age_limit) == (Decimal("10.00"), 65)
    assert (after.raise_percent, after.raise_age_limit) == (Decimal("15.00"), 61)
    assert not after.raise_applies(62) and after.raise_applies(60)


def test_a_formula_from_mid_year_applies_from_its_month(db):
    FeeFormula.objects.create(
        valid_from=date(2026, 7, 1),
        max_fee_factor=Decimal("0.6000"),
        housing_max_fee_factor=Decimal("0.5539"),
        minimum_amount_single_factor=Decimal("1.4789"),
        minimum_amount_spouse_factor=Decimal("1.2066"),
    )
    assert rules_for_month(date(2026, 6, 1)).max_fee == 2_660
    assert rules_for_month(date(2026, 7, 1)).max_fee == 2_960  # 59 200 × 0.6 / 12
    assert rules_for_year(2026).max_fee == 2_660  # the API's year: the rules of 1 January


def test_the_monthly_and_yearly_commands(city, client_person):
    declare(city, client_person, changed_on=date(2025, 10, 15))
    decide(city, client_person, changed_on=date(2025, 10, 15))
    out = io.StringIO()
    call_command("issue_fee_invoices", "--month", "2025-11", stdout=out)
    assert out.getvalue() == "1 invoices issued for 2025-11.\n"
    call_command("recalculate_fees", "--year", "2026", stdout=out)
    assert "1 fee decisions made from 2026-01-01." in out.getvalue()
    with pytest.raises(CommandError):
        call_command("recalculate_fees", "--year", "2027", stdout=out)
    with pytest.raises(CommandError):
        call_command("issue_fee_invoices", "--month", "november", stdout=out)
